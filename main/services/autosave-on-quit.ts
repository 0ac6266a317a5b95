// Quitting with a model in the worker: keep it before the worker goes. A running model is paused first (so the autosave
// holds the last step taken), then autosaved; each request gets a deadline, so a hung worker cannot hold up quitting.
import type { WorkerStatus } from '../contract/worker.js';
import type { WorkerHost } from './worker-host.js';

/** Pause (when running) and autosave the model `worker` says the host holds, each within timeoutMs; a failure is let go. */
export async function autosaveBeforeQuit(host: WorkerHost, worker: WorkerStatus, timeoutMs: number): Promise<void> {
  if (!host.alive || !worker.hasModel) return;
  if (worker.phase === 'running') await withTimeout(host.request('pause', null), timeoutMs).catch(() => null);
  await withTimeout(host.request('autosave', null), timeoutMs).catch(() => null);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
  });
}

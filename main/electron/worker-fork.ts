// The training worker as an Electron utility process, behind the same WorkerProcess as child_process.fork.
import { utilityProcess } from 'electron';
import type { ForkWorker, WorkerExit } from '../services/worker-host.js';

export function utilityForkWorker(entry: string): ForkWorker {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Char-RNN Studio training', stdio: 'inherit' });
    let fatal: string | undefined;
    let exitListener: ((exit: WorkerExit) => void) | null = null;
    let exited: WorkerExit | null = null;
    child.on('error', (type, location) => { fatal = `${type} at ${location}`; });
    child.once('exit', (code) => {
      exited = { code, signal: null, ...(fatal ? { error: fatal } : {}) };
      exitListener?.(exited);
    });
    return {
      get pid() { return child.pid; },
      postMessage: (command) => child.postMessage(command),
      onMessage: (listener) => { child.on('message', listener); },
      onExit: (listener) => {
        exitListener = listener;
        if (exited) listener(exited);
      },
      kill: () => { child.kill(); },
    };
  };
}

// Forking the worker with Node's child_process: for tests, the e2e harness and anything outside Electron.
// serialization: 'advanced' gives the structured clone that Electron's utilityProcess uses.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ForkWorker, WorkerExit } from './worker-host.js';

export interface NodeForkOptions {
  execArgv?: string[];               // e.g. ['--import', 'tsx'] to run the TypeScript entry
  env?: NodeJS.ProcessEnv;
}

export function nodeForkWorker(entry: string, options: NodeForkOptions = {}): ForkWorker {
  return () => {
    const child = fork(entry, [], {
      serialization: 'advanced',
      execArgv: options.execArgv ?? [],
      env: options.env ?? process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let exitListener: ((exit: WorkerExit) => void) | null = null;
    let exited: WorkerExit | null = null;
    const finish = (exit: WorkerExit) => {
      if (exited) return;
      exited = exit;
      exitListener?.(exit);
    };
    // 'close', not 'exit': it comes once the IPC channel is drained too, so every message the worker
    // sent (an autosave reported just before it quit) arrives before its exit does
    child.once('close', (code, signal) => finish({ code, signal }));
    child.once('error', (e) => { if (child.exitCode === null && child.pid === undefined) finish({ code: null, signal: null, error: e.message }); });
    return {
      get pid() { return child.pid; },
      postMessage: (command) => { child.send(command); },
      onMessage: (listener) => { child.on('message', listener); },
      onExit: (listener) => {
        exitListener = listener;
        if (exited) listener(exited);
      },
      kill: () => { child.kill('SIGKILL'); },
    };
  };
}

/** The worker from source, run through tsx: what the integration tests and the e2e harness use. */
export const WORKER_SOURCE_ENTRY = fileURLToPath(new URL('../worker/index.ts', import.meta.url));

export function sourceForkWorker(): ForkWorker {
  return nodeForkWorker(WORKER_SOURCE_ENTRY, { execArgv: ['--import', 'tsx'] });
}

// The worker's line to main: Electron's process.parentPort in the app, Node's IPC channel under child_process.fork.
import type { WorkerEvent } from '../contract/worker.js';

export interface ParentLink {
  send(event: WorkerEvent): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Let the process end (after a 'shutdown' reply has gone out). */
  close(): void;
}

/** The part of Electron's ParentPort used here (typed locally: this file must not import electron). */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
}

export function connectToParent(): ParentLink {
  const parentPort = (process as unknown as { parentPort?: ElectronParentPort | null }).parentPort;
  if (parentPort) {
    return {
      send: (event) => parentPort.postMessage(event),
      onMessage: (listener) => { parentPort.on('message', (e) => listener(e.data)); },
      // a utility process has no channel to close; give the reply a moment to leave
      close: () => { setTimeout(() => process.exit(0), 50); },
    };
  }
  if (typeof process.send === 'function') {
    process.on('disconnect', () => process.exit(0)); // main went away: nothing left to work for
    return {
      send: (event) => { if (process.connected) process.send!(event); },
      onMessage: (listener) => { process.on('message', listener); },
      close: () => { if (process.connected) process.disconnect(); },
    };
  }
  throw new Error('The training worker must be started by the app (utilityProcess) or with child_process.fork; it has no parent to talk to.');
}

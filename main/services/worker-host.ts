// The training worker seen from main: a small lifecycle class over one forked process (VS Code's
// UtilityProcess). Requests are matched to replies by id; an exit nobody asked for is a crash, and
// every request still waiting is rejected with 'worker-crashed'.
import { ApiError } from '../contract/api-error.js';
import type { WorkerCommand, WorkerCommands, WorkerEvent } from '../contract/worker.js';
import { parseWorkerEvent } from '../contract/worker-messages.js';

/** The few things main needs of a ChildProcess or an Electron UtilityProcess. */
export interface WorkerProcess {
  readonly pid: number | undefined;
  postMessage(command: WorkerCommand): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the process has ended (or could not start). */
  onExit(listener: (exit: WorkerExit) => void): void;
  kill(): void;
}

export interface WorkerExit {
  code: number | null;
  signal: string | null;
  error?: string;        // why it could not start, or a fatal error it reported
}

/** Starts a worker process: child_process.fork in tests (nodeForkWorker), utilityProcess.fork in the app. */
export type ForkWorker = () => WorkerProcess;

export interface HostExit extends WorkerExit {
  expected: boolean;     // after shutdown() or kill()
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: ApiError): void;
  onChunk?: (text: string) => void;
}

const READY_TIMEOUT_MS = 30_000;

export class WorkerHost {
  private readonly process: WorkerProcess;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: WorkerEvent) => void>();
  private readonly exitListeners = new Set<(exit: HostExit) => void>();
  private readonly ready: Promise<void>;
  private readonly exited: Promise<HostExit>;
  private exitInfo: HostExit | null = null;
  private expectingExit = false;
  private nextId = 1;

  constructor(fork: ForkWorker) {
    let markReady!: () => void, failReady!: (e: ApiError) => void;
    this.ready = new Promise((resolve, reject) => { markReady = resolve; failReady = reject; });
    this.ready.catch(() => {}); // a request, if any, reports it
    let markExited!: (exit: HostExit) => void;
    this.exited = new Promise((resolve) => { markExited = resolve; });
    this.process = fork(); // throws if the process cannot be created at all
    const readyTimer = setTimeout(() => {
      failReady(new ApiError('worker-crashed', 'The training process did not start in time.'));
      this.kill();
    }, READY_TIMEOUT_MS);
    readyTimer.unref();
    this.process.onMessage((message) => {
      let event: WorkerEvent;
      try {
        event = parseWorkerEvent(message);
      } catch (e) {
        console.error(`[worker-host] ignored a malformed message: ${(e as Error).message}`);
        return;
      }
      if (event.type === 'ready') {
        clearTimeout(readyTimer);
        markReady();
      } else if (event.type === 'reply') {
        const waiting = this.pending.get(event.id);
        this.pending.delete(event.id);
        if (!waiting) return;
        if (event.payload.ok) waiting.resolve(event.payload.result);
        else waiting.reject(ApiError.fromPayload(event.payload.error));
        return;
      } else if (event.type === 'sample-chunk') {
        this.pending.get(event.id)?.onChunk?.(event.payload.text);
      }
      for (const listener of this.eventListeners) listener(event);
    });
    this.process.onExit((exit) => {
      clearTimeout(readyTimer);
      const info: HostExit = { ...exit, expected: this.expectingExit };
      this.exitInfo = info;
      const error = new ApiError('worker-crashed', `The training process ended (${describeExit(info)}) before it answered.`);
      failReady(error);
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      markExited(info);
      for (const listener of this.exitListeners) listener(info);
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  onEvent(listener: (event: WorkerEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onExit(listener: (exit: HostExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Send a command once the worker is ready; resolves with its reply's result. */
  async request<K extends keyof WorkerCommands>(type: K, payload: WorkerCommands[K]['payload'],
                                                onChunk?: (text: string) => void): Promise<WorkerCommands[K]['result']> {
    await this.ready;
    if (this.exitInfo) throw new ApiError('worker-crashed', `The training process has ended (${describeExit(this.exitInfo)}).`);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, onChunk });
      try {
        this.process.postMessage({ type, id, payload } as WorkerCommand);
      } catch (e) {
        this.pending.delete(id);
        reject(new ApiError('worker-crashed', `Could not reach the training process: ${(e as Error).message}`));
      }
    });
  }

  /** Ask the worker to stop and exit; kill it if it has not gone after `timeoutMs`. */
  async shutdown(timeoutMs = 5000): Promise<HostExit> {
    if (this.exitInfo) return this.exitInfo;
    this.expectingExit = true;
    this.request('shutdown', null).catch(() => {}); // the exit is the answer that counts
    const timer = setTimeout(() => this.process.kill(), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** End the process now (an expected exit). */
  kill(): void {
    if (this.exitInfo) return;
    this.expectingExit = true;
    this.process.kill();
  }
}

export function describeExit(exit: WorkerExit): string {
  if (exit.error) return exit.error;
  if (exit.signal) return `signal ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}

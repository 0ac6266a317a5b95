// The training session as main sees it: one worker at a time (forked on demand), which is the one authority on
// the run's state (what it holds, what runs, what it can do now): main forwards each request and maps the reply
// into the TrainingStatus the renderer shows, turns a crash into a 'crashed' status, and restores autosaves.
import { EventEmitter } from 'node:events';
import type { LossPoint } from '../../core/history.js';
import type {
  CheckpointInfo, CorpusLoadProgress, ExportFormat, Hyperparameters, LiveSample, ProgressEvent, SampleRequest, SampleResult, TrainingStatus,
} from '../contract/api.js';
import { ApiError } from '../contract/api-error.js';
import type { StartFrom, WorkerCommands, WorkerEvent, WorkerStatus } from '../contract/worker.js';
import { corpusChangeMessage, watchCorpus } from '../files/corpus-watch.js';
import type { AutosaveRecord, AutosaveStore } from './autosave-store.js';
import { SessionAutosaves } from './session-autosaves.js';
import { crashedOverlay, IDLE, noModel, trainingStatus, type Overlay } from './session-status.js';
import { describeExit, WorkerHost, type ForkWorker, type HostExit } from './worker-host.js';
import { autosaveBeforeQuit } from './autosave-on-quit.js';

export interface SessionEvents {
  status: [TrainingStatus];
  progress: [ProgressEvent];
  liveSample: [LiveSample];
  sampleChunk: [{ text: string }];
  corpusProgress: [CorpusLoadProgress];
  autosaved: [CheckpointInfo];
}

export class TrainingSession extends EventEmitter<SessionEvents> {
  private host: WorkerHost | null = null;
  private worker: WorkerStatus = IDLE;
  private overlay: Overlay | null = null;
  private openedCheckpoint = false;   // a checkpoint opened since the last start: Start continues it by default
  private corpusNotice: string | null = null;            // the corpus changed on disk during the run
  private stopWatching: () => void = () => {};
  private readonly autosaves: SessionAutosaves;

  /** tokenFor: how the page names a path main holds (main/services/file-grants.ts); without it, no tokens. */
  constructor(private readonly forkWorker: ForkWorker, store: AutosaveStore,
              private readonly tokenFor?: (path: string) => string) {
    super();
    this.autosaves = new SessionAutosaves(store);
  }

  /** Resolves once the latest autosave has been looked up (so status() can offer it). */
  whenLoaded(): Promise<void> {
    return this.autosaves.loaded;
  }

  /** The fingerprint of the text the held model trains on (null: no model, or one from before fingerprints). */
  get corpusFingerprint(): string | null {
    return this.worker.hasModel ? this.worker.corpusFingerprint ?? null : null;
  }

  status(): TrainingStatus {
    return trainingStatus({
      worker: this.worker, overlay: this.overlay, corpusNotice: this.corpusNotice, autosave: this.autosaves.summary(), tokenFor: this.tokenFor,
    });
  }

  get hasModel(): boolean {
    return this.worker.hasModel && this.host?.alive === true;
  }

  get lastAutosave(): AutosaveRecord | null {
    return this.autosaves.latest;
  }

  get workerPid(): number | undefined {
    return this.host?.pid;
  }

  /** The worker decides whether it can (a run already going: 'busy'; nothing to continue: 'no-model'). */
  async start(corpusPath: string, hyperparameters: Hyperparameters, resume?: boolean): Promise<TrainingStatus> {
    const continueModel = resume ?? this.openedCheckpoint;
    return this.startWorker(corpusPath, hyperparameters, continueModel ? { kind: 'loaded' } : { kind: 'fresh' }, false);
  }

  /** A new worker continues from the last autosave, paused, so that Resume carries on. */
  async restoreAutosave(): Promise<TrainingStatus> {
    const record = await this.autosaves.toRestore();
    if (!record) throw new ApiError('no-model', 'There is no autosave to restore.');
    await this.startWorker(record.corpusPath, record.hyperparameters, { kind: 'file', path: record.checkpointPath }, true);
    this.worker = { ...this.worker, message: `Restored the autosave from iteration ${record.iteration}; resume to continue training.` };
    this.emitStatus();
    return this.status();
  }

  async pause(): Promise<TrainingStatus> {
    return this.command(() => this.requireHost().request('pause', null));
  }

  async resume(): Promise<TrainingStatus> {
    return this.command(() => this.requireHost().request('resume', null));
  }

  async stop(): Promise<TrainingStatus> {
    if (!this.host?.alive) return this.status();   // no worker: nothing runs
    this.overlay = { phase: 'stopping' };
    this.emitStatus();
    return this.command(() => this.requireHost().request('stop', null));
  }

  async sample(request: SampleRequest): Promise<SampleResult> {
    return this.requireHost().request('sample', request, (text) => this.emit('sampleChunk', { text }));
  }

  /** This machine's training speed on `threads` threads (the Auto preset's calibration), in the worker: forked if none runs. */
  async measureSpeed(threads: number): Promise<number> {
    return (await this.ensureHost().request('calibrate', { threads })).flopsPerSecond;
  }

  /** One of the Inspect view's computations, on the model the worker holds. */
  async inspect<K extends 'inspect-surprisal' | 'inspect-units' | 'inspect-copies' | 'inspect-temperatures'>(
    type: K, payload: WorkerCommands[K]['payload']): Promise<WorkerCommands[K]['result']> {
    return this.requireHost().request(type, payload);
  }

  async save(path: string): Promise<CheckpointInfo> {
    const info = await this.requireHost().request('save', { path });
    await this.refresh();
    return info;
  }

  /** The run's kept best model ("keep best"), to a file of its own; the model in training stays as it is. */
  async saveBest(path: string): Promise<CheckpointInfo> {
    return this.requireHost().request('save', { path, best: true });
  }

  async exportModel(path: string, format: ExportFormat): Promise<string> {
    return this.requireHost().request('export', { path, format });
  }

  /** Open a checkpoint (or .safetensors) as the model: for sampling, and for Start to continue. */
  async load(path: string): Promise<CheckpointInfo> {
    const info = await this.ensureHost().request('load', { path });
    this.openedCheckpoint = true;
    this.overlay = null;
    await this.refresh();
    return info;
  }

  /**
   * Quitting: autosave what has changed, stop the worker (killed if it does not exit in time), and
   * resolve only once every autosave it reported is recorded, so the next start of the app can offer it.
   */
  async shutdown(timeoutMs = 5000): Promise<void> {
    this.stopWatching();
    const host = this.host;
    if (host) {
      await autosaveBeforeQuit(host, this.worker, timeoutMs);
      this.host = null;
      // an autosave the run had under way is reported while the worker stops, after the one asked for above
      await host.shutdown(timeoutMs);
    }
    await this.autosaves.written();
  }

  /** The model's loss history, from the worker that holds it; empty when there is no model. */
  async history(): Promise<LossPoint[]> {
    if (!this.host?.alive) return [];
    return this.host.request('history', null);
  }

  // ---- the worker ----

  private async startWorker(corpusPath: string, hyperparameters: Hyperparameters, from: StartFrom, paused: boolean): Promise<TrainingStatus> {
    const previous = this.overlay;
    this.overlay = { phase: 'starting' };
    this.emitStatus();
    try {
      const host = from.kind === 'loaded' ? this.requireHost() : this.ensureHost();
      const { autosavePath, problem } = await this.autosaves.target();
      this.accept(await host.request('start', { corpusPath, hyperparameters, from, paused, autosavePath }));
      // the run goes on without autosaves, and the user is told before the first step is lost
      if (problem) this.worker = { ...this.worker, message: `Autosave is off: ${problem} Use Save as… to keep the model.` };
      this.overlay = null;
      this.openedCheckpoint = false;
      this.watchCorpus(corpusPath);
    } catch (e) {
      if (this.overlay?.phase === 'starting') this.overlay = previous;
      this.emitStatus();
      throw e;
    }
    this.emitStatus();
    return this.status();
  }

  /** The run trains from the text read at its start; if the file goes or changes on disk, the status says so. */
  private watchCorpus(corpusPath: string): void {
    this.stopWatching();
    this.corpusNotice = null;
    this.stopWatching = watchCorpus(corpusPath, (change) => {
      this.corpusNotice = corpusChangeMessage(corpusPath, change);
      this.emitStatus();
    });
  }

  private ensureHost(): WorkerHost {
    if (this.host?.alive) return this.host;
    const host = new WorkerHost(this.forkWorker);
    host.onEvent((event) => this.onWorkerEvent(event));
    host.onExit((exit) => this.onWorkerExit(host, exit));
    this.host = host;
    return host;
  }

  /**
   * The worker, to ask: it answers for the run's state (what it holds, what is running). Without a worker
   * process there is nothing held to ask about, so no worker is forked just to say so.
   */
  private requireHost(): WorkerHost {
    if (!this.host?.alive) throw noModel();
    return this.host;
  }

  private async command(request: () => Promise<WorkerStatus>): Promise<TrainingStatus> {
    try {
      this.accept(await request());
      if (this.overlay?.phase !== 'crashed') this.overlay = null;
    } catch (e) {
      if (this.overlay?.phase === 'stopping') this.overlay = null;
      throw e;
    } finally {
      this.emitStatus();
    }
    return this.status();
  }

  private async refresh(): Promise<void> {
    if (!this.host?.alive) return;
    this.accept(await this.host.request('status', null));
    this.emitStatus();
  }

  /** A status from the worker, unless a newer one has already arrived (replies and events can cross). */
  private accept(status: WorkerStatus): void {
    if (status.seq > this.worker.seq || this.worker.seq === 0) this.worker = status;
  }

  private onWorkerEvent(event: WorkerEvent): void {
    switch (event.type) {
      case 'progress':
        this.worker = { ...this.worker, iteration: event.payload.iteration };
        this.emit('progress', event.payload);
        return;
      case 'live-sample':
        this.emit('liveSample', event.payload);
        return;
      case 'corpus-progress':
        this.emit('corpusProgress', event.payload);
        return;
      case 'status':
        this.accept(event.payload);
        this.emitStatus();
        return;
      case 'autosaved': {
        const { corpusPath, hyperparameters } = this.worker;
        if (corpusPath && hyperparameters) this.autosaves.record(event.payload, corpusPath, hyperparameters, () => this.emit('autosaved', event.payload));
        return;
      }
      case 'autosave-failed':
        // the run goes on in memory; the user is told, so they can save it elsewhere
        console.error(`[training-session] autosave failed: ${event.payload.message}`);
        this.worker = { ...this.worker, message: `Autosave failed: ${event.payload.message} Training goes on in memory; ` +
          'use Save as… to keep the model somewhere else.' };
        this.emitStatus();
        return;
      default:
        return; // ready and sample-chunk are handled by the host
    }
  }

  private onWorkerExit(host: WorkerHost, exit: HostExit): void {
    if (host !== this.host) return;   // an old worker, already replaced
    this.host = null;
    const lost = this.worker;
    this.worker = { ...lost, seq: 0, phase: 'idle', hasModel: false }; // the next worker counts from 1
    if (exit.expected) {
      this.overlay = null;
    } else {
      this.overlay = crashedOverlay(describeExit(exit), lost.iteration, this.autosaves.latest);
    }
    this.emitStatus();
  }

  private emitStatus(): void {
    this.emit('status', this.status());
  }
}

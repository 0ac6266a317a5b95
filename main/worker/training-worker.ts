// The worker's state and its answer to each command: it owns the model, the corpus and the run.
import { basename, extname } from 'node:path';
import { stat } from 'node:fs/promises';
import type { TrainingState } from '../../core/trainer.js';
import { createTrainingRunner, type TrainingRunner } from '../training/pool/pool-trainer.js';
import { resolveThreads } from '../training/pool/threads.js';
import { measureTrainingSpeed } from '../training/throughput.js';
import { readCorpusFile, type CorpusProgress } from '../files/corpus-file.js';

/** At most this often a 'corpus-progress' event while a start opens its corpus. */
export const CORPUS_PROGRESS_MS = 100;
import { readCheckpointFile, readSafetensorsFile, writeCheckpointFile, writeSafetensorsFile } from '../files/model-files.js';
import type { CheckpointInfo, ExportFormat, Hyperparameters, SampleRequest, SampleResult } from '../contract/api.js';
import { ApiError, toApiError } from '../contract/api-error.js';
import { exportRefusal, FORMAT_NAMES, writeModelExport } from '../export/formats.js';
import type { StartPayload, WorkerCommand, WorkerCommands, WorkerEvent, WorkerStatus } from '../contract/worker.js';
import { parseWorkerCommand } from '../contract/worker-messages.js';
import { checkpointInfo, hyperparametersOf } from './model-info.js';
import { prepareRun, type RunStart } from '../training/prepare-run.js';
import { TrainingRun } from './run.js';
import { runSampleJob } from './sample-job.js';
import { bestModelState } from '../training/best-model.js';
import { InspectJobs } from './inspect-jobs.js';

const NOTHING_TO_CONTINUE = 'There is no model to continue: open a checkpoint, or start a new run.';

type Handler<K extends keyof WorkerCommands> =
  (payload: WorkerCommands[K]['payload'], id: number) => Promise<WorkerCommands[K]['result']>;

export class TrainingWorker {
  private model: TrainingState | null = null;
  private run: TrainingRun | null = null;
  private runner: TrainingRunner | null = null; // the run's trainer: its threads live until the next start or shutdown
  private corpusPath: string | null = null;
  private checkpointPath: string | null = null;
  private hyperparameters: Hyperparameters | null = null;
  private message: string | undefined;
  private busyWith: string | null = null;   // a start or load reading files
  private sampling = false;
  private statusSeq = 0;
  private readonly inspect = new InspectJobs({ model: () => this.requireModel(), corpusPath: () => this.corpusPath });

  constructor(private readonly send: (event: WorkerEvent) => void, private readonly exit: () => void) {}

  /** One message from main: checked, handled, answered with a reply of the same id. */
  async receive(message: unknown): Promise<void> {
    let command: WorkerCommand;
    try {
      command = parseWorkerCommand(message);
    } catch (e) {
      const id = typeof (message as { id?: unknown } | null)?.id === 'number' ? (message as { id: number }).id : 0;
      this.send({ type: 'reply', id, payload: { ok: false, error: { code: 'invalid-request', message: (e as Error).message } } });
      return;
    }
    try {
      const handler = this.handlers[command.type] as Handler<typeof command.type>;
      const result = await handler(command.payload as never, command.id);
      this.send({ type: 'reply', id: command.id, payload: { ok: true, result } });
      if (command.type === 'shutdown') this.exit();
    } catch (e) {
      this.send({ type: 'reply', id: command.id, payload: { ok: false, error: toApiError(e).toPayload() } });
    }
  }

  status(): WorkerStatus {
    const status: WorkerStatus = {
      seq: ++this.statusSeq,
      phase: this.run ? this.run.phase : 'idle',
      hasModel: this.model !== null,
      corpusPath: this.corpusPath,
      checkpointPath: this.checkpointPath,
      hyperparameters: this.hyperparameters,
      iteration: this.model?.iteration ?? 0,
    };
    if (this.message) status.message = this.message;
    if (this.model) status.vocabulary = [...this.model.vocab.chars];
    if (this.model) status.corpusFingerprint = this.model.corpusFingerprint;
    if (this.runner) status.kernels = this.runner.kernels;
    return status;
  }

  private readonly handlers: { [K in keyof WorkerCommands]: Handler<K> } = {
    start: (p) => this.exclusive('start', () => this.start(p)),
    pause: async () => {
      const run = this.requireRun('pause');
      if (run.phase === 'running') await run.pause();
      return this.status();
    },
    resume: async () => {
      const run = this.requireRun('resume');
      if (run.phase === 'stopped') throw new ApiError('state-misuse', 'This run has stopped; start training again to continue it.');
      this.message = undefined;
      run.resume();
      return this.status();
    },
    stop: async () => {
      // "Continuing at iteration N." described the start; after a stop it would contradict the stopped run's line
      if (this.run) this.message = undefined;
      if (this.run) await this.run.stop();
      return this.status();
    },
    status: async () => this.status(),
    sample: (request, id) => this.sample(request, id),
    save: async ({ path, best }) => {
      if (best) return this.writeBest(path);
      const info = await this.write(path, 'native');
      this.checkpointPath = path;
      return info;
    },
    load: (p) => this.exclusive('load', () => this.load(p.path)),
    export: async ({ path, format }) => {
      await this.write(path, format);
      return path;
    },
    history: async () => this.model?.lossHistory.slice() ?? [],
    autosave: async () => (this.run ? this.run.autosaveNow() : null),
    'inspect-surprisal': (p) => this.inspect.surprisal(p),
    'inspect-units': (p) => this.inspect.units(p),
    'inspect-copies': (p) => this.inspect.copies(p),
    'inspect-temperatures': (p) => this.inspect.temperatures(p),
    calibrate: ({ threads }) => this.exclusive('calibrate', async () => {
      // a run training beside the measurement would halve it, and Auto would size its model to half the machine
      if (this.run?.phase === 'running') throw new ApiError('busy', 'Training is running; Auto measures this machine\'s speed while nothing trains.');
      return { flopsPerSecond: await measureTrainingSpeed(threads) };
    }),
    shutdown: async () => {
      if (this.run) await this.run.stop();
      await this.disposeRunner();
      return null;
    },
  };

  private async exclusive<T>(what: string, task: () => Promise<T>): Promise<T> {
    if (this.busyWith) throw new ApiError('busy', `Still busy with the last ${this.busyWith}; try again in a moment.`);
    this.busyWith = what;
    try {
      return await task();
    } finally {
      this.busyWith = null;
    }
  }

  private async disposeRunner(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (runner) await runner.dispose();
  }

  private requireRun(verb: string): TrainingRun {
    this.requireModel();
    if (!this.run || this.run.phase === 'stopped') {
      throw new ApiError('state-misuse', `Nothing is training, so there is nothing to ${verb}; start training first.`);
    }
    return this.run;
  }

  private requireModel(message = 'There is no model yet: start training or open a checkpoint first.'): TrainingState {
    if (!this.model) throw new ApiError('no-model', message);
    return this.model;
  }

  private async start(p: StartPayload): Promise<WorkerStatus> {
    if (this.run && this.run.phase !== 'stopped') {
      throw new ApiError('busy', 'Training is already running; stop it before starting again.');
    }
    const { from } = p;
    if (from.kind === 'loaded') this.requireModel(NOTHING_TO_CONTINUE);   // before the corpus is read
    const { text } = await readCorpusFile(p.corpusPath, undefined, this.corpusProgress());
    // the model and training settings go to the engine as they came (main validated them; core checks them again)
    const { model, training, run } = p.hyperparameters;
    const start: RunStart = from.kind === 'fresh' ? { kind: 'new', model, training } : {
      kind: 'continue', changes: training,
      state: from.kind === 'file' ? (await readCheckpointFile(from.path)).state : this.requireModel(NOTHING_TO_CONTINUE),
    };
    const { state, corpus, otherText } = prepareRun(text, p.corpusPath, start);
    if (p.from.kind === 'file') this.checkpointPath = p.from.path;
    const { threads, note: threadsNote } = resolveThreads({ requested: run.threads, batchSize: state.training.batchSize,
      continuedOn: p.from.kind === 'fresh' ? undefined : state.threads });
    const continuing = p.from.kind === 'fresh' ? null
      : `Continuing at iteration ${state.iteration.toLocaleString('en-US')}${otherText ? ' on a different text than this model was trained on' : ''}.`;
    const note = [continuing, threadsNote && sentence(threadsNote)].filter(Boolean).join(' ') || undefined;
    await this.disposeRunner();
    // threads that cannot start (a packaged runtime without worker_threads, say) leave training on one
    const trainer = await createTrainingRunner(state, corpus, threads).catch(() => createTrainingRunner(state, corpus, 1));
    this.runner = trainer;
    const hyperparameters = hyperparametersOf(state, run);

    this.model = state;
    this.corpusPath = p.corpusPath;
    this.hyperparameters = hyperparameters;
    if (p.from.kind === 'fresh') this.checkpointPath = null;
    // the TypeScript kernels are about 13× slower: say so, and why, once for the run
    const fallback = trainer.kernelFallback === null ? undefined
      : `Training on the TypeScript kernels, about 13× slower than WebAssembly: ${trainer.kernelFallback}.`;
    this.message = [note, fallback].filter(Boolean).join(' ') || undefined;
    this.run = new TrainingRun(trainer, corpus, run, p.autosavePath, {
      progress: (payload) => this.send({ type: 'progress', id: 0, payload }),
      liveSample: (payload) => this.send({ type: 'live-sample', id: 0, payload }),
      ended: (message) => {
        this.message = message;
        this.send({ type: 'status', id: 0, payload: this.status() });
      },
      autosaved: (payload) => this.send({ type: 'autosaved', id: 0, payload }),
      autosaveFailed: (payload) => this.send({ type: 'autosave-failed', id: 0, payload }),
    });
    if (p.from.kind !== 'fresh') this.run.reportHistory();
    if (!p.paused) this.run.resume();
    return this.status();
  }

  private async load(path: string): Promise<CheckpointInfo> {
    if (this.run && this.run.phase !== 'stopped') {
      throw new ApiError('busy', 'Stop the training before opening another model.');
    }
    const isSafetensors = extname(path).toLowerCase() === '.safetensors';
    const state = isSafetensors ? await readSafetensorsFile(path) : (await readCheckpointFile(path)).state;
    const savedAt = await stat(path).then((s) => s.mtime, () => new Date());
    this.model = state;
    this.run = null;
    this.corpusPath = null;
    this.checkpointPath = path;
    this.hyperparameters = hyperparametersOf(state, this.hyperparameters?.run);
    this.message = undefined;
    return checkpointInfo(state, path, savedAt);
  }

  private async write(path: string, format: ExportFormat): Promise<CheckpointInfo> {
    const state = this.requireModel();
    const info = checkpointInfo(state, path, new Date()); // taken with the snapshot, before the first await
    if (format === 'html' || format === 'onnx') {
      const refusal = exportRefusal(state, format);
      if (refusal) throw new ApiError('output-refused', `Cannot export as ${FORMAT_NAMES[format]}: ${refusal}.`);
      await writeModelExport(path, format, state, { textName: this.corpusPath ? basename(this.corpusPath) : null });
    } else if (format === 'safetensors') await writeSafetensorsFile(path, state);
    else await writeCheckpointFile(path, state);
    return info;
  }

  /** Progress of opening a corpus, sent to main at most every CORPUS_PROGRESS_MS (and at each new stage). */
  private corpusProgress(): (p: CorpusProgress) => void {
    let last = -Infinity, stage = '';
    return (p) => {
      const now = performance.now();
      if (p.stage === stage && now - last < CORPUS_PROGRESS_MS && p.done < p.total) return;
      last = now;
      stage = p.stage;
      this.send({ type: 'corpus-progress', id: 0, payload: { stage: p.stage, done: p.done, total: p.total } });
    };
  }

  /** The run's kept best model ("keep best"), saved with its iteration and validation loss. */
  private async writeBest(path: string): Promise<CheckpointInfo> {
    const state = this.requireModel();
    const best = this.run?.keeper?.best;
    if (!best) {
      throw new ApiError('no-model', this.run?.keeper
        ? 'No best model yet: it is kept from the first validation on (see "Sample every").'
        : 'This run does not keep its best model: turn on "Keep best" and start training.');
    }
    const saved = bestModelState(state, best);
    const info = checkpointInfo(saved, path, new Date());
    await writeCheckpointFile(path, saved);
    return info;
  }

  private async sample(request: SampleRequest, id: number): Promise<SampleResult> {
    const state = this.requireModel();
    if (this.sampling) throw new ApiError('busy', 'A sample is still being written; wait for it to finish.');
    this.sampling = true;
    try {
      return await runSampleJob(state, request, (text) => this.send({ type: 'sample-chunk', id, payload: { text } }));
    } finally {
      this.sampling = false;
    }
  }
}

/** A note as a sentence in a status message: capitalised, with a full stop. */
function sentence(note: string): string {
  return note.charAt(0).toUpperCase() + note.slice(1) + '.';
}

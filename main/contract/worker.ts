// The main↔worker protocol (types only): commands {type, id, payload} from main, events back from the worker.
// The worker runs under Electron's utilityProcess in the app and under child_process.fork in tests;
// both carry these objects by structured clone, so typed arrays would survive, but none are needed here.
import type { LossPoint } from '../../core/history.js';
import type {
  ApiErrorPayload, CheckpointInfo, CorpusLoadProgress, ExportFormat, Hyperparameters, LiveSample, ProgressEvent, SampleRequest, SampleResult,
} from './api.js';
import type {
  CopiesJob, CopiesResult, SurprisalJob, SurprisalResult, TemperatureStripRequest, TemperatureStripResult, UnitsRequest, UnitsResult,
} from './inspect.js';

/** Where a training run's model comes from. */
export type StartFrom =
  | { kind: 'fresh' }                  // a new model built from the hyperparameters and the corpus
  | { kind: 'loaded' }                 // continue the model the worker holds (an opened checkpoint, a stopped run)
  | { kind: 'file'; path: string };    // continue from a checkpoint file (restoring an autosave)

export interface StartPayload {
  corpusPath: string;
  hyperparameters: Hyperparameters;
  from: StartFrom;
  paused: boolean;                     // load everything, then wait for 'resume'
  autosavePath: string | null;         // where autosaves go (atomic); null = no autosave
}

/** Command type → payload and the result of its reply. */
export interface WorkerCommands {
  start: { payload: StartPayload; result: WorkerStatus };
  pause: { payload: null; result: WorkerStatus };
  resume: { payload: null; result: WorkerStatus };
  stop: { payload: null; result: WorkerStatus };
  status: { payload: null; result: WorkerStatus };
  /** Streams 'sample-chunk' events with the same id, then replies with the whole text. */
  sample: { payload: SampleRequest; result: SampleResult };
  /** best: the kept best model of the run instead of the current one (an error when none is kept). */
  save: { payload: { path: string; best?: boolean }; result: CheckpointInfo };
  /** A checkpoint (or a .safetensors file) becomes the worker's model, for sampling or to continue training. */
  load: { payload: { path: string }; result: CheckpointInfo };
  export: { payload: { path: string; format: ExportFormat }; result: string };
  /** The held model's loss history (empty without a model), for a renderer that loads mid-run. */
  history: { payload: null; result: LossPoint[] };
  /** Autosave now (before quitting); null when there is no model or no autosave path. */
  autosave: { payload: null; result: CheckpointInfo | null };
  /** The Inspect view's computations (main/worker/inspect-jobs.ts), on a copy of the model's parameters. */
  'inspect-surprisal': { payload: SurprisalJob; result: SurprisalResult };
  'inspect-units': { payload: UnitsRequest; result: UnitsResult };
  'inspect-copies': { payload: CopiesJob; result: CopiesResult };
  'inspect-temperatures': { payload: TemperatureStripRequest; result: TemperatureStripResult };
  /** This machine's training speed for the Auto preset: steps of a reference model (main/training/throughput.ts), refused while a run trains. */
  calibrate: { payload: { threads: number }; result: { flopsPerSecond: number } };
  /** Stop everything and exit after replying. */
  shutdown: { payload: null; result: null };
}

export type WorkerCommandType = keyof WorkerCommands;

export type WorkerCommand = {
  [K in WorkerCommandType]: { type: K; id: number; payload: WorkerCommands[K]['payload'] };
}[WorkerCommandType];

export type WorkerPhase = 'idle' | 'running' | 'paused' | 'stopped';

/** The worker's own view of its state; main adds 'starting', 'stopping' and 'crashed'. */
export interface WorkerStatus {
  /** Increases with every status the worker reports: a reply and an event can arrive in one read, so main keeps the newest. */
  seq: number;
  phase: WorkerPhase;
  hasModel: boolean;
  corpusPath: string | null;
  checkpointPath: string | null;
  hyperparameters: Hyperparameters | null;
  iteration: number;
  message?: string;
  /** The held model's characters, so the page can flag prime characters it does not know as they are typed. */
  vocabulary?: string[];
  /** The held model's text (core/corpus.ts's fingerprint), so only runs of the same corpus are compared on the chart. */
  corpusFingerprint?: string | null;
  /** The kernel set the run trains on ('wasm-relaxed-simd', 'wasm-simd', 'loops'), once a run has started. */
  kernels?: string;
}

export type WorkerReply =
  | { ok: true; result: unknown }
  | { ok: false; error: ApiErrorPayload };

/** Worker → main. `id` is the command's for replies and sample chunks, 0 for unprompted events. */
export type WorkerEvent =
  | { type: 'ready'; id: 0; payload: { pid: number } }
  | { type: 'reply'; id: number; payload: WorkerReply }
  | { type: 'progress'; id: 0; payload: ProgressEvent }
  | { type: 'live-sample'; id: 0; payload: LiveSample }
  | { type: 'corpus-progress'; id: 0; payload: CorpusLoadProgress } // opening the corpus of a 'start'
  | { type: 'sample-chunk'; id: number; payload: { text: string } }
  | { type: 'status'; id: 0; payload: WorkerStatus }          // changes main did not ask for: stop-after reached, divergence
  | { type: 'autosaved'; id: 0; payload: CheckpointInfo }
  | { type: 'autosave-failed'; id: 0; payload: ApiErrorPayload };

export type WorkerEventType = WorkerEvent['type'];

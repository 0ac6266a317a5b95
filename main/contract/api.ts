// The one typed contract between the renderer and the main process (types only).
// Main, preload, the end-to-end harness and the renderer all compile against it with `import type`.
// Every request's argument is validated in main (main/contract/validate.ts) before a service sees it.
import type { CellType } from '../../core/config.js';
import type { PresetSettings } from '../../core/presets.js';
import type { LossPoint } from '../../core/history.js';
import type { ApiErrorCode, ApiErrorPayload } from './api-error.js';
import type {
  CopiesRequest, CopiesResult, SurprisalRequest, SurprisalResult, TemperatureStripRequest, TemperatureStripResult, UnitsRequest, UnitsResult,
} from './inspect.js';
import type { Hyperparameters, StopAfter } from './run-settings.js';

export type { ApiErrorCode, ApiErrorPayload };
export type * from './inspect.js';
export type * from './run-settings.js';

/**
 * How the page names a file: an opaque token that main handed out for a path it got itself (a dialog's
 * answer, a drop resolved in the preload, a recent file main stored). The page never sends a path.
 */
export type FileToken = string;

/** A file the page may show (path, for people) and ask for again (token, for main). */
export interface FileRef {
  path: string;
  token: FileToken;
}

/** The pre-flight report of a corpus file, shown before training. */
export interface CorpusReport {
  path: string;                // shown to people; requests use the token
  token: FileToken;
  fileName: string;
  bytes: number;
  characters: number;          // code points
  vocabularySize: number;
  lines: number;
  crlfLines: number;
  hadBom: boolean;
  mostFrequent: { char: string; count: number }[];   // up to 10
  leastFrequent: { char: string; count: number }[];  // up to 10
  warnings: string[];          // e.g. too small for the sequence length, very large vocabulary
}

export type TrainingPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'crashed';

export interface TrainingStatus {
  phase: TrainingPhase;
  corpusPath: string | null;
  corpusToken?: FileToken | null;    // the corpus, as the page names it in requests (set by main)
  checkpointPath: string | null;     // where the model was opened from or last saved
  hyperparameters: Hyperparameters | null;
  iteration: number;
  message?: string;                  // e.g. why it crashed
  canRestoreAutosave?: boolean;
  /** The characters of the model sampling would use (absent without a model). */
  vocabulary?: string[];
  /** What the autosave on offer holds, for the banner that offers it. */
  autosave?: AutosaveSummary;
  /** The kernel set the run trains on ('wasm-relaxed-simd', 'wasm-simd', 'loops'), once a run has started. */
  kernels?: string;
}

export interface AutosaveSummary {
  corpusName: string;
  iteration: number;
  savedAt: string;             // ISO date
  loss: number | null;         // the latest training loss recorded, nats per char (the raw stretch mean when known)
  bestValLoss: number | null;  // nats per char
}

/** Throttled progress from the trainer (at most ~20 per second). */
export interface ProgressEvent {
  iteration: number;
  epoch: number;
  charsSeen: number;
  charsPerSec: number;
  smoothLoss: number;          // nats per char
  valLoss: number | null;      // last measured, nats per char
  bestValLoss: number | null;
  /** The kept best model of this run ("keep best"): where it was and its validation loss; null while none. */
  best?: { iteration: number; valLoss: number } | null;
  elapsedMs: number;           // the model's training time, pauses excluded, continued from its checkpoint or autosave
  etaMs: number | null;        // when a stop is set
  /**
   * New chart points since the last event. The first event of a run that continues a saved model
   * (a checkpoint file, an autosave, an opened checkpoint or a stopped run) carries the model's whole
   * history, sent before the reply to the start; points the chart already has are dropped there.
   */
  points: LossPoint[];
}

/** How far the worker has got opening the corpus of a run being started (a big file takes seconds). */
export interface CorpusLoadProgress {
  stage: 'reading' | 'decoding';
  done: number;                // bytes
  total: number;               // bytes
}

export interface LiveSample {
  iteration: number;
  text: string;
}

export interface SampleRequest {
  prime: string;
  length: number;
  temperature: number;
  topK: number;                // 0 = off
  argmax: boolean;
  seed: number;                // the sampler's RNG seed, separate from the prime
}

export interface SampleResult {
  text: string;                // the generated text (without the prime)
  unknownChars: string[];      // prime characters the model does not know (then text is '')
}

export interface CheckpointInfo {
  path: string;
  token?: FileToken;           // set by main on what it sends to the page: open it again with this
  fileName: string;
  iteration: number;
  epoch: number;
  smoothLoss: number;
  bestValLoss: number | null;
  cell: CellType;
  hiddenSize: number;
  layers: number;
  vocabularySize: number;
  savedAt: string;             // ISO date
  history: LossPoint[];        // for the chart, when the checkpoint is opened
}

/** An earlier run, read from its checkpoint to be drawn beside this one (the model held is not replaced). */
export interface ComparedRun {
  fileName: string;
  iteration: number;
  history: LossPoint[];        // the checkpoint's bounded history
}

/** The Auto preset for a text and a budget: the form's Stop after (minutes or iterations) and its split and threads. */
export interface AutoPresetRequest {
  corpus: FileToken;
  stopAfter: Exclude<StopAfter, { kind: 'never' }>;
  valFraction: number;
  threads?: number;
}

/** core's choice (core/auto-preset.ts) for that text, budget and this machine's measured speed. */
export interface AutoPresetChoice {
  /** The preset's fields: shape and optimisation (the schedule over the Stop after budget). */
  settings: PresetSettings;
  dropout: number;             // 0: off
  ema: number;                 // 0: off
  /** Why, in one line: the text, the budget, the speed here, and what that gives. */
  reason: string;
  /** The speed was measured for this request (a few training steps), not taken from main's cache. */
  measured: boolean;
}

export interface RecentFiles {
  corpora: string[];
  checkpoints: CheckpointInfo[];
}

export interface Settings {
  hyperparameters: Hyperparameters;
  recent: RecentFiles;
}

/** Settings as the page gets them: recent files with the tokens to open them by. */
export interface SettingsView {
  hyperparameters: Hyperparameters;
  /** The hyperparameters were set (an edit, a run, a stored file) rather than left at the defaults: Auto is the default for a new text only when false. */
  hyperparametersChosen?: boolean;
  recent: { corpora: FileRef[]; checkpoints: (CheckpointInfo & { token: FileToken })[] };
}

export type MenuCommand =
  | 'open-corpus' | 'open-checkpoint' | 'save-checkpoint' | 'export-checkpoint'
  | 'start' | 'pause' | 'resume' | 'stop' | 'sample';

export type ExportFormat = 'native' | 'safetensors' | 'html' | 'onnx';

/** Request channels: name → argument and result. */
export interface Requests {
  'corpus:open-dialog': { arg: null; result: CorpusReport | null };
  'corpus:open-file': { arg: { token: FileToken }; result: CorpusReport };
  /** Only the preload sends this, with the path webUtils.getPathForFile gave for a file dropped on the window. */
  'file:register-drop': { arg: { path: string }; result: FileToken };
  'settings:get': { arg: null; result: SettingsView };
  'settings:set-hyperparameters': { arg: Hyperparameters; result: null };
  /**
   * resume: true continues the model the worker holds (an opened checkpoint, or the stopped run),
   * false builds a new one. Omitted: continue only when a checkpoint was opened since the last start.
   * When continuing, the model's shape, batch, optimizer, split and seed stay the checkpoint's; the
   * learning rate, clipping, cadences, stop and autosave come from `hyperparameters`.
   */
  'training:start': { arg: { corpus: FileToken; hyperparameters: Hyperparameters; resume?: boolean }; result: TrainingStatus };
  /** The Auto preset's settings for a text and the form's budget (measures this machine's speed once, then cached). */
  'preset:auto': { arg: AutoPresetRequest; result: AutoPresetChoice };
  'training:pause': { arg: null; result: TrainingStatus };
  'training:resume': { arg: null; result: TrainingStatus };
  'training:stop': { arg: null; result: TrainingStatus };
  'training:status': { arg: null; result: TrainingStatus };
  'training:restore-autosave': { arg: null; result: TrainingStatus };
  /**
   * The loss history of the model main holds (training, stopped, or opened), as its checkpoint keeps it
   * (bounded: older points thinned); empty when there is none. For a window that loads mid-run.
   */
  'training:history': { arg: null; result: LossPoint[] };
  'sampler:sample': { arg: SampleRequest; result: SampleResult };
  'checkpoint:save-as': { arg: null; result: CheckpointInfo | null };
  /** Save the kept best model of the run ("keep best"): its weights, iteration and validation loss. */
  'checkpoint:save-best-as': { arg: null; result: CheckpointInfo | null };
  'checkpoint:open-dialog': { arg: null; result: CheckpointInfo | null };
  'checkpoint:open-file': { arg: { token: FileToken }; result: CheckpointInfo };
  /** "Add run to chart…": pick a checkpoint and read its loss history only (null: cancelled). */
  'checkpoint:compare-dialog': { arg: null; result: ComparedRun | null };
  'checkpoint:export': { arg: { format: ExportFormat }; result: string | null };
  'file:save-text': { arg: { suggestedName: string; text: string }; result: string | null };
  'file:save-png': { arg: { suggestedName: string; dataUrl: string }; result: string | null };
  'inspect:surprisal': { arg: SurprisalRequest; result: SurprisalResult };
  'inspect:units': { arg: UnitsRequest; result: UnitsResult };
  'inspect:copies': { arg: CopiesRequest; result: CopiesResult };
  'inspect:temperatures': { arg: TemperatureStripRequest; result: TemperatureStripResult };
}

/** Event channels: name → payload, from main to the renderer. */
export interface Events {
  'training:progress': ProgressEvent;
  'training:sample': LiveSample;
  'corpus:progress': CorpusLoadProgress;
  'training:status': TrainingStatus;
  'sampler:chunk': { text: string };     // streamed output of the running sampler:sample request
  'menu:command': MenuCommand;
  /** The OS asked the app to open a checkpoint (a double-click in the file manager, File › Open Recent). */
  'app:open-checkpoint': { token: FileToken };
}

export type RequestChannel = keyof Requests;
export type EventChannel = keyof Events;
export type Unsubscribe = () => void;

/** window.api, as the preload exposes it: verbs only, never ipcRenderer. */
export interface StudioApi {
  openCorpus(): Promise<CorpusReport | null>;
  /** A corpus main handed out before (a recent file, the one in training), by its token. */
  openCorpusFile(token: FileToken): Promise<CorpusReport>;
  /** A file dropped on the window: the preload resolves its path (webUtils.getPathForFile) and registers it with main. */
  openDroppedCorpus(file: File): Promise<CorpusReport>;
  getSettings(): Promise<SettingsView>;
  setHyperparameters(h: Hyperparameters): Promise<null>;
  startTraining(corpus: FileToken, hyperparameters: Hyperparameters, options?: { resume?: boolean }): Promise<TrainingStatus>;
  autoPreset(request: AutoPresetRequest): Promise<AutoPresetChoice>;
  pause(): Promise<TrainingStatus>;
  resume(): Promise<TrainingStatus>;
  stop(): Promise<TrainingStatus>;
  status(): Promise<TrainingStatus>;
  restoreAutosave(): Promise<TrainingStatus>;
  history(): Promise<LossPoint[]>;
  sample(request: SampleRequest): Promise<SampleResult>;
  saveCheckpoint(): Promise<CheckpointInfo | null>;
  saveBestCheckpoint(): Promise<CheckpointInfo | null>;
  openCheckpoint(): Promise<CheckpointInfo | null>;
  openCheckpointFile(token: FileToken): Promise<CheckpointInfo>;
  compareCheckpoint(): Promise<ComparedRun | null>;
  exportCheckpoint(format: ExportFormat): Promise<string | null>;
  saveText(suggestedName: string, text: string): Promise<string | null>;
  savePng(suggestedName: string, dataUrl: string): Promise<string | null>;
  inspectSurprisal(request: SurprisalRequest): Promise<SurprisalResult>;
  inspectUnits(request: UnitsRequest): Promise<UnitsResult>;
  inspectCopies(request: CopiesRequest): Promise<CopiesResult>;
  temperatureStrip(request: TemperatureStripRequest): Promise<TemperatureStripResult>;
  onProgress(cb: (e: ProgressEvent) => void): Unsubscribe;
  onLiveSample(cb: (e: LiveSample) => void): Unsubscribe;
  onStatus(cb: (e: TrainingStatus) => void): Unsubscribe;
  onSampleChunk(cb: (e: { text: string }) => void): Unsubscribe;
  onCorpusProgress(cb: (e: CorpusLoadProgress) => void): Unsubscribe;
  onMenuCommand(cb: (c: MenuCommand) => void): Unsubscribe;
  onOpenCheckpoint(cb: (e: { token: FileToken }) => void): Unsubscribe;
}

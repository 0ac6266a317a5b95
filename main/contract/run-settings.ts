// A run's settings: the one shape the form edits, main validates, the settings file keeps and the worker uses
// (types only). Part of the contract: main/contract/api.ts exports these with the rest.
import type { ModelConfig, TrainConfig } from '../../core/config.js';
import type { LrSchedule } from '../../core/presets.js';

/** A model's shape, as a run is asked for it: core's ModelConfig without the vocabulary, which the corpus decides. */
export type ModelShape = Omit<ModelConfig, 'vocabSize'>;

export type StopAfter = { kind: 'never' } | { kind: 'iterations'; value: number } | { kind: 'minutes'; value: number };

/** How a run goes, beside what it trains: its stop, its cadences, and the app's own switches. Not in a checkpoint. */
export interface RunSettings {
  stopAfter: StopAfter;
  sampleEvery: number;         // iterations between validation and a live sample (seed: 1000)
  sampleLength: number;        // characters of each live sample (seed: 200)
  autosaveMinutes: number;     // 0 = off
  /** Keep a copy of the weights of the best validation loss, to save with "Save best as…" (default off). */
  keepBest?: boolean;
  /** The learning rate over the "stop after" budget (cosine: warm-up, then down to 5%); without a stop, constant. */
  lrSchedule?: LrSchedule;
  /** Threads the batch's streams train on (default: every core; more than the batch's streams are clamped to it). */
  threads?: number;
}

/**
 * A run's settings, as the form edits them, main validates them and the worker uses them: core's two configs
 * as they are (the worker hands them to the engine untouched) and the run's own. The seed's values are the defaults.
 */
export interface Hyperparameters {
  model: ModelShape;
  training: TrainConfig;
  run: RunSettings;
}

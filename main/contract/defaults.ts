// What a first run starts from: the seed's model and training (min-char-rnn, from core) and the run's cadences.
// The one place the run defaults are written: the app's form, main's settings and the CLI's train flags read them.
import { SEED_MODEL, SEED_TRAINING, type TrainConfig } from '../../core/config.js';
import type { Hyperparameters, ModelShape, RunSettings } from './api.js';

export const MODEL_DEFAULTS: Readonly<ModelShape> = SEED_MODEL;

export const TRAINING_DEFAULTS: Readonly<TrainConfig> = SEED_TRAINING;

export const RUN_DEFAULTS: Readonly<RunSettings> = Object.freeze({
  stopAfter: Object.freeze({ kind: 'never' as const }),
  sampleEvery: 1000,     // the seed's notebook: a validation and a sample every 1000 iterations
  sampleLength: 200,     // the seed's
  autosaveMinutes: 5,
});

export const DEFAULT_HYPERPARAMETERS: Readonly<Hyperparameters> = Object.freeze({
  model: MODEL_DEFAULTS, training: TRAINING_DEFAULTS, run: RUN_DEFAULTS,
});

/** The defaults as a fresh object the caller may change. */
export function defaultHyperparameters(): Hyperparameters {
  return structuredClone(DEFAULT_HYPERPARAMETERS) as Hyperparameters;
}

export type Section = keyof Hyperparameters;

/** Which of the three a setting belongs to: a field of core's ModelConfig or TrainConfig, else the run's. */
export function sectionOf(key: string): Section {
  return Object.hasOwn(MODEL_DEFAULTS, key) ? 'model' : Object.hasOwn(TRAINING_DEFAULTS, key) ? 'training' : 'run';
}

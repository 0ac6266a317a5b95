// The hyperparameters a first run starts from: the seed's (min-char-rnn), plus the app's cadences.
import { SEED_MODEL, SEED_TRAINING } from '../../core/config.js';
import type { Hyperparameters } from './api.js';

export const DEFAULT_HYPERPARAMETERS: Readonly<Hyperparameters> = Object.freeze({
  cell: SEED_MODEL.cell,
  hiddenSize: SEED_MODEL.hiddenSize,
  layers: SEED_MODEL.layers,
  seqLength: SEED_TRAINING.seqLength,
  batchSize: SEED_TRAINING.batchSize,
  optimizer: SEED_TRAINING.optimizer,
  learningRate: SEED_TRAINING.learningRate,
  clipValue: SEED_TRAINING.clipValue,
  clipNorm: SEED_TRAINING.clipNorm,
  valFraction: SEED_TRAINING.valFraction,
  seed: SEED_TRAINING.seed,
  stopAfter: Object.freeze({ kind: 'never' as const }),
  sampleEvery: 1000,     // the seed samples every 100 iterations; live samples cost more in a UI
  sampleLength: 200,     // the seed's
  autosaveMinutes: 5,
});

export function defaultHyperparameters(): Hyperparameters {
  return { ...DEFAULT_HYPERPARAMETERS, stopAfter: { ...DEFAULT_HYPERPARAMETERS.stopAfter } };
}

// Model and training configuration: frozen objects with the seed's defaults, validated with specific messages.
import { CharRnnError } from './errors.js';

export const CELL_TYPES = ['rnn', 'lstm', 'gru'] as const;
export type CellType = (typeof CELL_TYPES)[number];

export const OPTIMIZERS = ['adagrad', 'adam', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface ModelConfig {
  readonly cell: CellType;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly layers: number;
}

export interface TrainConfig {
  readonly seqLength: number;      // BPTT window (seed: 25)
  readonly batchSize: number;      // parallel streams over the corpus (seed: 1)
  readonly optimizer: OptimizerName; // seed: adagrad
  readonly learningRate: number;   // seed: 0.1
  readonly clipValue: number;      // element-wise gradient clip, 0 = off (seed: 5)
  readonly clipNorm: number;       // global-norm gradient clip, 0 = off (seed: none)
  readonly valFraction: number;    // last fraction of the text held out for validation
  readonly seed: number;           // seeds initialisation and every other draw
}

/** The seed's model: a vanilla RNN with 100 hidden units. vocabSize comes from the corpus. */
export const SEED_MODEL: Omit<ModelConfig, 'vocabSize'> = Object.freeze({ cell: 'rnn', hiddenSize: 100, layers: 1 });

/** The seed's training settings (min-char-rnn), plus a 10% validation split. */
export const SEED_TRAINING: TrainConfig = Object.freeze({
  seqLength: 25,
  batchSize: 1,
  optimizer: 'adagrad',
  learningRate: 0.1,
  clipValue: 5,
  clipNorm: 0,
  valFraction: 0.1,
  seed: 1,
});

export const LIMITS = Object.freeze({
  hiddenSize: [1, 4096],
  layers: [1, 16],
  seqLength: [1, 10000],
  batchSize: [1, 4096],
  vocabSize: [1, 1 << 21],
  seed: [0, 0xffffffff],
  threads: [1, 256],       // data-parallel training threads (also at most the batch size)
} as const);

function fail(name: string, rule: string, value: unknown): never {
  throw new CharRnnError('bad-hyperparameter', `${name} must be ${rule}; got ${formatValue(value)}.`);
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  return JSON.stringify(v) ?? String(v);
}

function integerIn(name: string, v: unknown, [lo, hi]: readonly [number, number]): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(name, `a whole number from ${lo} to ${hi}`, v);
  return v;
}

function finiteIn(name: string, v: unknown, lo: number, hi: number, loOpen: boolean): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && (loOpen ? v > lo : v >= lo) && v <= hi;
  if (!ok) fail(name, `a number ${loOpen ? 'above' : 'from'} ${lo} ${loOpen ? 'and at most' : 'to'} ${hi}`, v);
  return v as number;
}

export function validateModelConfig(c: ModelConfig): ModelConfig {
  if (!CELL_TYPES.includes(c.cell)) fail('model', `one of ${CELL_TYPES.join(', ')}`, c.cell);
  return Object.freeze({
    cell: c.cell,
    vocabSize: integerIn('vocabSize', c.vocabSize, LIMITS.vocabSize),
    hiddenSize: integerIn('hiddenSize', c.hiddenSize, LIMITS.hiddenSize),
    layers: integerIn('layers', c.layers, LIMITS.layers),
  });
}

export function validateTrainConfig(c: TrainConfig): TrainConfig {
  if (!OPTIMIZERS.includes(c.optimizer)) fail('optimizer', `one of ${OPTIMIZERS.join(', ')}`, c.optimizer);
  return Object.freeze({
    seqLength: integerIn('seqLength', c.seqLength, LIMITS.seqLength),
    batchSize: integerIn('batchSize', c.batchSize, LIMITS.batchSize),
    optimizer: c.optimizer,
    learningRate: finiteIn('learningRate', c.learningRate, 0, 10, true),
    clipValue: finiteIn('clipValue', c.clipValue, 0, 1e6, false),
    clipNorm: finiteIn('clipNorm', c.clipNorm, 0, 1e6, false),
    valFraction: finiteIn('valFraction', c.valFraction, 0, 0.5, false),
    seed: integerIn('seed', c.seed, LIMITS.seed),
  });
}

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
  readonly dropout: number;        // inverted dropout on each layer's output while training, 0 = off (core/dropout.ts)
  readonly ema: number;            // decay of the weights' moving average that evaluation uses, 0 = off (core/ema.ts)
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
  dropout: 0,
  ema: 0,
});

/**
 * Training settings a continued run may change (the CLI's --resume and the app's Continue): no part of the
 * saved state is shaped by them. The model's shape, the batch size and optimizer (which shape the carried and
 * optimizer state) and the seed (used at initialisation) stay the model's. Dropout draws from the seed and the
 * iteration alone; an average switched on starts from the current weights, switched off is dropped.
 */
export const CHANGEABLE_ON_RESUME = ['seqLength', 'learningRate', 'clipValue', 'clipNorm', 'valFraction'] as const satisfies readonly (keyof TrainConfig)[];
/** Dropout and the weights' average may change too; a list apart until the app's form has fields for them. */
export const REGULARIZERS_CHANGEABLE_ON_RESUME = ['dropout', 'ema'] as const satisfies readonly (keyof TrainConfig)[];
export type ChangeableOnResume = (typeof CHANGEABLE_ON_RESUME)[number] | (typeof REGULARIZERS_CHANGEABLE_ON_RESUME)[number];

/**
 * A numeric field's range: whole or not, from min to max (above min when minExclusive). The one table of
 * limits: core's validation, the zod schemas at main's boundary, the CLI's flags and the app's forms read it.
 */
export interface Limit {
  readonly whole: boolean;
  readonly min: number;
  readonly max: number;
  readonly minExclusive: boolean;
}

const wholeFrom = (min: number, max: number): Limit => Object.freeze({ whole: true, min, max, minExclusive: false });
const numberFrom = (min: number, max: number): Limit => Object.freeze({ whole: false, min, max, minExclusive: false });
const numberAbove = (min: number, max: number): Limit => Object.freeze({ whole: false, min, max, minExclusive: true });

export const LIMITS = Object.freeze({
  // the model (ModelConfig)
  vocabSize: wholeFrom(1, 1 << 21),
  hiddenSize: wholeFrom(1, 4096),
  layers: wholeFrom(1, 16),
  // training (TrainConfig)
  seqLength: wholeFrom(1, 10000),
  batchSize: wholeFrom(1, 4096),
  learningRate: numberAbove(0, 10),
  clipValue: numberFrom(0, 1e6),
  clipNorm: numberFrom(0, 1e6),
  valFraction: numberFrom(0, 0.5),
  seed: wholeFrom(0, 0xffffffff),
  dropout: numberFrom(0, 0.9),
  ema: numberFrom(0, 0.99999),
  // a run's cadence (the app's "stop after", live samples, autosave; the CLI's train flags)
  stopIterations: wholeFrom(1, 1e12),
  stopMinutes: numberAbove(0, 1e6),
  sampleEvery: wholeFrom(1, 1e9),
  sampleLength: wholeFrom(0, 10_000),   // characters of each live sample (0: validation only)
  autosaveMinutes: numberFrom(0, 24 * 60),
  // the sampler (SampleOptions)
  primeLength: wholeFrom(0, 10_000),
  samplerLength: wholeFrom(0, 1_000_000),
  temperature: numberAbove(0, 100),
  topK: wholeFrom(0, 1 << 21),
  samplerSeed: wholeFrom(0, 0xffffffff),
  // data-parallel training threads (also at most the batch size; main/training/pool)
  threads: wholeFrom(1, 256),
} satisfies Record<string, Limit>);

export type LimitName = keyof typeof LIMITS;

/** A limit as people read it: 1e12 for large powers of ten, every other number as written. */
function shownLimit(n: number): string {
  const exponent = Math.log10(n);
  return n >= 1e7 && Number.isInteger(exponent) ? `1e${exponent}` : String(n);
}

/** What a value must be, e.g. "a whole number from 1 to 4096" or "a number above 0 and at most 10". */
export function limitRule(limit: Limit): string {
  const what = limit.whole ? 'a whole number' : 'a number';
  return limit.minExclusive
    ? `${what} above ${shownLimit(limit.min)} and at most ${shownLimit(limit.max)}`
    : `${what} from ${shownLimit(limit.min)} to ${shownLimit(limit.max)}`;
}

/** Whether v is a number within the limit. NaN and ±Infinity never are. */
export function withinLimit(limit: Limit, v: unknown): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (limit.whole && !Number.isInteger(v))) return false;
  return (limit.minExclusive ? v > limit.min : v >= limit.min) && v <= limit.max;
}

function fail(name: string, rule: string, value: unknown): never {
  throw new CharRnnError('bad-hyperparameter', `${name} must be ${rule}; got ${formatValue(value)}.`);
}

function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  return JSON.stringify(v) ?? String(v);
}

/** v when within LIMITS[name]; otherwise a 'bad-hyperparameter' error that names the field, the rule and the value. */
export function checkLimit(name: LimitName, v: unknown, label: string = name): number {
  if (!withinLimit(LIMITS[name], v)) fail(label, limitRule(LIMITS[name]), v);
  return v as number;
}

export function validateModelConfig(c: ModelConfig): ModelConfig {
  if (!CELL_TYPES.includes(c.cell)) fail('model', `one of ${CELL_TYPES.join(', ')}`, c.cell);
  return Object.freeze({
    cell: c.cell,
    vocabSize: checkLimit('vocabSize', c.vocabSize),
    hiddenSize: checkLimit('hiddenSize', c.hiddenSize),
    layers: checkLimit('layers', c.layers),
  });
}

export function validateTrainConfig(c: TrainConfig): TrainConfig {
  if (!OPTIMIZERS.includes(c.optimizer)) fail('optimizer', `one of ${OPTIMIZERS.join(', ')}`, c.optimizer);
  return Object.freeze({
    seqLength: checkLimit('seqLength', c.seqLength),
    batchSize: checkLimit('batchSize', c.batchSize),
    optimizer: c.optimizer,
    learningRate: checkLimit('learningRate', c.learningRate),
    clipValue: checkLimit('clipValue', c.clipValue),
    clipNorm: checkLimit('clipNorm', c.clipNorm),
    valFraction: checkLimit('valFraction', c.valFraction),
    seed: checkLimit('seed', c.seed),
    // absent in settings written before they existed (checkpoints, safetensors metadata): off
    dropout: checkLimit('dropout', c.dropout ?? 0),
    ema: checkLimit('ema', c.ema ?? 0),
  });
}

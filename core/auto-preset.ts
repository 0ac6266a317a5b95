// The Auto preset: settings chosen from the text (its size and vocabulary), the budget (seconds or iterations)
// and this machine's measured speed. A pure function: the CLI measures the speed (a few timed steps, cached)
// and passes it in. The rule and the measurements behind it are in docs/auto-preset.md.
import type { CellType } from './config.js';
import { paramLayout } from './layout.js';
import type { PresetSettings } from './presets.js';

/** What the rule needs to know. */
export interface AutoInputs {
  trainChars: number;          // characters the run trains on (the text minus its validation part)
  vocabSize: number;
  budget: { seconds?: number; iterations?: number };
  /** This machine's measured training speed, in floating-point operations per second (trainingFlopsPerChar × chars/s). */
  flopsPerSecond: number;
}

/** The choice: a preset's settings, the validation cadence, the regularisers, and why, in one line. */
export interface AutoChoice {
  settings: PresetSettings;
  /** Validation on the clock at most this share of the run's time (with best-keeping). */
  validationShare: number;
  /** Inverted dropout on each layer's output while training (0: off): on a small text, where a model overfits. */
  dropout: number;
  /** Decay of the weights' moving average that validation, best-keeping, sampling and saving use (0: off). */
  ema: number;
  /** Characters the budget lets this model train on, and the passes over the text that makes. */
  plannedChars: number;
  plannedEpochs: number;
  reason: string;
}

/** The widths Auto picks from (one GRU layer). */
export const AUTO_WIDTHS = [32, 48, 64, 96, 128, 192, 256, 384, 512] as const;
export const AUTO_BATCH = 16;
export const AUTO_SEQ = 50;
/** Parameters per training character a model may have without a regulariser before it learns the text by heart. */
export const MAX_PARAMS_PER_CHAR = 3.5;
/** Passes over the text a width should get in the budget to learn what it can. */
export const MIN_EPOCHS = 4;
/** In a budget too short for that (a large text): characters per parameter, below which a smaller model learns more. */
export const MIN_CHARS_PER_PARAM = 20;
/** The weight average's decay, below EMA_BELOW_CHARS training characters: there it helped on every text measured. */
export const AUTO_EMA = 0.999;
/**
 * Above this many training characters, no weight average: on 0.9M characters of Python in a minute it cost
 * 0.07 nats/char (the model still improves fast, and the average lags behind it); on 32k and 214k it gained 0.1–0.17.
 */
export const EMA_BELOW_CHARS = 500_000;
/** Dropout below this many training characters, where a model overfits within any budget. */
export const DROPOUT_BELOW_CHARS = 60_000;
export const AUTO_DROPOUT = 0.2;
/**
 * Dropout by the passes over the text the budget buys, the most passes first: a model sees a text that often only by
 * learning it by heart, and without dropout its best moment comes after ~4–6 passes whatever the budget. Measured
 * (docs/auto-preset.md, held out, one thread): Kafka's story in 300 s (~69 passes) none 1.428, 0.2 1.411, 0.35
 * 1.404; the licences in 300 s (~15 passes) none 1.558, 0.2 1.510; in 60 s (~14 and ~7 passes) 0.2 moved
 * neither by more than 0.007.
 */
export const DROPOUT_BY_PASSES: readonly (readonly [passes: number, dropout: number])[] = [[40, 0.35], [10, 0.2]];

/** The dropout for a text of `trainChars` seen `passes` times in the budget: the larger of the two rules. */
export function autoDropout(trainChars: number, passes: number): number {
  const byPasses = DROPOUT_BY_PASSES.find(([atLeast]) => passes >= atLeast)?.[1] ?? 0;
  return Math.max(trainChars < DROPOUT_BELOW_CHARS ? AUTO_DROPOUT : 0, byPasses);
}

const CELL: CellType = 'gru';
const GATES = 3;

/** Floating-point operations per trained character of one GRU layer: forward 2·(G·H·H + V·H), backward twice that. */
export function trainingFlopsPerChar(hiddenSize: number, vocabSize: number, gates = GATES): number {
  return 3 * 2 * (gates * hiddenSize * hiddenSize + vocabSize * hiddenSize);
}

/** Parameters of one GRU layer with its read-out. */
export function gruParameters(hiddenSize: number, vocabSize: number): number {
  return paramLayout({ cell: CELL, hiddenSize, layers: 1, vocabSize }).size;
}

/** Adam's rate for a width: 0.008 at 128, as 1/√H around it, within [0.002, 0.01]. */
export function autoLearningRate(hiddenSize: number): number {
  const rate = 0.008 * Math.sqrt(128 / hiddenSize);
  return Math.round(Math.min(0.01, Math.max(0.002, rate)) * 10000) / 10000;
}

/** Characters a width can train on in the budget: by the iteration count, else by the time and the measured speed. */
function plannedChars(hiddenSize: number, inputs: AutoInputs): number {
  const byIterations = inputs.budget.iterations !== undefined ? inputs.budget.iterations * AUTO_BATCH * AUTO_SEQ : Infinity;
  const bySeconds = inputs.budget.seconds !== undefined
    ? inputs.budget.seconds * inputs.flopsPerSecond / trainingFlopsPerChar(hiddenSize, inputs.vocabSize) : Infinity;
  return Math.min(byIterations, bySeconds);
}

const compact = (n: number): string => n >= 1e6 ? `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M` : n >= 1e3 ? `${Math.round(n / 1e3)}k` : String(Math.round(n));

/**
 * The widest GRU that (1) has at most MAX_PARAMS_PER_CHAR parameters per training character, and (2) in the
 * budget sees the text MIN_EPOCHS times or trains on at least MIN_CHARS_PER_PARAM characters per parameter
 * (a large text: more passes are out of reach, so the model must be small enough to learn from what it sees).
 * The narrowest width when none qualifies.
 */
export function autoPreset(inputs: AutoInputs): AutoChoice {
  const { trainChars, vocabSize, budget } = inputs;
  if (budget.seconds === undefined && budget.iterations === undefined) throw new RangeError('Auto needs a budget: seconds or iterations');
  if (!(trainChars > 0) || !(inputs.flopsPerSecond > 0)) throw new RangeError('Auto needs a text and a measured speed');
  const fits = (H: number) => gruParameters(H, vocabSize) <= MAX_PARAMS_PER_CHAR * trainChars;
  const learnsEnough = (H: number) => {
    const chars = plannedChars(H, inputs);
    return chars >= MIN_EPOCHS * trainChars || chars >= MIN_CHARS_PER_PARAM * gruParameters(H, vocabSize);
  };
  let hiddenSize: number = AUTO_WIDTHS[0];
  for (const H of AUTO_WIDTHS) if (fits(H) && learnsEnough(H)) hiddenSize = H;
  const chars = plannedChars(hiddenSize, inputs);
  const epochs = chars / trainChars;
  const settings: PresetSettings = Object.freeze({
    cell: CELL, hiddenSize, layers: 1, seqLength: AUTO_SEQ, batchSize: AUTO_BATCH, optimizer: 'adam',
    learningRate: autoLearningRate(hiddenSize), clipValue: 5, clipNorm: 0, lrSchedule: 'cosine',
  });
  const dropout = autoDropout(trainChars, epochs);
  const ema = trainChars < EMA_BELOW_CHARS ? AUTO_EMA : 0;
  const regularizers = [dropout > 0 ? `dropout ${dropout}` : '', ema > 0 ? `EMA ${ema}` : ''].filter(Boolean).map((r) => `${r}, `).join('');
  const over = budget.seconds !== undefined ? `${budget.seconds} s` : `${budget.iterations} iterations`;
  const speed = budget.seconds !== undefined
    ? `, ~${compact(inputs.flopsPerSecond / trainingFlopsPerChar(hiddenSize, vocabSize))} chars/s here` : '';
  const reason = `${compact(trainChars)} chars, vocabulary ${vocabSize}, ${over}${speed} → GRU ${hiddenSize}, ` +
    `${regularizers}Adam ${settings.learningRate} cosine, batch ${AUTO_BATCH}, seq ${AUTO_SEQ} (~${epochs < 0.1 ? epochs.toFixed(3) : epochs < 10 ? epochs.toFixed(1) : Math.round(epochs)} passes over the text)`;
  return Object.freeze({ settings, validationShare: 0.05, dropout, ema, plannedChars: chars, plannedEpochs: epochs, reason });
}

// The JSON header of a checkpoint: written from a TrainingState, and read back field by field with
// a specific message for each field that is missing or of the wrong type (docs/checkpoint-format.md).
import { LIMITS, type ModelConfig, type TrainConfig } from './config.js';
import { CharRnnError } from './errors.js';
import { MAX_HISTORY_POINTS, type LossPoint } from './history.js';
import { readSchedule, type LearningRateSchedule } from './schedule.js';
import type { Precision } from './tensor.js';

/** The raw buffers after the header, in the order they are written. */
export const BUFFER_NAMES = ['params', 'optimizerState', 'hidden'] as const;
export type BufferName = (typeof BUFFER_NAMES)[number];
/** Buffers a checkpoint holds only when the run has them (version 3): the weights' moving average. */
export const OPTIONAL_BUFFER_NAMES = ['emaParams'] as const;
export type OptionalBufferName = (typeof OPTIONAL_BUFFER_NAMES)[number];
export type BufferTable = Record<BufferName, BufferEntry> & Partial<Record<OptionalBufferName, BufferEntry>>;

/** Where a raw buffer lies: offset from the start of the data section (a multiple of 8) and its length. */
export interface BufferEntry {
  offset: number;
  byteLength: number;
}

/** A float that JSON cannot hold (NaN, ±Infinity) is written as this string, so it round-trips. */
export type JsonFloat = number | 'NaN' | 'Infinity' | '-Infinity';

export interface CheckpointHeader {
  model: ModelConfig;
  vocab: string[];
  training: TrainConfig;
  precision: Precision;
  iteration: number;
  epoch: number;
  charsSeen: number;
  optimizerSteps: number;
  positions: number[];
  smoothLoss: JsonFloat;
  bestValLoss: JsonFloat | null;
  corpusFingerprint: string | null;
  lossHistory: { iter: number; loss: JsonFloat; raw?: JsonFloat; valLoss?: JsonFloat; epoch?: number; elapsedMs?: number }[];
  threads: number;
  /** The kernel set that trained it last; absent before the first step and in older checkpoints. */
  kernels?: string;
  /** The run's learning-rate schedule; absent: the constant rate (and every checkpoint from before it was recorded). */
  schedule?: LearningRateSchedule;
  buffers: BufferTable;
}

/** The header fields as plain values, after validation (configs still to be checked by the caller). */
export interface ParsedHeader {
  model: unknown;
  vocab: string[];
  training: unknown;
  precision: Precision;
  iteration: number;
  epoch: number;
  charsSeen: number;
  optimizerSteps: number;
  positions: Int32Array;
  smoothLoss: number;
  bestValLoss: number | null;
  corpusFingerprint: string | null;
  lossHistory: LossPoint[];
  threads: number;
  kernels: string | null;
  schedule: LearningRateSchedule | null;
}

export function toJsonFloat(x: number): JsonFloat {
  if (Number.isFinite(x)) return x;
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
}

/** The most recent MAX_HISTORY_POINTS points: what a checkpoint keeps of a longer history. */
export function boundedHistory(history: readonly LossPoint[]): readonly LossPoint[] {
  return history.length > MAX_HISTORY_POINTS ? history.slice(history.length - MAX_HISTORY_POINTS) : history;
}

function bad(message: string): never {
  throw new CharRnnError('bad-checkpoint', message);
}

const REWRITE_ADVICE = 'the file was written by another program or edited by hand; use a checkpoint saved by Char-RNN Studio.';

function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

function wrongField(name: string, expected: string, got: unknown): never {
  const what = got === undefined ? 'is missing' : `is ${shown(got)}, not ${expected}`;
  bad(`The checkpoint header's field "${name}" ${what}; ${REWRITE_ADVICE}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function wholeNumber(name: string, v: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) wrongField(name, `a whole number from 0 to ${max}`, v);
  return v;
}

/** A finite number ≥ 0 (a fraction allowed). */
function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) wrongField(name, 'a number of 0 or more', v);
  return v;
}

function float(name: string, v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  wrongField(name, 'a number', v);
}

/** Checks the parts of the header needed to find the buffers: the precision and the buffer table. */
export function readBufferTable(header: unknown): { precision: Precision; buffers: BufferTable } {
  if (!isRecord(header)) bad(`The checkpoint header is ${shown(header)}, not a JSON object; ${REWRITE_ADVICE}`);
  const precision = header.precision;
  if (precision !== 'f32' && precision !== 'f64') wrongField('precision', '"f32" or "f64"', precision);
  const table = header.buffers;
  if (!isRecord(table)) wrongField('buffers', 'an object', table);
  const buffers = {} as BufferTable;
  const present = [...BUFFER_NAMES, ...OPTIONAL_BUFFER_NAMES.filter((name) => table[name] !== undefined)];
  for (const name of present) {
    const entry = table[name];
    if (!isRecord(entry)) wrongField(`buffers.${name}`, 'an object', entry);
    const offset = wholeNumber(`buffers.${name}.offset`, entry.offset);
    const byteLength = wholeNumber(`buffers.${name}.byteLength`, entry.byteLength);
    if (offset % 8 !== 0) wrongField(`buffers.${name}.offset`, 'a multiple of 8', offset);
    const elementBytes = precision === 'f64' ? 8 : 4;
    if (byteLength % elementBytes !== 0) wrongField(`buffers.${name}.byteLength`, `a multiple of ${elementBytes} (${precision})`, byteLength);
    buffers[name] = { offset, byteLength };
  }
  const sorted = present.map((name) => ({ name, ...buffers[name]! })).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1], next = sorted[i];
    if (prev.offset + prev.byteLength > next.offset) {
      bad(`The checkpoint's buffers "${prev.name}" and "${next.name}" overlap; ${REWRITE_ADVICE}`);
    }
  }
  return { precision, buffers };
}

/** Checks every other header field's type and range; the caller validates the configs and sizes. */
export function readHeaderFields(header: Record<string, unknown>, precision: Precision): ParsedHeader {
  if (!isRecord(header.model)) wrongField('model', 'an object', header.model);
  if (!isRecord(header.training)) wrongField('training', 'an object', header.training);
  const vocab = header.vocab;
  if (!Array.isArray(vocab)) wrongField('vocab', 'an array of characters', vocab);
  vocab.forEach((c, i) => { if (typeof c !== 'string') wrongField(`vocab[${i}]`, 'a string', c); });
  const positions = header.positions;
  if (!Array.isArray(positions)) wrongField('positions', 'an array of whole numbers', positions);
  // version 1 wrote the generator's state after initialisation; nothing used it, but a damaged one is still damage
  const rngState = header.rngState;
  if (rngState !== undefined) {
    if (!Array.isArray(rngState) || rngState.length !== 4) wrongField('rngState', 'an array of four unsigned 32-bit integers', rngState);
    rngState.forEach((x, i) => wholeNumber(`rngState[${i}]`, x, 0xffffffff));
  }
  const fingerprint = header.corpusFingerprint;
  if (fingerprint !== null && typeof fingerprint !== 'string') wrongField('corpusFingerprint', 'a string or null', fingerprint);
  const history = header.lossHistory;
  if (!Array.isArray(history)) wrongField('lossHistory', 'an array', history);
  return {
    model: header.model,
    vocab: vocab as string[],
    training: header.training,
    precision,
    iteration: wholeNumber('iteration', header.iteration),
    epoch: wholeNumber('epoch', header.epoch),
    charsSeen: wholeNumber('charsSeen', header.charsSeen),
    optimizerSteps: wholeNumber('optimizerSteps', header.optimizerSteps),
    positions: Int32Array.from(positions, (p, i) => wholeNumber(`positions[${i}]`, p, 0x7fffffff)),
    smoothLoss: float('smoothLoss', header.smoothLoss),
    bestValLoss: header.bestValLoss === null ? null : float('bestValLoss', header.bestValLoss),
    corpusFingerprint: fingerprint,
    lossHistory: boundedHistory(history.map((p: unknown, i) => readLossPoint(p, i))) as LossPoint[],
    // checkpoints from before data-parallel training have no thread count: they trained on one thread
    threads: header.threads === undefined ? 1 : wholeNumber('threads', header.threads, LIMITS.threads.max),
    // checkpoints from before the record say nothing of the kernels that trained them
    kernels: header.kernels === undefined ? null : kernelSetName(header.kernels),
    schedule: header.schedule === undefined ? null : readRecordedSchedule(header.schedule),
  };
}

function kernelSetName(v: unknown): string {
  if (typeof v !== 'string' || !/^[a-z0-9-]{1,40}$/.test(v)) wrongField('kernels', 'a kernel set\'s name such as "wasm-simd"', v);
  return v;
}

function readRecordedSchedule(v: unknown): LearningRateSchedule {
  try {
    return readSchedule(v);
  } catch (e) {
    bad(`The checkpoint's learning-rate schedule is invalid: ${(e as Error).message}; ${REWRITE_ADVICE}`);
  }
}

function readLossPoint(p: unknown, i: number): LossPoint {
  if (!isRecord(p)) wrongField(`lossHistory[${i}]`, 'an object', p);
  const point: LossPoint = { iter: wholeNumber(`lossHistory[${i}].iter`, p.iter), loss: float(`lossHistory[${i}].loss`, p.loss) };
  if (p.raw !== undefined) point.raw = float(`lossHistory[${i}].raw`, p.raw);
  if (p.valLoss !== undefined) point.valLoss = float(`lossHistory[${i}].valLoss`, p.valLoss);
  if (p.epoch !== undefined) point.epoch = positive(`lossHistory[${i}].epoch`, p.epoch);
  if (p.elapsedMs !== undefined) point.elapsedMs = positive(`lossHistory[${i}].elapsedMs`, p.elapsedMs);
  return point;
}

// Checkpoints: a whole TrainingState as one versioned, checksummed file that resumes bit for bit.
// The format, byte by byte, is in docs/checkpoint-format.md; loading says exactly what is wrong.
import { align8, bytesPerFloat, dataView, firstNonFinite, readFloatsLE, writeFloatsLE } from './bytes.js';
import {
  BUFFER_NAMES, boundedHistory, readBufferTable, readHeaderFields, toJsonFloat,
  type BufferName, type BufferTable, type CheckpointHeader,
} from './checkpoint-header.js';
import { validateModelConfig, validateTrainConfig, type ModelConfig, type TrainConfig } from './config.js';
import { cellDefinition } from './cells/index.js';
import { crc32 } from './crc32.js';
import { CharRnnError, isCharRnnError } from './errors.js';
import { paramLayout, type ParamLayout } from './layout.js';
import { optimizerStateMultiple } from './optim.js';
import { precisionOf, type FloatArray, type Precision } from './tensor.js';
import type { TrainingState } from './trainer.js';
import { Vocabulary } from './vocab.js';

export const CHECKPOINT_MAGIC = 'CHARRNN\0';
/**
 * 2: no rngState (version 1 saved the generator's state after initialisation, which nothing drew from again).
 * 3: an optional emaParams buffer. A file without one is still written as version 2, so older readers open it.
 */
export const CHECKPOINT_VERSION = 3;
const VERSION_WITHOUT_EMA = 2;

const MAGIC_BYTES = new TextEncoder().encode(CHECKPOINT_MAGIC);
const PREAMBLE_BYTES = 16; // magic (8), format version (u32), header length (u32)
const CHECKSUM_BYTES = 4;  // CRC-32 of everything before it

export interface CheckpointSummary {
  model: ModelConfig;
  training: TrainConfig;
  vocabSize: number;
  iteration: number;
  epoch: number;
  charsSeen: number;
  smoothLoss: number;        // nats per char
  bestValLoss: number | null; // nats per char
  precision: Precision;
  parameterCount: number;
  bytes: number;             // size of the checkpoint file
  historyPoints: number;
  kernels: string | null;    // the kernel set that trained it last (null: not recorded)
}

function bad(message: string): never {
  throw new CharRnnError('bad-checkpoint', message);
}

/** "a 2-layer lstm with hidden size 100 and 80 characters": what a buffer size is checked against. */
function describeModel(m: ModelConfig): string {
  return `a ${m.layers}-layer ${m.cell} with hidden size ${m.hiddenSize} and ${m.vocabSize} characters`;
}

/** "Wxh[3, 7]": where flat parameter index i lies in the layout. */
export function locateParam(layout: ParamLayout, i: number): string {
  const t = layout.tensors.find((s) => i >= s.offset && i < s.offset + s.size);
  if (!t) return `index ${i}`;
  const k = i - t.offset;
  return t.shape.length === 2 ? `${t.name}[${Math.floor(k / t.shape[1])}, ${k % t.shape[1]}]` : `${t.name}[${k}]`;
}

/** The float counts each buffer must have for this model and batch size. */
function expectedCounts(model: ModelConfig, training: TrainConfig, layout: ParamLayout): Record<BufferName, number> {
  const stateSize = cellDefinition(model.cell).stateMultiple * model.hiddenSize;
  return {
    params: layout.size,
    optimizerState: optimizerStateMultiple(training.optimizer) * layout.size,
    hidden: model.layers * training.batchSize * stateSize,
  };
}

interface CheckpointPlan {
  header: Uint8Array;   // the UTF-8 JSON
  dataStart: number;    // where the buffers begin: the header's end, padded to 8
  buffers: BufferTable;
  totalBytes: number;
  version: number;
}

/** Refuses a state that could not be loaded again: sizes that disagree, or diverged parameters. */
function checkSaveable(state: TrainingState): void {
  const { model, training } = state;
  const precision = precisionOf(state.params);
  const layout = paramLayout(model);
  const counts = expectedCounts(model, training, layout);
  const misuse = (message: string): never => { throw new CharRnnError('state-misuse', `Cannot save a checkpoint: ${message}`); };
  if (state.vocab.size !== model.vocabSize) misuse(`the vocabulary has ${state.vocab.size} characters; the model expects ${model.vocabSize}.`);
  if (state.positions.length !== training.batchSize) misuse(`positions has ${state.positions.length} entries; batch size is ${training.batchSize}.`);
  for (const name of BUFFER_NAMES) {
    const buffer = state[name];
    if (precisionOf(buffer) !== precision) misuse(`${name} is ${precisionOf(buffer)} but params are ${precision}.`);
    if (buffer.length !== counts[name]) misuse(`${name} has ${buffer.length} floats; ${describeModel(model)} needs ${counts[name]}.`);
  }
  if (state.emaParams) {
    if (precisionOf(state.emaParams) !== precision) misuse(`emaParams is ${precisionOf(state.emaParams)} but params are ${precision}.`);
    if (state.emaParams.length !== layout.size) misuse(`emaParams has ${state.emaParams.length} floats; params have ${layout.size}.`);
  }
  for (const name of savedBuffers(state)) {
    const i = firstNonFinite(state[name]!);
    if (i < 0) continue;
    const where = name === 'params' ? `parameter ${locateParam(layout, i)}` : `${name}[${i}]`;
    throw new CharRnnError('diverged', `Cannot save a checkpoint: ${where} is ${state[name]![i]} — training has diverged; ` +
      'resume from an earlier checkpoint with a lower learning rate.');
  }
}

/** The buffers a state's file holds, in the order they are written. */
function savedBuffers(state: TrainingState): (BufferName | 'emaParams')[] {
  return state.emaParams ? [...BUFFER_NAMES, 'emaParams'] : [...BUFFER_NAMES];
}

/** Lays out a state's file: the header JSON and where each buffer goes. */
function planCheckpoint(state: TrainingState): CheckpointPlan {
  const { model, training } = state;
  const precision = precisionOf(state.params);
  const buffers = {} as BufferTable;
  let offset = 0;
  for (const name of savedBuffers(state)) {
    const byteLength = state[name]!.length * bytesPerFloat(precision);
    buffers[name] = { offset, byteLength };
    offset = align8(offset + byteLength);
  }
  const header: CheckpointHeader = {
    model,
    vocab: [...state.vocab.chars],
    training,
    precision,
    iteration: state.iteration,
    epoch: state.epoch,
    charsSeen: state.charsSeen,
    optimizerSteps: state.optimizerSteps,
    positions: Array.from(state.positions),
    smoothLoss: toJsonFloat(state.smoothLoss),
    bestValLoss: state.bestValLoss === null ? null : toJsonFloat(state.bestValLoss),
    corpusFingerprint: state.corpusFingerprint,
    lossHistory: boundedHistory(state.lossHistory).map((p) => {
      const point: CheckpointHeader['lossHistory'][number] = { iter: p.iter, loss: toJsonFloat(p.loss) };
      if (p.raw !== undefined) point.raw = toJsonFloat(p.raw);
      if (p.valLoss !== undefined) point.valLoss = toJsonFloat(p.valLoss);
      if (p.epoch !== undefined) point.epoch = p.epoch;
      if (p.elapsedMs !== undefined) point.elapsedMs = p.elapsedMs;
      return point;
    }),
    threads: state.threads,
    ...(state.kernels === null ? {} : { kernels: state.kernels }),
    ...(state.schedule ? { schedule: state.schedule } : {}),
    buffers,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align8(PREAMBLE_BYTES + headerBytes.length);
  const version = state.emaParams ? CHECKPOINT_VERSION : VERSION_WITHOUT_EMA;
  return { header: headerBytes, dataStart, buffers, totalBytes: dataStart + offset + CHECKSUM_BYTES, version };
}

export function serializeCheckpoint(state: TrainingState): Uint8Array {
  checkSaveable(state);
  const plan = planCheckpoint(state);
  const out = new Uint8Array(plan.totalBytes);
  const view = dataView(out);
  out.set(MAGIC_BYTES, 0);
  view.setUint32(8, plan.version, true);
  view.setUint32(12, plan.header.length, true);
  out.set(plan.header, PREAMBLE_BYTES);
  for (const name of savedBuffers(state)) writeFloatsLE(out, plan.dataStart + plan.buffers[name]!.offset, state[name]!);
  const end = plan.totalBytes - CHECKSUM_BYTES;
  view.setUint32(end, crc32(out.subarray(0, end)), true);
  return out;
}

/** Whether bytes start like a safetensors file: a u64 header length that fits, then '{'. */
function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10 || bytes[8] !== 0x7b) return false;
  const view = dataView(bytes);
  return view.getUint32(4, true) === 0 && view.getUint32(0, true) <= bytes.length - 8;
}

function truncated(at: number, expected: string): never {
  bad(`The checkpoint is truncated at byte ${at} (expected ${expected}): the file was cut short, ` +
    'for example by an interrupted save or copy; use a complete copy or an earlier checkpoint.');
}

/** Magic, version and header length: returns the header's byte range. */
function readPreamble(bytes: Uint8Array): { headerEnd: number } {
  if (bytes.length === 0) bad('The checkpoint file is empty (0 bytes): it was never written completely; use an earlier checkpoint.');
  const prefix = Math.min(bytes.length, MAGIC_BYTES.length);
  const magicOk = MAGIC_BYTES.subarray(0, prefix).every((b, i) => bytes[i] === b);
  if (!magicOk) {
    if (looksLikeSafetensors(bytes)) {
      bad('This is a safetensors weights file, not a checkpoint: import it instead, ' +
        'which starts a new training run from its weights and vocabulary.');
    }
    bad('Not a Char-RNN Studio checkpoint: the file does not start with the "CHARRNN" signature; ' +
      'choose a checkpoint saved by Char-RNN Studio.');
  }
  if (bytes.length < PREAMBLE_BYTES) truncated(bytes.length, `at least ${PREAMBLE_BYTES} bytes`);
  const view = dataView(bytes);
  const version = view.getUint32(8, true);
  if (version > CHECKPOINT_VERSION) {
    bad(`This checkpoint uses format version ${version}, newer than this app supports (version ${CHECKPOINT_VERSION}); ` +
      'update Char-RNN Studio to open it.');
  }
  if (version < 1) bad('The checkpoint has format version 0, which does not exist: the file is damaged; use an intact copy.');
  const headerEnd = PREAMBLE_BYTES + view.getUint32(12, true);
  if (bytes.length < headerEnd + CHECKSUM_BYTES) truncated(bytes.length, `at least ${headerEnd + CHECKSUM_BYTES} bytes`);
  return { headerEnd };
}

type HeaderParse = { ok: true; value: unknown } | { ok: false; message: string };

function parseHeaderJson(bytes: Uint8Array): HeaderParse {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: 'The checkpoint header is not valid UTF-8 text; the file is damaged; use an intact copy.' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { ok: false, message: `The checkpoint header is not valid JSON (${detail}); the file is damaged; use an intact copy.` };
  }
}

/** Rewraps a config error (bad-hyperparameter) as bad-checkpoint with the file as context. */
function checkedConfig<T>(what: string, validate: () => T): T {
  try {
    return validate();
  } catch (e) {
    if (isCharRnnError(e)) {
      const reason = e.message.charAt(0).toLowerCase() + e.message.slice(1).replace(/\.$/, '');
      bad(`The checkpoint's ${what} is invalid: ${reason}; the file was edited or written by another program.`);
    }
    throw e;
  }
}

export function deserializeCheckpoint(bytes: Uint8Array): TrainingState {
  const { headerEnd } = readPreamble(bytes);
  const dataStart = align8(headerEnd);
  const header = parseHeaderJson(bytes.subarray(PREAMBLE_BYTES, headerEnd));

  // The buffer table says how long the file must be; with it, a short file is reported as cut short
  // rather than as corrupted. Without it (a damaged header), the checksum decides what to say.
  let table: ReturnType<typeof readBufferTable> | null = null;
  let tableError: unknown = null;
  if (header.ok) {
    try { table = readBufferTable(header.value); } catch (e) { tableError = e; }
  }
  let end = bytes.length - CHECKSUM_BYTES;
  if (table) {
    const entries = Object.values(table.buffers) as { offset: number; byteLength: number }[];
    const dataEnd = Math.max(...entries.map((e) => align8(e.offset + e.byteLength)));
    end = dataStart + dataEnd;
    const expected = end + CHECKSUM_BYTES;
    if (bytes.length < expected) truncated(bytes.length, `${expected} bytes`);
    if (bytes.length > expected) {
      bad(`The checkpoint has ${bytes.length - expected} unexpected bytes after its end at byte ${expected}: ` +
        'the file is damaged; use an intact copy.');
    }
  }
  const stored = dataView(bytes).getUint32(end, true);
  const actual = crc32(bytes.subarray(0, end));
  if (stored !== actual) {
    bad(`The checkpoint's checksum does not match (stored ${hex(stored)}, computed ${hex(actual)}): ` +
      'the file is corrupted; use an intact copy or an earlier checkpoint.');
  }
  if (!header.ok) bad(header.message);
  if (!table) throw tableError;

  const fields = readHeaderFields(header.value as Record<string, unknown>, table.precision);
  const model = checkedConfig('model config', () => validateModelConfig(fields.model as ModelConfig));
  const training = checkedConfig('training config', () => validateTrainConfig(fields.training as TrainConfig));
  let layout: ParamLayout;
  try {
    layout = paramLayout(model);
  } catch {
    bad(`This checkpoint holds a ${model.cell} model, which this version of Char-RNN Studio cannot run; update the app.`);
  }
  if (fields.vocab.length !== model.vocabSize) {
    bad(`The checkpoint's vocabulary has ${fields.vocab.length} characters but its model expects ${model.vocabSize}; ` +
      'the file was edited or written by another program.');
  }
  const vocab = checkedConfig('vocabulary', () => new Vocabulary(fields.vocab));
  if (fields.positions.length !== training.batchSize) {
    bad(`The checkpoint has ${fields.positions.length} stream positions but its batch size is ${training.batchSize}; ` +
      'the file was edited or written by another program.');
  }
  if (fields.threads < 1 || fields.threads > training.batchSize) {
    bad(`The checkpoint was trained on ${fields.threads} threads but its batch size is ${training.batchSize} ` +
      '(1 to the batch size): the file was edited or written by another program.');
  }
  const counts = expectedCounts(model, training, layout);
  const bytesEach = bytesPerFloat(table.precision);
  const buffers = {} as Record<BufferName, FloatArray>;
  for (const name of BUFFER_NAMES) {
    const entry = table.buffers[name], count = entry.byteLength / bytesEach;
    if (count !== counts[name]) {
      const rule = name === 'params' ? '' : name === 'hidden' ? ` at batch size ${training.batchSize}`
        : ` with ${training.optimizer}`;
      bad(`The checkpoint's ${name} has ${count} floats; ${describeModel(model)}${rule} needs ${counts[name]}: ` +
        'the file does not match its own config; use an intact checkpoint.');
    }
    buffers[name] = readFloatsLE(bytes, dataStart + entry.offset, count, table.precision);
    const i = firstNonFinite(buffers[name]);
    if (i >= 0) {
      const where = name === 'params' ? `parameter ${locateParam(layout, i)}` : `${name}[${i}]`;
      bad(`The checkpoint's ${where} is ${buffers[name][i]}: training had diverged when it was saved; use an earlier checkpoint.`);
    }
  }
  let emaParams: FloatArray | null = null;
  const emaEntry = table.buffers.emaParams;
  if (emaEntry) {
    const count = emaEntry.byteLength / bytesEach;
    if (count !== counts.params) {
      bad(`The checkpoint's emaParams has ${count} floats; ${describeModel(model)} needs ${counts.params}: ` +
        'the file does not match its own config; use an intact checkpoint.');
    }
    emaParams = readFloatsLE(bytes, dataStart + emaEntry.offset, count, table.precision);
    const i = firstNonFinite(emaParams);
    if (i >= 0) bad(`The checkpoint's averaged parameter ${locateParam(layout, i)} is ${emaParams[i]}: use an earlier checkpoint.`);
  }
  return {
    model,
    training,
    vocab,
    params: buffers.params,
    emaParams: training.ema > 0 ? emaParams : null,
    optimizerState: buffers.optimizerState,
    optimizerSteps: fields.optimizerSteps,
    hidden: buffers.hidden,
    positions: fields.positions,
    iteration: fields.iteration,
    epoch: fields.epoch,
    charsSeen: fields.charsSeen,
    smoothLoss: fields.smoothLoss,
    bestValLoss: fields.bestValLoss,
    corpusFingerprint: fields.corpusFingerprint,
    lossHistory: fields.lossHistory,
    threads: fields.threads,
    kernels: fields.kernels,
    schedule: fields.schedule,
  };
}

function hex(x: number): string {
  return '0x' + x.toString(16).padStart(8, '0');
}

/** What a checkpoint holds, for a file list or an info command; bytes defaults to the size it serializes to. */
export function summarizeCheckpoint(state: TrainingState, bytes?: number): CheckpointSummary {
  return {
    model: state.model,
    training: state.training,
    vocabSize: state.vocab.size,
    iteration: state.iteration,
    epoch: state.epoch,
    charsSeen: state.charsSeen,
    smoothLoss: state.smoothLoss,
    bestValLoss: state.bestValLoss,
    precision: precisionOf(state.params),
    parameterCount: state.params.length,
    bytes: bytes ?? planCheckpoint(state).totalBytes,
    historyPoints: state.lossHistory.length,
    kernels: state.kernels,
  };
}

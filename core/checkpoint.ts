// Checkpoints: a whole TrainingState as one versioned, checksummed file that resumes bit for bit.
// The format, byte by byte, is in docs/checkpoint-format.md; loading says exactly what is wrong.
import { align8, bytesPerFloat, firstNonFinite, readFloatsLE, writeFloatsLE } from './bytes.js';
import {
  BUFFER_NAMES, boundedHistory, readBufferTable, readHeaderFields, toJsonFloat,
  type BufferName, type BufferTable, type CheckpointHeader,
} from './checkpoint-header.js';
import { validateModelConfig, validateTrainConfig, type ModelConfig, type TrainConfig } from './config.js';
import { cellDefinition } from './cells/index.js';
import {
  badCheckpoint as bad, CHECKPOINT_VERSION, CHECKSUM_BYTES, checkLengthAndChecksum, parseHeaderJson, PREAMBLE_BYTES,
  readPreamble, VERSION_WITHOUT_EMA, writeChecksum, writePreamble,
} from './checkpoint-frame.js';
import { CharRnnError, isCharRnnError } from './errors.js';
import { paramLayout, type ParamLayout } from './layout.js';
import { optimizerStateMultiple } from './optim.js';
import { precisionOf, type FloatArray, type Precision } from './tensor.js';
import type { TrainingState } from './trainer.js';
import { Vocabulary } from './vocab.js';

export { CHECKPOINT_MAGIC, CHECKPOINT_VERSION } from './checkpoint-frame.js';

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
  writePreamble(out, plan.version, plan.header.length);
  out.set(plan.header, PREAMBLE_BYTES);
  for (const name of savedBuffers(state)) writeFloatsLE(out, plan.dataStart + plan.buffers[name]!.offset, state[name]!);
  writeChecksum(out);
  return out;
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

  // the buffer table, when it can be read, says where the file must end (checkLengthAndChecksum says why that matters)
  let table: ReturnType<typeof readBufferTable> | null = null;
  let tableError: unknown = null;
  if (header.ok) {
    try { table = readBufferTable(header.value); } catch (e) { tableError = e; }
  }
  const entries = table ? Object.values(table.buffers) : [];
  checkLengthAndChecksum(bytes, table ? dataStart + Math.max(...entries.map((e) => align8(e.offset + e.byteLength))) : null);
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

// `char-rnn inspect`: what a checkpoint holds, for people or (--json) for programs; a safetensors file's
// metadata and tensors.
import { open } from 'node:fs/promises';
import { summarizeCheckpoint } from '../../core/checkpoint.js';
import { describeSchedule } from '../../core/schedule.js';
import { formatBytes } from '../../core/text.js';
import { NATS_TO_BITS } from '../../core/trainer.js';
import type { TrainingState } from '../../core/trainer.js';
import type { Vocabulary } from '../../core/vocab.js';
import { decodeSafetensors } from '../../core/safetensors.js';
import { naming } from '../files/errors.js';
import { MAX_MODEL_FILE_BYTES, readCheckpointFile } from '../files/model-files.js';
import { sniffModelFile } from '../files/output-guard.js';
import { readFileChecked } from '../files/read-file.js';
import type { CliIo } from './io.js';

export interface InspectFlags {
  json?: boolean;
}

const PREVIEW_CHARS = 64;

/** The vocabulary as one printable line: control characters and spaces escaped as JSON does, then cut short. */
export function vocabularyPreview(vocab: Vocabulary, max = PREVIEW_CHARS): string {
  const shown = vocab.chars.slice(0, max).join('');
  // JSON escapes controls; invisible format characters (zero-width joiner, BOM, bidi marks) and unusual
  // spaces are escaped too, so every character in the vocabulary can be seen
  const quoted = JSON.stringify(shown).replace(/ /g, '␠')
    .replace(/[\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return vocab.size > max ? `${quoted} … and ${vocab.size - max} more` : quoted;
}

function loss(nats: number | null): string {
  return nats === null ? '—' : `${nats.toFixed(6)} nats/char (${(nats * NATS_TO_BITS).toFixed(4)} bits/char)`;
}

/** Whether the file starts like safetensors (else it is read as a checkpoint, with that reader's errors). */
async function isSafetensors(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'r');
    try {
      const head = new Uint8Array(16);
      const { bytesRead } = await handle.read(head, 0, 16, 0);
      return sniffModelFile(head.subarray(0, bytesRead), (await handle.stat()).size) === 'safetensors';
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

/** The best validation's iteration and the last validation (the run's final one), from the loss history. */
export function validationRecord(state: TrainingState): { bestValIteration: number | null; lastValidation: { iteration: number; valLoss: number } | null } {
  const best = state.bestValLoss === null ? undefined : state.lossHistory.findLast((p) => p.valLoss === state.bestValLoss);
  const last = state.lossHistory.findLast((p) => p.valLoss !== undefined);
  return {
    bestValIteration: best?.iter ?? null,
    lastValidation: last?.valLoss === undefined ? null : { iteration: last.iter, valLoss: last.valLoss },
  };
}

function atIteration(iteration: number | null | undefined): string {
  return iteration === null || iteration === undefined ? '' : ` at iteration ${iteration.toLocaleString('en-US')}`;
}

/** A safetensors file: its metadata and its tensors (name, dtype, shape), as it holds them. */
async function inspectSafetensors(path: string, flags: InspectFlags, io: CliIo): Promise<void> {
  const bytes = await readFileChecked(path, MAX_MODEL_FILE_BYTES, 'safetensors');
  const { metadata, tensors } = naming(path, () => decodeSafetensors(bytes));
  const list = [...tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape }));
  if (flags.json) {
    io.line(JSON.stringify({ format: 'safetensors', bytes: bytes.length, metadata, tensors: list }));
    return;
  }
  io.line(`safetensors file ${JSON.stringify(path)}, ${formatBytes(bytes.length)}: ${list.length} tensor${list.length === 1 ? '' : 's'}, ` +
    `${Object.keys(metadata).length} metadata entr${Object.keys(metadata).length === 1 ? 'y' : 'ies'}`);
  for (const [key, value] of Object.entries(metadata)) {
    const shown = JSON.stringify(value);
    io.line(`metadata ${key}: ${shown.length > 120 ? `${shown.slice(0, 117)}…` : shown}`);
  }
  for (const t of list) io.line(`tensor ${t.name}: ${t.dtype} [${t.shape.join(', ')}]`);
}

export async function inspectCommand(checkpointPath: string, flags: InspectFlags, io: CliIo): Promise<void> {
  if (await isSafetensors(checkpointPath)) return inspectSafetensors(checkpointPath, flags, io);
  const { state, bytes } = await readCheckpointFile(checkpointPath);
  const summary = summarizeCheckpoint(state, bytes.length);
  const record = validationRecord(state);
  if (flags.json) {
    io.line(JSON.stringify({ ...summary, ...record, vocabulary: state.vocab.chars.join(''), corpusFingerprint: state.corpusFingerprint, schedule: state.schedule }));
    return;
  }
  const { model, training } = summary;
  const rows: [string, string][] = [
    ['model', `${model.cell}, hidden ${model.hiddenSize}, ${model.layers} layer${model.layers === 1 ? '' : 's'}`],
    ['parameters', `${summary.parameterCount.toLocaleString('en-US')} (${summary.precision})`],
    ['vocabulary', `${summary.vocabSize} characters: ${vocabularyPreview(state.vocab)}`],
    ['iteration', summary.iteration.toLocaleString('en-US')],
    ['epoch', String(summary.epoch)],
    ['characters seen', summary.charsSeen.toLocaleString('en-US')],
    ['smoothed loss', loss(summary.smoothLoss)],
    ['best val loss', loss(summary.bestValLoss) + (summary.bestValLoss === null ? '' : atIteration(record.bestValIteration))],
    ['last val loss', record.lastValidation ? loss(record.lastValidation.valLoss) + atIteration(record.lastValidation.iteration) : '—'],
    ['training', `${training.optimizer} lr ${training.learningRate}, seq length ${training.seqLength}, batch ${training.batchSize}, ` +
      `clip ${training.clipValue}, clip norm ${training.clipNorm}, val fraction ${training.valFraction}, seed ${training.seed}, ` +
      `dropout ${training.dropout}, ema ${training.ema}`],
    ['lr schedule', `${describeSchedule(state.schedule)}${state.schedule ? `, warm-up ${state.schedule.warmupFraction}, floor ${state.schedule.floorFraction} of lr` : ''}`],
    ['kernels', summary.kernels ?? 'not recorded (a checkpoint from before the record, or never trained)'],
    ['loss history', `${summary.historyPoints} points`],
    ['corpus', state.corpusFingerprint ?? '—'],
    ['file', `${JSON.stringify(checkpointPath)}, ${formatBytes(summary.bytes)}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) io.line(`${label.padEnd(width)}  ${value}`);
}

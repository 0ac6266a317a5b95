// `char-rnn inspect`: what a checkpoint holds, for people or (--json) for programs.
import { summarizeCheckpoint } from '../../core/checkpoint.js';
import { describeSchedule } from '../../core/schedule.js';
import { formatBytes } from '../../core/text.js';
import { NATS_TO_BITS } from '../../core/trainer.js';
import type { Vocabulary } from '../../core/vocab.js';
import { readCheckpointFile } from '../files/model-files.js';
import type { CliIo } from './io.js';

export interface InspectFlags {
  json?: boolean;
}

const PREVIEW_CHARS = 64;

/** The vocabulary as one printable line: control characters and spaces escaped as JSON does, then cut short. */
export function vocabularyPreview(vocab: Vocabulary, max = PREVIEW_CHARS): string {
  const shown = vocab.chars.slice(0, max).join('');
  const quoted = JSON.stringify(shown).replace(/ /g, '␠');
  return vocab.size > max ? `${quoted} … and ${vocab.size - max} more` : quoted;
}

function loss(nats: number | null): string {
  return nats === null ? '—' : `${nats.toFixed(6)} nats/char (${(nats * NATS_TO_BITS).toFixed(4)} bits/char)`;
}

export async function inspectCommand(checkpointPath: string, flags: InspectFlags, io: CliIo): Promise<void> {
  const { state, bytes } = await readCheckpointFile(checkpointPath);
  const summary = summarizeCheckpoint(state, bytes.length);
  if (flags.json) {
    io.line(JSON.stringify({ ...summary, vocabulary: state.vocab.chars.join(''), corpusFingerprint: state.corpusFingerprint, schedule: state.schedule }));
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
    ['best val loss', loss(summary.bestValLoss)],
    ['training', `${training.optimizer} lr ${training.learningRate}, seq length ${training.seqLength}, batch ${training.batchSize}, ` +
      `clip ${training.clipValue}, clip norm ${training.clipNorm}, val fraction ${training.valFraction}, seed ${training.seed}`],
    ['lr schedule', `${describeSchedule(state.schedule)}${state.schedule ? `, warm-up ${state.schedule.warmupFraction}, floor ${state.schedule.floorFraction} of lr` : ''}`],
    ['loss history', `${summary.historyPoints} points`],
    ['corpus', state.corpusFingerprint ?? '—'],
    ['file', `${JSON.stringify(checkpointPath)}, ${formatBytes(summary.bytes)}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) io.line(`${label.padEnd(width)}  ${value}`);
}

// `char-rnn export` (checkpoint → safetensors) and `char-rnn import` (safetensors → a checkpoint with a fresh optimizer).
import { readCheckpointFile, readSafetensorsFile, writeCheckpointFile, writeSafetensorsFile } from '../files/model-files.js';
import type { CliIo } from './io.js';
import { parseTrainingFlags, type TrainingFlags } from './options.js';

export async function exportCommand(checkpointPath: string, outPath: string, io: CliIo): Promise<void> {
  const { state } = await readCheckpointFile(checkpointPath);
  await writeSafetensorsFile(outPath, state);
  io.note(`wrote ${outPath}: ${state.model.cell} weights and vocabulary of ${JSON.stringify(checkpointPath)} (iteration ${state.iteration})`);
}

export async function importCommand(safetensorsPath: string, outPath: string, flags: TrainingFlags, io: CliIo): Promise<void> {
  const training = parseTrainingFlags(flags);
  const state = await readSafetensorsFile(safetensorsPath, training);
  await writeCheckpointFile(outPath, state);
  io.note(`wrote ${outPath}: ${state.model.cell}, hidden ${state.model.hiddenSize}, ${state.model.layers} layer(s), ` +
    `vocabulary ${state.vocab.size}; training continues with a fresh ${state.training.optimizer} state`);
}

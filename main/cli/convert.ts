// `char-rnn export` (checkpoint → safetensors) and `char-rnn import` (safetensors → a checkpoint with a fresh optimizer).
import { readCheckpointFile, readSafetensorsFile, writeCheckpointFile, writeSafetensorsFile } from '../files/model-files.js';
import { checkOutputPath } from '../files/output-guard.js';
import type { CliIo } from './io.js';
import { parseTrainingFlags, type TrainingFlags } from './options.js';

export interface OutputFlags {
  force?: boolean;
}

export async function exportCommand(checkpointPath: string, outPath: string, flags: OutputFlags, io: CliIo): Promise<void> {
  await checkOutputPath({ out: outPath, inputs: [checkpointPath], force: flags.force === true, forceHint: '--force' });
  const { state } = await readCheckpointFile(checkpointPath);
  await writeSafetensorsFile(outPath, state);
  io.note(`wrote ${outPath}: ${state.model.cell} weights and vocabulary of ${JSON.stringify(checkpointPath)} (iteration ${state.iteration})`);
}

export async function importCommand(safetensorsPath: string, outPath: string, flags: TrainingFlags & OutputFlags, io: CliIo): Promise<void> {
  const training = parseTrainingFlags(flags);
  await checkOutputPath({ out: outPath, inputs: [safetensorsPath], force: flags.force === true, forceHint: '--force' });
  const state = await readSafetensorsFile(safetensorsPath, training);
  await writeCheckpointFile(outPath, state);
  io.note(`wrote ${outPath}: ${state.model.cell}, hidden ${state.model.hiddenSize}, ${state.model.layers} layer(s), ` +
    `vocabulary ${state.vocab.size}; training continues with a fresh ${state.training.optimizer} state`);
}

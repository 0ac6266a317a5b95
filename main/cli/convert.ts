// `char-rnn export` (a checkpoint → .ckpt, .safetensors, a web page or ONNX, by the output's extension or
// --format) and `char-rnn import` (safetensors → a checkpoint with a fresh optimizer).
import { statSync } from 'node:fs';
import { formatBytes } from '../../core/text.js';
import { EXPORT_FORMATS, exportRefusal, FORMAT_NAMES, formatOfPath, isExportFormat, writeModelExport, type ExportFileFormat } from '../export/formats.js';
import { readCheckpointFile, readSafetensorsFile, writeCheckpointFile } from '../files/model-files.js';
import { checkOutputPath } from '../files/output-guard.js';
import { UsageError } from './fail.js';
import type { CliIo } from './io.js';
import { settingsFromFlags, type TrainingFlags } from './settings-flags.js';

export interface OutputFlags {
  force?: boolean;
}

export interface ExportFlags extends OutputFlags {
  format?: string;
  name?: string;
  textName?: string;
}

const FORMAT_LIST = EXPORT_FORMATS.map((f) => FORMAT_NAMES[f]).join(', ');

/** --format when given, else the output's extension; a usage error naming the formats otherwise. */
export function chooseExportFormat(outPath: string, forced: string | undefined): ExportFileFormat {
  if (forced !== undefined) {
    const name = forced.toLowerCase().replace(/^\./, '');
    if (isExportFormat(name)) return name;
    throw new UsageError(`--format ${JSON.stringify(forced)} is not a format; use one of ${EXPORT_FORMATS.join(', ')}.`);
  }
  const format = formatOfPath(outPath);
  if (format) return format;
  throw new UsageError(`Cannot tell the format of ${JSON.stringify(outPath)} from its extension; name it for one of ${FORMAT_LIST}, or pass --format.`);
}

export async function exportCommand(checkpointPath: string, outPath: string, flags: ExportFlags, io: CliIo): Promise<void> {
  // The guard first: a file that must never be replaced is refused as such, whatever its name says.
  await checkOutputPath({ out: outPath, inputs: [checkpointPath], force: flags.force === true, forceHint: '--force' });
  const format = chooseExportFormat(outPath, flags.format);
  const { state } = await readCheckpointFile(checkpointPath);
  const refusal = exportRefusal(state, format);
  if (refusal) throw new UsageError(`Cannot export ${JSON.stringify(checkpointPath)} as ${FORMAT_NAMES[format]}: ${refusal}.`);
  await writeModelExport(outPath, format, state, { modelName: flags.name, textName: flags.textName ?? null });
  const size = formatBytes(statSync(outPath).size);
  io.note(`wrote ${outPath} (${FORMAT_NAMES[format]}, ${size}): ${state.model.cell} ${state.model.layers}×${state.model.hiddenSize} ` +
    `of ${JSON.stringify(checkpointPath)} (iteration ${state.iteration})`);
}

export async function importCommand(safetensorsPath: string, outPath: string, flags: TrainingFlags & OutputFlags, io: CliIo): Promise<void> {
  const { training } = settingsFromFlags(flags);
  await checkOutputPath({ out: outPath, inputs: [safetensorsPath], force: flags.force === true, forceHint: '--force' });
  const state = await readSafetensorsFile(safetensorsPath, training);
  await writeCheckpointFile(outPath, state);
  io.note(`wrote ${outPath}: ${state.model.cell}, hidden ${state.model.hiddenSize}, ${state.model.layers} layer(s), ` +
    `vocabulary ${state.vocab.size}; training continues with a fresh ${state.training.optimizer} state`);
}

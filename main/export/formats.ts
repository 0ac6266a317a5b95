// The formats `char-rnn export` and the app's Export… write, chosen by the output's extension or by name.
import { basename, extname } from 'node:path';
import type { TrainingState } from '../../core/trainer.js';
import { writeFileAtomic } from '../files/atomic-write.js';
import { writeCheckpointFile, writeSafetensorsFile } from '../files/model-files.js';
import { onnxModelBytes } from './onnx-model.js';
import { sharePageHtml, type ShareInfo } from './share-page.js';
import { sharePageScript } from './share-page-script.js';

export const EXPORT_FORMATS = ['ckpt', 'safetensors', 'html', 'onnx'] as const;
export type ExportFileFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_NAMES: Readonly<Record<ExportFileFormat, string>> = Object.freeze({
  ckpt: 'checkpoint (.ckpt)',
  safetensors: 'safetensors (.safetensors)',
  html: 'web page (.html)',
  onnx: 'ONNX (.onnx)',
});

/** ONNX's one-hot is a Gather from a V×V identity: past this vocabulary it alone would pass 256 MB. */
export const MAX_ONNX_VOCABULARY = 8192;

export function isExportFormat(name: string): name is ExportFileFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}

/** The format an output's extension names (.htm counts as .html), or null. */
export function formatOfPath(path: string): ExportFileFormat | null {
  const ext = extname(path).slice(1).toLowerCase();
  const name = ext === 'htm' ? 'html' : ext;
  return isExportFormat(name) ? name : null;
}

/** The last measured validation loss (nats per char), else the best one recorded, else null. */
export function lastValidationLoss(state: TrainingState): number | null {
  for (let i = state.lossHistory.length - 1; i >= 0; i--) {
    const v = state.lossHistory[i].valLoss;
    if (v !== undefined && Number.isFinite(v)) return v;
  }
  return state.bestValLoss;
}

/** Why this model cannot be written in this format, or null when it can. */
export function exportRefusal(state: TrainingState, format: ExportFileFormat): string | null {
  if (format === 'onnx' && state.model.vocabSize > MAX_ONNX_VOCABULARY) {
    return `its vocabulary has ${state.model.vocabSize} characters; ONNX export takes at most ${MAX_ONNX_VOCABULARY} (the one-hot table is vocabulary² floats)`;
  }
  return null;
}

export interface ExportNames {
  /** The model's name on the page and in the ONNX graph: the output's file name without its extension unless given. */
  modelName?: string;
  /** The training text's file name, when known (a checkpoint does not record it). */
  textName?: string | null;
}

/** Write `state` to `path` as `format`, atomically. The caller has checked the path (checkOutputPath) and the refusal. */
export async function writeModelExport(path: string, format: ExportFileFormat, state: TrainingState, names: ExportNames = {}): Promise<void> {
  const modelName = names.modelName ?? basename(path, extname(path));
  // One snapshot, taken before the first await: a training step between awaits must not tear it.
  state = { ...state, params: state.params.slice(), lossHistory: state.lossHistory.slice() };
  switch (format) {
    case 'ckpt':
      await writeCheckpointFile(path, state);
      return;
    case 'safetensors':
      await writeSafetensorsFile(path, state);
      return;
    case 'onnx':
      await writeFileAtomic(path, onnxModelBytes(state, { name: modelName, iteration: state.iteration, valLoss: lastValidationLoss(state) }));
      return;
    case 'html': {
      const info: ShareInfo = { name: modelName, textName: names.textName ?? null, valLoss: lastValidationLoss(state) };
      await writeFileAtomic(path, new TextEncoder().encode(sharePageHtml(state, info, await sharePageScript())));
      return;
    }
  }
}

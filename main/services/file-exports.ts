// Saving what the renderer made (a sample's text, the chart as PNG) where the user chooses, and the save
// dialog of each model export format (Export…).
import { writeFileAtomic } from '../files/atomic-write.js';
import { toApiError } from '../contract/api-error.js';
import type { ExportFormat } from '../contract/api.js';
import { CHECKPOINT_FILTER, SAFETENSORS_FILTER, type Dialogs, type FileFilter } from './dialogs.js';

export interface ExportDialog {
  title: string;
  extension: string;   // of the suggested name, with its dot
  filter: FileFilter;
  done: string;        // "Exported <done> to …"
}

/** Export…'s save dialog for each format the panel offers. */
export const EXPORT_DIALOGS: Readonly<Record<ExportFormat, ExportDialog>> = Object.freeze({
  native: { title: 'Export checkpoint', extension: '.ckpt', filter: CHECKPOINT_FILTER, done: 'checkpoint' },
  safetensors: { title: 'Export as safetensors', extension: '.safetensors', filter: SAFETENSORS_FILTER, done: 'safetensors' },
  html: { title: 'Export as a web page', extension: '.html', filter: { name: 'Web page', extensions: ['html'] }, done: 'web page' },
  onnx: { title: 'Export as ONNX', extension: '.onnx', filter: { name: 'ONNX model', extensions: ['onnx'] }, done: 'ONNX model' },
});

export async function saveTextFile(dialogs: Dialogs, suggestedName: string, text: string): Promise<string | null> {
  const path = await dialogs.saveFile({ title: 'Save text', defaultName: suggestedName, filters: [{ name: 'Text', extensions: ['txt'] }] });
  if (path === null) return null;
  await writeFileAtomic(path, new TextEncoder().encode(text)).catch((e: unknown) => { throw toApiError(e); });
  return path;
}

/** dataUrl is checked by the request schema to be "data:image/png;base64,...". */
export async function savePngFile(dialogs: Dialogs, suggestedName: string, dataUrl: string): Promise<string | null> {
  const path = await dialogs.saveFile({ title: 'Save chart', defaultName: suggestedName, filters: [{ name: 'PNG image', extensions: ['png'] }] });
  if (path === null) return null;
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  await writeFileAtomic(path, bytes).catch((e: unknown) => { throw toApiError(e); });
  return path;
}

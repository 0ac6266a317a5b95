// Saving what the renderer made (a sample's text, the chart as PNG) where the user chooses.
import { writeFileAtomic } from '../files/atomic-write.js';
import { toApiError } from '../contract/api-error.js';
import type { Dialogs } from './dialogs.js';

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

// Whether a command may write its output file: never over one of its own inputs, never over a file
// that is not a model file, not over someone else's model file without --force, and only where a
// file can be created at all (checked before training starts, not when the run ends).
import { randomBytes } from 'node:crypto';
import { open, realpath, stat, unlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FileError, fileErrorFrom } from './errors.js';

export interface OutputRequest {
  out: string;
  /** Files the command reads (a corpus, the checkpoint being exported): the output may never be one of them. */
  inputs: readonly string[];
  /** A file this run may replace as its own (a resume's --resume, written back by its --out). */
  own?: string;
  /** Replace an existing model file that is not the run's own (--force, or the native dialog's overwrite prompt). */
  force: boolean;
  /** How to say "--force" where the output is asked for: the CLI's flag, or nothing in the app. */
  forceHint?: string;
}

export type OutputKind = 'checkpoint' | 'safetensors' | 'web page' | 'ONNX' | 'other';

/** The first line of every web page `char-rnn export` writes (main/export/share-page.ts): only such a page counts as a model. */
export const SHARE_PAGE_SIGNATURE = '<!DOCTYPE html><!-- char-rnn share page -->';
/** The first bytes of every ONNX file it writes: ir_version 8, then producer_name "char-rnn-studio" (main/export/onnx-model.ts). */
const ONNX_SIGNATURE = [0x08, 0x08, 0x12, 0x0f, ...[...'char-rnn-studio'].map((c) => c.charCodeAt(0))];

const EXISTING: Record<Exclude<OutputKind, 'other'>, string> = {
  checkpoint: 'a checkpoint file', safetensors: 'a safetensors file', 'web page': 'a web page of a model', ONNX: 'an ONNX model',
};

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

/**
 * What an existing file is, from its first bytes: a checkpoint ("CHARRNN\0"), safetensors, a web page or
 * ONNX file this program wrote, or anything else (another .html or .onnx is "other": never replaced).
 */
export function sniffModelFile(head: Uint8Array, size: number): OutputKind {
  const magic = 'CHARRNN\0';
  if (startsWith(head, [...magic].map((c) => c.charCodeAt(0)))) return 'checkpoint';
  if (startsWith(head, [...SHARE_PAGE_SIGNATURE].map((c) => c.charCodeAt(0)))) return 'web page';
  if (startsWith(head, ONNX_SIGNATURE)) return 'ONNX';
  if (head.length >= 9 && head[8] === 0x7b) {
    const view = new DataView(head.buffer, head.byteOffset, head.length);
    const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
    if (headerLength >= 2 && headerLength <= size - 8) return 'safetensors';
  }
  return 'other';
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

async function kindOf(path: string, size: number): Promise<OutputKind> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return sniffModelFile(head.subarray(0, bytesRead), size);
  } finally {
    await handle.close();
  }
}

async function sameFile(a: string, aStat: Stats, b: string): Promise<boolean> {
  const bStat = await statOrNull(b).catch(() => null);
  if (!bStat) return false;
  if (aStat.dev === bStat.dev && aStat.ino === bStat.ino) return true; // hard links, symlinks, ./ and ../
  const [ra, rb] = await Promise.all([realpath(a).catch(() => a), realpath(b).catch(() => b)]);
  return ra === rb;
}

/**
 * Refuse an output path that would destroy something, or that cannot be written; resolves with
 * whether an existing file will be replaced. Errors are FileErrors naming the path.
 */
export async function checkOutputPath(request: OutputRequest): Promise<{ replaces: boolean }> {
  const { out } = request;
  const shown = JSON.stringify(out);
  const folder = dirname(out);
  const folderStat = await statOrNull(folder).catch((e: unknown) => { throw fileErrorFrom(e, out, 'write'); });
  if (!folderStat) {
    throw new FileError('file-not-found', out, `Cannot write ${shown}: its folder does not exist; create ${JSON.stringify(folder)} first.`);
  }
  if (!folderStat.isDirectory()) {
    throw new FileError('file-not-found', out, `Cannot write ${shown}: ${JSON.stringify(folder)} is not a folder.`);
  }
  const existing = await statOrNull(out).catch((e: unknown) => { throw fileErrorFrom(e, out, 'write'); });
  if (existing) {
    if (existing.isDirectory()) throw new FileError('file-is-directory', out, `Cannot write ${shown}: it is a folder; give a file name inside it.`);
    for (const input of request.inputs) {
      if (await sameFile(out, existing, input)) {
        const which = input === out ? 'it is also an input' : `it is the same file as ${JSON.stringify(input)}, an input`;
        throw new FileError('output-refused', out, `Refusing to write ${shown}: ${which}, which would be lost; choose another file.`);
      }
    }
    if (!existing.isFile()) throw new FileError('output-refused', out, `Refusing to write ${shown}: it is not a regular file.`);
    const kind = await kindOf(out, existing.size).catch(() => 'other' as const);
    if (kind === 'other') {
      throw new FileError('output-refused', out,
        `Refusing to replace ${shown}: it exists and is not a checkpoint or safetensors file, so it is never replaced (a web page or ONNX file counts only if char-rnn wrote it); choose another name.`);
    }
    const own = request.own !== undefined && await sameFile(out, existing, request.own);
    if (!own && !request.force) {
      throw new FileError('output-refused', out,
        `Refusing to replace ${shown}: ${EXISTING[kind]} already exists there${request.forceHint ? `; add ${request.forceHint} to replace it` : ''}, or choose another name.`);
    }
  }
  await probeFolder(out);
  return { replaces: existing !== null };
}

/** Whether `out` can be written (its folder exists and takes a new file); a FileError naming it if not. */
export async function checkWritable(out: string): Promise<void> {
  const folderStat = await statOrNull(dirname(out)).catch((e: unknown) => { throw fileErrorFrom(e, out, 'write'); });
  if (!folderStat) throw new FileError('file-not-found', out, `Cannot write ${JSON.stringify(out)}: its folder does not exist.`);
  await probeFolder(out);
}

/** Create and remove a file next to `out`: the same thing an atomic write does first, so its errors are the same. */
async function probeFolder(out: string): Promise<void> {
  const probe = join(dirname(out), `.${basename(out)}.${process.pid}.${randomBytes(4).toString('hex')}.probe`);
  try {
    const handle = await open(probe, 'wx', 0o644);
    await handle.close();
  } catch (e) {
    throw fileErrorFrom(e, out, 'write');
  }
  await unlink(probe).catch(() => {});
}

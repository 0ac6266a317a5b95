// Writing a file atomically: a temporary file in the same folder, flushed to disk, then renamed over
// the target. A crash at any moment leaves either the old file or the whole new one, never a part.
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileError, fileErrorFrom } from './errors.js';

/** The temporary name used while writing `path`: hidden, in the same folder (rename must not cross file systems). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** True for names tempPathFor makes, so leftovers of a crash can be recognised. */
export function isTempPathFor(path: string, candidate: string): boolean {
  const prefix = `.${basename(path)}.`;
  const name = basename(candidate);
  return name.startsWith(prefix) && /^\d+\.[0-9a-f]{8}\.tmp$/.test(name.slice(prefix.length));
}

export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await handle.write(data, written, data.length - written);
        written += bytesWritten;
      }
      await handle.sync(); // the data is on disk before the name points at it
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw await writeError(e, path);
  }
  await syncFolder(dirname(path));
}

async function writeError(e: unknown, path: string): Promise<FileError> {
  if (e instanceof FileError) return e;
  const isFolder = await stat(path).then((s) => s.isDirectory(), () => false);
  if (isFolder) return new FileError('file-is-directory', path, `Cannot write ${JSON.stringify(path)}: it is a folder.`);
  return fileErrorFrom(e, path, 'write');
}

/** Make the rename itself durable. Not every platform can open a folder (Windows cannot): best effort. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // the file is complete either way; only the rename's durability across a power cut is at stake
  }
}

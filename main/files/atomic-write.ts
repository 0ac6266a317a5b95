// Writing a file atomically: a temporary file in the same folder, flushed to disk, then renamed over
// the target. A crash at any moment leaves either the old file or the whole new one, never a part.
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
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

/** The process that made a temporary name, from the name (null if it is not one of ours). */
export function tempFileOwner(path: string, candidate: string): number | null {
  if (!isTempPathFor(path, candidate)) return null;
  return Number(basename(candidate).slice(`.${basename(path)}.`.length).split('.')[0]);
}

/** Whether a process with this id is running (EPERM: it is, under another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temporary files of `path` left by a process that is gone (killed mid-write): removed before the next
 * write to the same path. Another live process's temp file is its write in progress and is left alone.
 */
export async function removeDeadTempFiles(path: string): Promise<string[]> {
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const owner = tempFileOwner(path, name);
    if (owner === null || owner === process.pid || processAlive(owner)) continue;
    const leftover = join(dirname(path), name);
    if (await unlink(leftover).then(() => true, () => false)) removed.push(leftover);
  }
  return removed;
}

/** Temporary files this process is writing right now: a process that must quit at once removes them first. */
const tempFilesInFlight = new Set<string>();

/** Remove this process's unfinished temporary files (synchronously: called on the way out); returns them. */
export function removeTempFilesInFlight(): string[] {
  const removed = [...tempFilesInFlight];
  for (const temp of removed) {
    try { unlinkSync(temp); } catch { /* already renamed or gone */ }
  }
  tempFilesInFlight.clear();
  return removed;
}

/** The points between the steps of a write, in order: a crash test stops the writer at each (test/integration/faults.test.ts). */
export const ATOMIC_WRITE_STEPS = ['opened', 'half-written', 'written', 'synced', 'closed', 'renamed', 'folder-synced'] as const;
export type AtomicWriteStep = typeof ATOMIC_WRITE_STEPS[number];

export async function writeFileAtomic(path: string, data: Uint8Array,
                                      onStep: (step: AtomicWriteStep) => void | Promise<void> = () => {}): Promise<void> {
  await removeDeadTempFiles(path);
  const temp = tempPathFor(path);
  tempFilesInFlight.add(temp);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await onStep('opened');
      let written = 0;
      const half = data.length >> 1;
      while (written < data.length) {
        // in two parts, so a crash half way through the data can be tested
        const end = written < half ? half : data.length;
        const { bytesWritten } = await handle.write(data, written, end - written);
        written += bytesWritten;
        if (written >= half && written - bytesWritten < half) await onStep('half-written');
      }
      await onStep('written');
      await handle.sync(); // the data is on disk before the name points at it
      await onStep('synced');
    } finally {
      await handle.close();
    }
    await onStep('closed');
    await rename(temp, path);
    tempFilesInFlight.delete(temp);
    await onStep('renamed');
  } catch (e) {
    await unlink(temp).catch(() => {});
    tempFilesInFlight.delete(temp);
    throw await writeError(e, path);
  }
  await syncFolder(dirname(path));
  await onStep('folder-synced');
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

// A file a run writes again and again (--out, --best-out): each write first checks that the file is
// still the one this run last wrote (before its first write: the one found at the start), by inode,
// size and modification time. A file that appeared there, or that another program changed, is never
// replaced: the write is refused with OutputChanged and the caller saves elsewhere.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';
import { FileError } from './errors.js';

export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

function identityOf(s: Stats): FileIdentity {
  return { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
}

/** The file's identity now, or null when there is none (or its folder is gone: the write will say so). */
export async function fileIdentity(path: string): Promise<FileIdentity | null> {
  try {
    return identityOf(await stat(path));
  } catch {
    return null;
  }
}

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** The target is not the file this run last wrote or found: it is someone else's now. */
export class OutputChanged extends FileError {
  constructor(path: string, appeared: boolean, written: boolean) {
    super('output-refused', path, `${JSON.stringify(path)} ${appeared ? 'appeared' : 'was changed by another program'} since this run ` +
      `${written ? 'last wrote it' : 'started'}, so it is not replaced.`);
    this.name = 'OutputChanged';
  }
}

/**
 * File times tick coarsely (a few milliseconds), and a copy into the file keeps its inode and may keep its
 * size: up to this size the content is compared too (a read of what the page cache just got).
 */
const COMPARE_CONTENT_MAX_BYTES = 256 * 2 ** 20;

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class GuardedFile {
  private written = false;
  private writtenDigest: string | null = null;

  private constructor(readonly path: string, private expected: FileIdentity | null) {}

  /** Take the file as it is now (after the start's checks allowed replacing it) as the one to expect. */
  static async at(path: string): Promise<GuardedFile> {
    return new GuardedFile(path, await fileIdentity(path));
  }

  /** Write atomically, unless the file changed since: checked before writing and again just before the rename. */
  async write(bytes: Uint8Array): Promise<void> {
    await this.check();
    await writeFileAtomic(this.path, bytes, async (step) => { if (step === 'closed') await this.check(); });
    this.expected = await fileIdentity(this.path);
    this.written = true;
    this.writtenDigest = bytes.length <= COMPARE_CONTENT_MAX_BYTES ? digest(bytes) : null;
  }

  /** A file that is gone may be written again (nothing of anyone's is lost); one that is there must be ours. */
  private async check(): Promise<void> {
    const now = await fileIdentity(this.path);
    if (now === null) return;
    const changed = this.expected === null || !sameIdentity(now, this.expected) ||
      (this.writtenDigest !== null && digest(await readFile(this.path).catch(() => new Uint8Array(0))) !== this.writtenDigest);
    if (changed) throw new OutputChanged(this.path, this.expected === null, this.written);
  }
}

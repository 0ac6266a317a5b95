// One run per output: a lock file beside the output (".NAME.lock", holding the process id), so a second
// run started on the same --out refuses at its start instead of silently replacing the first one's file.
// A lock left by a process that is gone (killed, crashed) is taken over, and the caller says so.
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './atomic-write.js';
import { FileError, fileErrorFrom } from './errors.js';

export interface OutputLock {
  path: string;
  /** The process id of a dead run whose lock was taken over, or null. */
  tookOverFrom: number | null;
  release(): void;
}

export function lockPathFor(out: string): string {
  return join(dirname(out), `.${basename(out)}.lock`);
}

const held = new Set<string>();
let exitHookInstalled = false;

function releaseSync(lock: string): void {
  try {
    if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
  } catch { /* gone already, or its folder is */ }
  held.delete(lock);
}

async function create(lock: string): Promise<boolean> {
  try {
    const handle = await open(lock, 'wx', 0o644);
    try {
      await handle.writeFile(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fileErrorFrom(e, lock, 'write');
  }
}

/** Lock `out` for this process; a FileError naming the other run if a live one holds it. */
export async function lockOutput(out: string): Promise<OutputLock> {
  const lock = lockPathFor(out);
  let tookOverFrom: number | null = null;
  for (let attempt = 0; !(await create(lock)); attempt++) {
    const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    if (owner === process.pid) break;
    if (processAlive(owner) || attempt >= 2) {
      throw new FileError('output-refused', out, `Refusing to write ${JSON.stringify(out)}: another run (process ${owner}) is writing it ` +
        `(its lock is ${JSON.stringify(lock)}); wait for it to end, or choose another file.`);
    }
    tookOverFrom = Number.isSafeInteger(owner) && owner > 0 ? owner : 0;
    await unlink(lock).catch(() => {});
  }
  held.add(lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => { for (const l of [...held]) releaseSync(l); }); // also on process.exit() at a second Ctrl-C
  }
  return { path: lock, tookOverFrom, release: () => releaseSync(lock) };
}

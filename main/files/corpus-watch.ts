// A corpus is read once, at the start of a run; training goes on from that copy in memory. If the file
// is deleted or changed on disk meanwhile, the user hears it once (the CLI on stderr, the app in the
// status line), so a later "continue on the same text" is not a surprise.
import { stat } from 'node:fs/promises';

export type CorpusChange = 'deleted' | 'changed';

export const CORPUS_WATCH_INTERVAL_MS = 2000;

/** The one line that says what happened and that training goes on. */
export function corpusChangeMessage(path: string, change: CorpusChange): string {
  return `${JSON.stringify(path)} was ${change === 'deleted' ? 'deleted or moved' : 'changed'} on disk; ` +
    'training goes on from the copy read when the run started (save the model to keep it).';
}

interface Stamp { size: number; mtimeMs: number; ino: number }

const stampOf = async (path: string): Promise<Stamp | null> =>
  stat(path).then((s) => ({ size: s.size, mtimeMs: s.mtimeMs, ino: s.ino }), () => null);

/**
 * Poll `path` (a timer that does not keep the process alive) and call `onChange` once when it is gone
 * or its size, modification time or inode differ from when watching began. Returns a stop function.
 */
export function watchCorpus(path: string, onChange: (change: CorpusChange) => void, intervalMs = CORPUS_WATCH_INTERVAL_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const first = stampOf(path);
  const poll = async () => {
    const before = await first;
    if (stopped || before === null) return;
    const now = await stampOf(path);
    if (stopped) return;
    if (now === null) { stopped = true; onChange('deleted'); return; }
    if (now.size !== before.size || now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) { stopped = true; onChange('changed'); return; }
    timer = setTimeout(() => void poll(), intervalMs);
    timer.unref();
  };
  timer = setTimeout(() => void poll(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

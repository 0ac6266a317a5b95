// A one-line status on a terminal (stderr) for work on large inputs: eval, inspect-text and copies say
// what they are doing and how far they are, a few times a second, so a long run does not look like a
// hang. Silent when stderr is not a terminal (pipes and logs stay clean); cleared before any result.
import { readCorpusFile, type CorpusFile } from '../files/corpus-file.js';
import { corpusProgress, type ProgressStream } from './corpus-progress.js';

/** Redraws per second at most: often enough to see it move, rarely enough to cost nothing. */
export const STATUS_EVERY_MS = 250;

export interface StatusLine {
  /** Show `text`; unless `now`, at most every STATUS_EVERY_MS (the first one always). */
  show(text: string, now?: boolean): void;
  clear(): void;
}

export function statusLine(stream: ProgressStream = process.stderr, everyMs = STATUS_EVERY_MS, clock: () => number = () => performance.now()): StatusLine {
  let last = -Infinity, shown = false;
  return {
    show(text, now = false) {
      if (!stream.isTTY) return;
      const t = clock();
      if (!now && t - last < everyMs) return;
      last = t;
      stream.write(`\r\x1b[K${text}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** A text file read with the same progress line `train` shows while opening its corpus. */
export async function readTextWithProgress(path: string): Promise<CorpusFile> {
  const progress = corpusProgress(path);
  try {
    return await readCorpusFile(path, undefined, progress.update);
  } finally {
    progress.clear();
  }
}

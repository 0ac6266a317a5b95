// Opening a corpus shows how far it has got on a terminal (stderr), so a large file does not look like a
// hang: reading N% of its size, then decoding, then encoding; the line is cleared when training starts.
import { basename } from 'node:path';
import { formatBytes } from '../../core/text.js';
import type { CorpusProgress } from '../files/corpus-file.js';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface CorpusProgressLine {
  update(p: CorpusProgress): void;
  encoding(): void;
  clear(): void;
}

/** A progress line for opening `path`; silent unless the stream is a terminal (pipes and logs stay clean). */
export function corpusProgress(path: string, stream: ProgressStream = process.stderr): CorpusProgressLine {
  const tty = Boolean(stream.isTTY), name = basename(path);
  let shown = '', total = 0;
  const show = (text: string) => {
    if (!tty || text === shown) return;
    shown = text;
    stream.write(`\r\x1b[K${text}`);
  };
  return {
    update(p) {
      total = p.total;
      if (p.stage === 'reading') {
        const percent = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
        show(`opening ${name}: reading ${percent}% of ${formatBytes(p.total)}`);
      } else {
        show(`opening ${name}: checking and decoding ${formatBytes(p.total)}`);
      }
    },
    encoding() {
      show(`opening ${name}: encoding ${formatBytes(total)}`);
    },
    clear() {
      if (tty && shown) stream.write('\r\x1b[K');
      shown = '';
    },
  };
}

// Peak resident memory of training on a generated 100 MB corpus, through the CLI bundle users run:
// the goal is < 3 × the corpus bytes + 200 MB. Measured by /usr/bin/time (GNU time's %M, in KiB).
import { existsSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MemoryResult {
  corpusBytes: number;
  peakBytes: number | null;
  limitBytes: number;
  seconds: number;
  note?: string;
}

/** kafka.txt repeated to `bytes`, cut at a character boundary. */
function writeCorpus(path: string, source: string, bytes: number): number {
  const text = readFileSync(source);
  const out = Buffer.alloc(bytes);
  for (let o = 0; o < bytes; o += text.length) text.copy(out, o, 0, Math.min(text.length, bytes - o));
  let end = bytes;
  while (end > 0 && (out[end - 1] & 0xc0) === 0x80) end--; // drop a cut-off UTF-8 sequence
  if (end > 0 && out[end - 1] >= 0xc0) end--;
  writeFileSync(path, out.subarray(0, end));
  return end;
}

export function benchMemory(root: string, source: string, megabytes = 100): MemoryResult {
  const dir = mkdtempSync(join(tmpdir(), 'char-rnn-bench-memory-'));
  try {
    const corpus = join(dir, `corpus-${megabytes}mb.txt`);
    const corpusBytes = writeCorpus(corpus, source, megabytes * 1000 * 1000);
    const limitBytes = 3 * corpusBytes + 200 * 1024 * 1024;
    const build = spawnSync('npm', ['run', '-s', 'build:cli'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) return { corpusBytes, peakBytes: null, limitBytes, seconds: 0, note: `npm run build:cli failed: ${build.stderr.trim()}` };
    if (!existsSync('/usr/bin/time')) {
      return { corpusBytes, peakBytes: null, limitBytes, seconds: 0, note: 'skipped: /usr/bin/time (GNU time) is not installed (apt-get install time)' };
    }
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', 'PEAK_KIB=%M', process.execPath, join(root, 'dist/cli/char-rnn.cjs'), 'train', corpus,
      '--batch', '32', '--iterations', '20', '--print-every', '0', '--sample-every', '0'], { encoding: 'utf8' });
    const seconds = Math.round((performance.now() - t0) / 10) / 100;
    const peak = /PEAK_KIB=(\d+)/.exec(r.stderr);
    if (r.status !== 0 || !peak) return { corpusBytes, peakBytes: null, limitBytes, seconds, note: `the training run failed: ${r.stderr.trim().split('\n').pop()}` };
    return { corpusBytes, peakBytes: Number(peak[1]) * 1024, limitBytes, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Opening a large corpus reports progress: the file is read in chunks (each reported), then decoded; the CLI
// shows it as one self-overwriting line on a terminal and nothing in a pipe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCorpusFile, type CorpusProgress } from '../../../main/files/corpus-file.js';
import { corpusProgress } from '../../../main/cli/corpus-progress.js';

test('readCorpusFile reports each chunk read, then decoding, and reads the same text as without progress', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'char-rnn-progress-'));
  try {
    const path = join(dir, 'big.txt');
    const text = 'Gregor Samsa woke from troubled dreams — and found himself changed. '.repeat(300_000); // ~20 MB
    await writeFile(path, text);
    const events: CorpusProgress[] = [];
    const withProgress = await readCorpusFile(path, undefined, (p) => events.push({ ...p }));
    const plain = await readCorpusFile(path);
    assert.equal(withProgress.text, plain.text);
    assert.equal(withProgress.bytes, Buffer.byteLength(text));
    const reading = events.filter((e) => e.stage === 'reading');
    assert.ok(reading.length >= 3, `several chunks reported, got ${reading.length}`);
    assert.deepEqual(reading.map((e) => e.done), [...reading.map((e) => e.done)].sort((a, b) => a - b), 'monotonic');
    assert.equal(reading[0].done, 0);
    assert.equal(reading.at(-1)!.done, withProgress.bytes);
    assert.equal(events.at(-1)!.stage, 'decoding');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the CLI\'s progress line: percent of the size on a terminal, cleared at the end; silent in a pipe', () => {
  const written: string[] = [];
  const line = corpusProgress('/data/corpus.txt', { isTTY: true, write: (s) => written.push(s) });
  line.update({ stage: 'reading', done: 0, total: 4 * 1024 * 1024 });
  line.update({ stage: 'reading', done: 2 * 1024 * 1024, total: 4 * 1024 * 1024 });
  line.update({ stage: 'reading', done: 2 * 1024 * 1024, total: 4 * 1024 * 1024 }); // unchanged: not written again
  line.update({ stage: 'decoding', done: 0, total: 4 * 1024 * 1024 });
  line.encoding();
  line.clear();
  assert.deepEqual(written.map((s) => s.replace('\r\x1b[K', '')), [
    'opening corpus.txt: reading 0% of 4.0 MiB',
    'opening corpus.txt: reading 50% of 4.0 MiB',
    'opening corpus.txt: checking and decoding 4.0 MiB',
    'opening corpus.txt: encoding 4.0 MiB',
    '',
  ]);
  const piped: string[] = [];
  const quiet = corpusProgress('corpus.txt', { isTTY: false, write: (s) => piped.push(s) });
  quiet.update({ stage: 'reading', done: 1, total: 2 });
  quiet.encoding();
  quiet.clear();
  assert.deepEqual(piped, []);
});

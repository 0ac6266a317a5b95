// The texts and the shared model the CLI's integration tests start from (cli.test.ts, cli-resume.test.ts):
// one place, so the two files split from one keep the same fixture.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedCorpus, ok, runCli } from './cli-run.js';

export const TINY = ['--hidden', '8', '--seq-length', '10'];

export interface CliFixture {
  dir: string;
  corpus: string;       // the training corpus
  otherCorpus: string;  // same characters, different text
  alienCorpus: string;  // characters the corpus lacks
  model: string;        // a checkpoint trained 200 iterations on the corpus
}

/** Builds the CLI (as `npm install` and `npm run char-rnn` do), writes the texts into a new folder and trains the model. */
export async function makeCliFixture(prefix: string): Promise<CliFixture> {
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:cli: ${build.stderr}`);
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const f = { dir, corpus: join(dir, 'corpus.txt'), otherCorpus: join(dir, 'other.txt'), alienCorpus: join(dir, 'alien.txt'), model: join(dir, 'model.ckpt') };
  await writeFile(f.corpus, generatedCorpus(4000));
  await writeFile(f.otherCorpus, generatedCorpus(3000, 99));
  await writeFile(f.alienCorpus, generatedCorpus(3000) + 'Zürich €');
  ok(await runCli(['train', f.corpus, ...TINY, '--iterations', '200', '--out', f.model, '--print-every', '0', '--sample-every', '0']), 'shared model');
  return f;
}

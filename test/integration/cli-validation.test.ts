// Issue 17, finding 7: one best validation loss. The run's final validation is in its last --json line,
// in the checkpoint's best and history, in the closing line and in `inspect`, all with the same
// iteration; resuming on another text starts the best again and says why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTRY, generatedCorpus, loadCheckpoint, ok, runCli as runCliOf } from '../helpers/cli-run.js';

const runCli = (args: string[]) => runCliOf(args, { entry: ['--import', 'tsx', ENTRY] });
const TINY = ['--hidden', '8', '--seq-length', '10', '--sample-length', '0'];
let dir = '';
let corpus = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-validation-'));
  corpus = join(dir, 'corpus.txt');
  await writeFile(corpus, generatedCorpus(4000));
});

after(() => rm(dir, { recursive: true, force: true }));

test('the final validation is in the last --json line, the checkpoint, the closing line and inspect, with its iteration', async () => {
  const out = join(dir, 'm.ckpt');
  const run = ok(await runCli(['train', corpus, ...TINY, '--iterations', '130', '--print-every', '0', '--sample-every', '50', '--json', '--out', out]), 'train');
  const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { iter: number; valLoss: number | null });
  const last = lines.at(-1)!;
  assert.equal(last.iter, 130);
  assert.equal(typeof last.valLoss, 'number', 'the last line has the final validation');
  const measured = lines.filter((l) => l.valLoss !== null);
  assert.deepEqual(measured.map((l) => l.iter), [50, 100, 130]);
  const best = measured.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
  const state = await loadCheckpoint(out);
  assert.equal(state.bestValLoss, best.valLoss, 'the checkpoint\'s best is the best of every validation, the final one included');
  assert.equal(state.lossHistory.at(-1)?.valLoss, last.valLoss, 'the final validation is in the checkpoint\'s history');
  assert.match(run.stderr, new RegExp(`best validation loss ${best.valLoss!.toFixed(6)} .* at iteration ${best.iter}\\n`));
  const inspect = ok(await runCli(['inspect', out]), 'inspect');
  assert.match(inspect.stdout, new RegExp(`best val loss +${best.valLoss!.toFixed(6)} .* at iteration ${best.iter}\\n`));
  assert.match(inspect.stdout, new RegExp(`last val loss +${last.valLoss!.toFixed(6)} .* at iteration 130\\n`));
  const json = JSON.parse(ok(await runCli(['inspect', out, '--json']), 'inspect --json').stdout) as Record<string, unknown>;
  assert.equal(json.bestValIteration, best.iter);
  assert.deepEqual(json.lastValidation, { iteration: 130, valLoss: last.valLoss });
});

test('resuming on a different text starts the best validation again and says why', async () => {
  const first = join(dir, 'first.ckpt');
  ok(await runCli(['train', corpus, ...TINY, '--iterations', '100', '--print-every', '0', '--sample-every', '50', '--out', first]), 'first');
  const other = join(dir, 'other.txt');
  await writeFile(other, generatedCorpus(4000, 99)); // the same characters, another text
  const resumed = ok(await runCli(['train', other, '--resume', first, '--iterations', '150', '--print-every', '0', '--sample-every', '50', '--sample-length', '0', '--json']), 'resume');
  assert.match(resumed.stderr, /the best validation loss starts again \(was \d\.\d+ nats\/char, measured on the other text's validation part\)/);
  const lines = resumed.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { valLoss: number | null });
  const best = Math.min(...lines.map((l) => l.valLoss ?? Infinity));
  assert.match(resumed.stderr, new RegExp(`best validation loss ${best.toFixed(6)} `), 'the closing line is this text\'s best');
});

// --dropout and --ema through the CLI: recorded in the checkpoint and said in the run's first line,
// reproducible and resumable bit for bit on a thread pool, the same masks on one thread or two, the
// average used by eval and export, and bad values refused with the limit.
import '../../main/training/relaxed-simd.js'; // first: the CLI samples and scores on the relaxed kernels, and so does this process
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelParams } from '../../core/ema.js';
import { decodeSafetensors } from '../../core/safetensors.js';
import { evaluateLoss } from '../../core/trainer.js';
import { generatedCorpus, loadCheckpoint, ok, runCli, userError } from '../helpers/cli-run.js';

let dir = '', corpus = '';
const SHAPE = ['--model', 'gru', '--hidden', '12', '--seq-length', '10', '--batch', '4', '--optimizer', 'adam', '--lr', '0.01',
  '--print-every', '0', '--sample-every', '0'];

before(async () => {
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:cli: ${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-reg-'));
  corpus = join(dir, 'corpus.txt');
  await writeFile(corpus, generatedCorpus(4000));
});

after(() => rm(dir, { recursive: true, force: true }));

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

test('--dropout and --ema: recorded, reproducible, resumed bit for bit on 2 threads, the same masks on 1 thread', async () => {
  const reg = [...SHAPE, '--dropout', '0.25', '--ema', '0.99'];
  const [a, b, half, single, other] = ['a', 'b', 'half', 'single', 'other'].map((n) => join(dir, `${n}.ckpt`));
  const runs = await Promise.all([
    runCli(['train', corpus, ...reg, '--threads', '2', '--iterations', '40', '--out', a]),
    runCli(['train', corpus, ...reg, '--threads', '2', '--iterations', '40', '--out', b]),
    runCli(['train', corpus, ...reg, '--threads', '2', '--iterations', '15', '--out', half]),
    runCli(['train', corpus, ...reg, '--threads', '1', '--iterations', '40', '--out', single]),
    runCli(['train', corpus, ...reg, '--threads', '2', '--iterations', '40', '--out', other, '--seed', '2']),
  ]);
  runs.forEach((r, i) => ok(r, `run ${i}`));
  assert.match(runs[0].stderr, /batch 4, dropout 0\.25, weight average 0\.99, 2 threads, wasm(-relaxed)?-simd kernels;/);
  ok(await runCli(['train', corpus, '--resume', half, '--iterations', '40', '--out', half, '--print-every', '0', '--sample-every', '0']), 'resumed');
  const [sa, sb, sr, ss, so] = await Promise.all([a, b, half, single, other].map(loadCheckpoint));
  assert.deepEqual([sa.training.dropout, sa.training.ema], [0.25, 0.99]);
  assert.ok(sa.emaParams, 'the checkpoint holds the average');
  assert.deepEqual(sb.params, sa.params, 'same seed: same weights');
  assert.deepEqual(sr.params, sa.params, 'resumed: same weights');
  assert.deepEqual(sr.emaParams, sa.emaParams, 'resumed: same average');
  assert.deepEqual(sr.optimizerState, sa.optimizerState);
  // one thread sums the gradient in another order (float rounding), but draws the same masks: close, unlike another seed
  const threadsDiff = maxDiff(ss.params, sa.params), seedDiff = maxDiff(so.params, sa.params);
  assert.ok(threadsDiff < 1e-3 && threadsDiff * 50 < seedDiff, `1 vs 2 threads differ by ${threadsDiff}; another seed by ${seedDiff}`);
  const shown = ok(await runCli(['inspect', a]), 'inspect').stdout;
  assert.match(shown, /dropout 0\.25, ema 0\.99$/m);
});

test('eval and export use the average; resume may change dropout and the average; bad values are refused with the limit', async () => {
  const model = join(dir, 'avg.ckpt'), weights = join(dir, 'avg.safetensors'), changed = join(dir, 'changed.ckpt');
  ok(await runCli(['train', corpus, ...SHAPE, '--ema', '0.9', '--iterations', '30', '--out', model]), 'train');
  const state = await loadCheckpoint(model);
  const evalRun = JSON.parse(ok(await runCli(['eval', model, corpus, '--json']), 'eval').stdout);
  const encoded = state.vocab.encode(await readFile(corpus, 'utf8'));
  assert.equal(evalRun.natsPerChar, evaluateLoss(state.model, modelParams(state), encoded));
  assert.notEqual(evalRun.natsPerChar, evaluateLoss(state.model, state.params, encoded));
  ok(await runCli(['export', model, weights]), 'export');
  const by = decodeSafetensors(new Uint8Array(await readFile(weights))).tensors.get('by')!.data;
  assert.deepEqual(Float32Array.from(by), state.emaParams!.subarray(state.params.length - by.length));
  const resumed = ok(await runCli(['train', corpus, '--resume', model, '--dropout', '0.3', '--ema', '0', '--iterations', '35',
    '--out', changed, '--print-every', '0', '--sample-every', '0']), 'resume with other regularizers');
  assert.match(resumed.stderr, /dropout 0 → 0\.3, weight average decay 0\.9 → 0/);
  const after = await loadCheckpoint(changed);
  assert.deepEqual([after.training.dropout, after.training.ema, after.emaParams], [0.3, 0, null]);
  userError(await runCli(['train', corpus, '--dropout', '0.95']), 2, /^char-rnn: --dropout must be a number from 0 to 0\.9; got 0\.95\.$/m, 'dropout too high');
  userError(await runCli(['train', corpus, '--ema', '1']), 2, /^char-rnn: --ema must be a number from 0 to 0\.99999; got 1\.$/m, 'ema of 1');
  userError(await runCli(['train', corpus, '--dropout', 'lots']), 2, /--dropout must be a number; got "lots"/, 'not a number');
});

// The CLI's presets (core's list), `train --preset` with flags over it, and `--best-out`: the model of the
// best validation loss, saved with its iteration and loss. A child process running the installed bundle.
// first: the CLI compiles relaxed SIMD (its entry sets the flag), and numbers computed here must match its own bits
import '../../main/training/relaxed-simd.js';
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeCheckpoint } from '../../core/checkpoint.js';
import { prepareCorpus } from '../../core/corpus.js';
import { PRESETS, presetJson } from '../../core/presets.js';
import { evaluateLoss } from '../../core/trainer.js';
import { loadCheckpoint, ok, runCli, type CliRun as Run } from '../helpers/cli-run.js';

function usageError(run: Run, pattern: RegExp, what: string): void {
  assert.equal(run.code, 2, `${what}: exit code (stderr: ${run.stderr})`);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `${what}: one line, got ${JSON.stringify(run.stderr)}`);
  assert.match(lines[0], pattern, what);
}

let dir = '', corpus = '', text = '';

before(async () => {
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:cli: ${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-presets-'));
  corpus = join(dir, 'corpus.txt');
  const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'saw', 'dog', 'run', 'far', 'away'];
  let x = 11;
  while (text.length < 4000) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    text += words[(x >>> 16) % words.length] + ((x >>> 9) % 7 === 0 ? '.\n' : ' ');
  }
  await writeFile(corpus, text);
});

after(() => rm(dir, { recursive: true, force: true }));

test('presets --json prints core\'s list as {name, description, ...settings}; the plain form names each', async () => {
  const json = JSON.parse(ok(await runCli(['presets', '--json']), 'presets --json').stdout);
  assert.deepEqual(json, PRESETS.map(presetJson));
  const plain = ok(await runCli(['presets']), 'presets').stdout;
  for (const p of PRESETS) assert.match(plain, new RegExp(`^${p.name}: ${p.settings.cell} ${p.settings.hiddenSize}`, 'm'));
});

test('train --preset takes the preset\'s settings, with the flags given over them; an unknown name is one line', async () => {
  const preset = PRESETS.find((p) => p.settings.cell !== 'rnn')!;
  const out = join(dir, 'preset.ckpt');
  ok(await runCli(['train', corpus, '--preset', preset.name, '--hidden', '8', '--seq-length', '10', '--batch', '2',
    '--iterations', '5', '--print-every', '0', '--sample-every', '0', '--out', out]), 'train --preset');
  const state = await loadCheckpoint(out);
  assert.equal(state.model.cell, preset.settings.cell);
  assert.equal(state.training.optimizer, preset.settings.optimizer);
  assert.equal(state.training.learningRate, preset.settings.learningRate);
  assert.equal(state.training.clipValue, preset.settings.clipValue);
  assert.deepEqual([state.model.hiddenSize, state.training.seqLength, state.training.batchSize], [8, 10, 2], 'the flags win');
  usageError(await runCli(['train', corpus, '--preset', 'huge']), /^char-rnn: --preset must be one of seed, .*; got "huge"\.$/, 'unknown preset');
  usageError(await runCli(['train', corpus, '--preset', preset.name, '--resume', out]), /--preset starts a new run/, 'preset on resume');
});

test('a cosine run\'s checkpoint records the configured rate and its schedule; --resume without a stop runs the schedule to its end', async () => {
  const out = join(dir, 'cosine.ckpt');
  ok(await runCli(['train', corpus, '--preset', 'gru-128-cosine', '--hidden', '8', '--seq-length', '10', '--batch', '2', '--threads', '1',
    '--iterations', '40', '--save-every', '20', '--print-every', '0', '--sample-every', '0', '--out', out]), 'train a cosine preset');
  const summary = JSON.parse(ok(await runCli(['inspect', out, '--json']), 'inspect --json').stdout);
  assert.equal(summary.training.learningRate, 0.008, 'the configured rate, never the decayed one');
  assert.deepEqual([summary.schedule.kind, summary.schedule.budget, summary.schedule.origin.iteration], ['cosine', { iterations: 40 }, 0]);
  assert.match(ok(await runCli(['inspect', out]), 'inspect').stdout, /lr schedule +cosine over 40 iterations from iteration 0/);

  // as if saved at iteration 40 of a 60-iteration run: the resumed run continues to 60, on the same curve
  const state = await loadCheckpoint(out);
  state.schedule = { ...state.schedule!, budget: { iterations: 60 } };
  await writeFile(out, serializeCheckpoint(state));
  const resumed = ok(await runCli(['train', corpus, '--resume', out, '--print-every', '0', '--sample-every', '0', '--out', out]), 'resume');
  assert.match(resumed.stderr, /continuing the checkpoint's cosine learning-rate schedule to its end at iteration 60/);
  const after = await loadCheckpoint(out);
  assert.equal(after.iteration, 60);
  assert.equal(after.training.learningRate, 0.008);
  assert.deepEqual(after.schedule, state.schedule);
});

test('--preset auto: settings for the text and the budget, explained in one line; the speed is measured once and cached', async () => {
  const out = join(dir, 'auto.ckpt'), calibration = join(dir, 'calibration.json');
  const env = { CHAR_RNN_CALIBRATION: calibration };
  const byIterations = ok(await runCli(['train', corpus, '--preset', 'auto', '--iterations', '20', '--print-every', '0', '--sample-every', '0',
    '--threads', '1', '--out', out], { env }), 'train --preset auto --iterations');
  assert.match(byIterations.stderr.split('\n')[0], /^auto: 4k chars, vocabulary \d+, 20 iterations → GRU (\d+), dropout 0\.2, EMA 0\.999, Adam [\d.]+ cosine, batch 16, seq 50 \(~[\d.]+ passes over the text\)$/);
  const width = Number(/→ GRU (\d+)/.exec(byIterations.stderr)![1]);
  const state = await loadCheckpoint(out);
  assert.deepEqual([state.model.cell, state.model.hiddenSize, state.training.batchSize, state.schedule?.kind], ['gru', width, 16, 'cosine']);
  assert.deepEqual([state.training.dropout, state.training.ema], [0.2, 0.999], 'a small text: the regularisers the reason names');
  assert.equal(existsSync(calibration), false, 'an iteration budget needs no speed');

  const bySeconds = ok(await runCli(['train', corpus, '--preset', 'auto', '--seconds', '0.5', '--hidden', '8', '--print-every', '0',
    '--sample-every', '0', '--threads', '1', '--out', out, '--force'], { env }), 'train --preset auto --seconds');
  assert.match(bySeconds.stderr, /^auto: .*0\.5 s, ~[\d.]+k? chars\/s here → GRU \d+.*\(speed measured now, kept in .*calibration\.json\)\n/);
  assert.equal((await loadCheckpoint(out)).model.hiddenSize, 8, 'a flag given wins over the choice');
  const cached = JSON.parse(await readFile(calibration, 'utf8'));
  assert.equal(Object.keys(cached).length, 1);
  const again = ok(await runCli(['train', corpus, '--preset', 'auto', '--seconds', '0.5', '--print-every', '0', '--sample-every', '0',
    '--threads', '1', '--out', out, '--force'], { env }), 'train --preset auto again');
  assert.doesNotMatch(again.stderr.split('\n')[0], /measured now/, 'the cached speed');
  usageError(await runCli(['train', corpus, '--preset', 'auto']), /--preset auto sizes the model to the time or iterations it has: add --seconds or --iterations/, 'no budget');
});

test('--best-out saves the best validation\'s model with its iteration and loss; the run says where the best was', async () => {
  const out = join(dir, 'last.ckpt'), best = join(dir, 'best.ckpt');
  const run = ok(await runCli(['train', corpus, '--model', 'gru', '--hidden', '16', '--seq-length', '10', '--optimizer', 'adam',
    '--lr', '0.05', '--iterations', '300', '--print-every', '0', '--sample-every', '25', '--sample-length', '0',
    '--json', '--out', out, '--best-out', best]), 'train --best-out');
  const seen = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { iter: number; valLoss: number | null })
    .filter((o) => o.valLoss !== null);
  const onIterations = seen.filter((o) => o.iter % 25 === 0).map((o) => o.iter);
  assert.deepEqual(onIterations, Array.from({ length: 12 }, (_, i) => 25 * (i + 1)), 'every --sample-every iterations, as always');
  assert.match(run.stderr.split('\n')[0], /; validation of [\d,]+ chars every 25 iterations and every ~[\d.]+ s \(≤ 5% of the time\), keeping the best$/,
    'the first line says the cadence (also on the clock, with --best-out)');
  const kept = await loadCheckpoint(best), last = await loadCheckpoint(out);
  assert.equal(last.iteration, 300);
  const validation = prepareCorpus(text, kept.training, kept.vocab).val;
  const score = evaluateLoss(kept.model, kept.params, validation);
  assert.equal(kept.bestValLoss, score, 'the checkpoint records the loss its weights score');
  const lowest = seen.reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
  assert.ok(score <= lowest.valLoss!, 'no worse than any validation of the run');
  if (kept.iteration !== 300) assert.deepEqual([kept.iteration, score], [lowest.iter, lowest.valLoss]);
  assert.match(run.stderr, new RegExp(`best validation loss ${score.toFixed(6)} nats/char \\(\\d+\\.\\d{4} bits/char\\) at iteration ${kept.iteration.toLocaleString('en-US')}\\n`));
  usageError(await runCli(['train', corpus, '--best-out', join(dir, 'x.ckpt'), '--sample-every', '0', '--iterations', '3']),
    /--best-out needs validation/, 'best-out without validation');
  usageError(await runCli(['train', corpus, '--lr-schedule', 'cosine']), /--lr-schedule cosine runs over a budget/, 'schedule without budget');
  // the output guard's rules: never over the corpus
  const guarded = await runCli(['train', corpus, '--best-out', corpus, '--iterations', '3']);
  assert.equal(guarded.code !== 0, true);
  assert.equal(await readFile(corpus, 'utf8'), text, 'the corpus is untouched');
});

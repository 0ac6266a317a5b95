// The char-rnn CLI's other commands end to end, as a child process running what users run (bin/char-rnn.js
// over the bundle that `npm run build:cli` makes at install time) on a small generated corpus: sample, eval,
// inspect, export/import, every user error, strict numbers, internal errors and the bundle against the source.
// Training is cli-train.test.ts and resuming cli-resume.test.ts; here one trained model serves every read-only case.
// first: the CLI compiles relaxed SIMD (its entry sets the flag), and numbers computed here must match its own bits
import '../../main/training/relaxed-simd.js';
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { evaluateLoss, NATS_TO_BITS } from '../../core/trainer.js';
import { reportFailure, UsageError } from '../../main/cli/fail.js';
import { parseDecimal, parseInteger } from '../../main/cli/options.js';
import { makeCliFixture, TINY } from '../helpers/cli-fixture.js';
import { loadCheckpoint, ENTRY, ok, runCli, userError } from '../helpers/cli-run.js';

let dir = '';
let corpus = '';           // the training corpus
let otherCorpus = '';      // same characters, different text
let alienCorpus = '';      // characters the corpus lacks
let model = '';            // a trained checkpoint shared by the read-only tests

before(async () => {
  ({ dir, corpus, otherCorpus, alienCorpus, model } = await makeCliFixture('char-rnn-cli-'));
});

after(() => rm(dir, { recursive: true, force: true }));

describe('sample', () => {
  test('the same seed gives the same text, another seed another; the prime comes first', async () => {
    const args = ['sample', model, '--length', '60', '--prime', 'The cat'];
    const [a, b, c] = await Promise.all([
      runCli([...args, '--seed', '5']), runCli([...args, '--seed', '5']), runCli([...args, '--seed', '6']),
    ]);
    for (const r of [a, b, c]) ok(r, 'sample');
    assert.equal(a.stdout, b.stdout);
    assert.notEqual(a.stdout, c.stdout);
    assert.ok(a.stdout.startsWith('The cat'));
    assert.equal([...a.stdout].length, 'The cat'.length + 60, 'prime + text alone (no newline into a pipe)');
    assert.equal(a.stderr, '');
  });

  test('--argmax, --temperature and --top-k', async () => {
    const [x, y, cold] = await Promise.all([
      runCli(['sample', model, '--length', '40', '--argmax', '--seed', '1']),
      runCli(['sample', model, '--length', '40', '--argmax', '--seed', '2']),
      runCli(['sample', model, '--length', '40', '--temperature', '0.5', '--top-k', '3', '--seed', '1']),
    ]);
    assert.equal(ok(x, 'argmax').stdout, ok(y, 'argmax').stdout, 'argmax draws nothing');
    assert.equal([...ok(cold, 'top-k').stdout].length, 40);
  });

  test('a prime with unknown characters is refused naming them, unless --drop-unknown', async () => {
    userError(await runCli(['sample', model, '--prime', 'Zap€', '--seed', '1']), 2,
      /"Z" \(U\+005A\), "p" \(U\+0070\), "€" \(U\+20AC\).*--drop-unknown/, 'unknown prime');
    const dropped = ok(await runCli(['sample', model, '--prime', 'Zap€', '--seed', '1', '--length', '10', '--drop-unknown']), 'drop');
    assert.equal([...dropped.stdout].length, 11);
    assert.ok(dropped.stdout.startsWith('a'));
    assert.match(dropped.stderr, /^char-rnn: warning: .*"Z".*"p".*"€"/);
  });
});

test('eval prints nats and bits per character, as evaluateLoss computes them', async () => {
  const [text, json] = await Promise.all([runCli(['eval', model, otherCorpus]), runCli(['eval', model, otherCorpus, '--json'])]);
  const result = JSON.parse(ok(json, 'eval --json').stdout);
  const state = await loadCheckpoint(model);
  const encoded = state.vocab.encode(await readFile(otherCorpus, 'utf8'));
  assert.equal(result.natsPerChar, evaluateLoss(state.model, state.params, encoded));
  assert.equal(result.bitsPerChar, result.natsPerChar * NATS_TO_BITS);
  assert.equal(result.characters, encoded.length - 1);
  assert.ok(result.natsPerChar > 0.5 && result.natsPerChar < Math.log(state.vocab.size));
  assert.equal(ok(text, 'eval').stdout,
    `${result.natsPerChar.toFixed(6)} nats/char, ${result.bitsPerChar.toFixed(6)} bits/char over ${result.characters.toLocaleString('en-US')} predicted characters\n`);
  userError(await runCli(['eval', model, alienCorpus]), 1, /alien\.txt.*"ü"/, 'eval on unknown characters');
});

test('inspect shows the model, sizes, vocabulary, progress and settings; --json too', async () => {
  const [text, json] = await Promise.all([runCli(['inspect', model]), runCli(['inspect', model, '--json'])]);
  const out = ok(text, 'inspect').stdout;
  for (const re of [/^model\s+rnn, hidden 8, 1 layer$/m, /^parameters\s+[\d,]+ \(f32\)$/m, /^vocabulary\s+\d+ characters: "/m,
    /^iteration\s+200$/m, /^smoothed loss\s+\d+\.\d+ nats\/char/m, /^training\s+adagrad lr 0\.1, seq length 10, batch 1/m,
    /^kernels\s+wasm-relaxed-simd$/m]) {
    assert.match(out, re);
  }
  const summary = JSON.parse(ok(json, 'inspect --json').stdout);
  assert.equal(summary.iteration, 200);
  assert.equal(summary.kernels, 'wasm-relaxed-simd');
  assert.equal(summary.model.hiddenSize, 8);
  assert.equal(summary.vocabSize, [...summary.vocabulary].length);
  assert.equal(summary.bytes, (await readFile(model)).length);
});

test('export to safetensors and import back: same text for the same seed, trainable with a fresh optimizer', async () => {
  const weights = join(dir, 'model.safetensors'), imported = join(dir, 'imported.ckpt');
  ok(await runCli(['export', model, weights]), 'export');
  ok(await runCli(['import', weights, imported, '--seq-length', '10', '--lr', '0.05']), 'import');
  const [original, again] = await Promise.all([
    runCli(['sample', model, '--seed', '9', '--length', '80', '--prime', 'The ']),
    runCli(['sample', imported, '--seed', '9', '--length', '80', '--prime', 'The ']),
  ]);
  assert.equal(ok(again, 'sample imported').stdout, ok(original, 'sample original').stdout);
  const state = await loadCheckpoint(imported);
  assert.equal(state.training.learningRate, 0.05);
  assert.ok(state.optimizerState.every((x) => x === 0), 'a fresh optimizer state');
  const further = join(dir, 'further.ckpt');
  ok(await runCli(['train', corpus, '--resume', imported, '--iterations', '20', '--out', further, '--print-every', '0']), 'train further');
  assert.equal((await loadCheckpoint(further)).iteration, 20);
  userError(await runCli(['sample', weights]), 1, /safetensors.*import/, 'a safetensors file given as a checkpoint');
});

test('every user error is one line on stderr, no stack trace, exit 2 for usage and 1 for the rest', async () => {
  const empty = join(dir, 'empty.txt'), binary = join(dir, 'binary.bin'), latin1 = join(dir, 'latin1.txt'), short = join(dir, 'short.txt');
  const truncated = join(dir, 'truncated.ckpt');
  await writeFile(empty, '');
  await writeFile(binary, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]));
  await writeFile(latin1, new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  await writeFile(short, 'only a few');
  await writeFile(truncated, (await readFile(model)).subarray(0, 100));
  const cases: [string[], number, RegExp][] = [
    [[], 2, /missing command/],
    [['frobnicate'], 2, /unknown command 'frobnicate'/],
    [['train'], 2, /missing required argument/],
    [['train', corpus, '--lr', 'abc'], 2, /--lr must be a number; got "abc"/],
    [['train', corpus, '--lr', ''], 2, /--lr must be a number; got ""/],
    [['train', corpus, '--lr', 'NaN'], 2, /--lr must be a number/],
    [['train', corpus, '--lr', '0'], 2, /--lr must be a number above 0/],
    [['train', corpus, '--hidden', '0'], 2, /--hidden must be a whole number from 1 to 4096; got 0/],
    [['train', corpus, '--hidden', '12abc'], 2, /--hidden must be a whole number; got "12abc"/],
    [['train', corpus, '--hidden', '2.5'], 2, /--hidden must be a whole number/],
    [['train', corpus, '--seq-length', '-3'], 2, /--seq-length/],
    [['train', corpus, '--val-fraction', '0.9'], 2, /--val-fraction/],
    [['train', corpus, '--model', 'transformer'], 2, /--model must be one of "rnn", "lstm", "gru"; got "transformer"\.$/m],
    [['train', corpus, '--optimizer', 'sgd'], 2, /--optimizer must be one of "adagrad", "adam", "rmsprop"; got "sgd"\.$/m],
    [['train', corpus, '--iterations', '1e3'], 2, /--iterations must be a whole number/],
    [['train', corpus, '--seconds', '-1'], 2, /--seconds must be above 0/],
    [['train', corpus, '--save-every', '10'], 2, /--save-every needs --out/],
    [['train', corpus, '--hiddn', '4'], 2, /unknown option '--hiddn'.*--hidden/],
    [['sample', model, '--temperature', '0'], 2, /--temperature must be a number above 0 and at most 100; got 0/],
    [['sample', model, '--top-k', 'x'], 2, /--top-k must be a whole number/],
    [['sample', model, '--seed', '-1'], 2, /--seed must be from 0 to 4294967295/],
    [['sample', model, '--length', '10', 'extra'], 2, /too many arguments/],
    [['train', join(dir, 'missing.txt')], 1, /missing\.txt" does not exist/],
    [['train', dir], 1, /is a folder/],
    [['train', empty], 1, /empty\.txt.*empty/],
    [['train', binary], 1, /binary\.bin.*NUL byte/],
    [['train', latin1], 1, /latin1\.txt.*not valid UTF-8/],
    [['train', short], 1, /short\.txt.*training text has \d+ characters; sequence length 25/],
    [['sample', corpus], 1, /corpus\.txt.*not a Char-RNN Studio checkpoint/],
    [['inspect', truncated], 1, /truncated\.ckpt.*truncated/],
    [['eval', join(dir, 'missing.ckpt'), corpus], 1, /missing\.ckpt" does not exist/],
    [['export', model, join(dir, 'no-such-folder', 'x.safetensors')], 1, /folder does not exist/],
    [['import', corpus, join(dir, 'x.ckpt')], 1, /corpus\.txt/],
  ];
  for (let i = 0; i < cases.length; i += 4) {
    const batch = cases.slice(i, i + 4);
    const runs = await Promise.all(batch.map(([args]) => runCli(args)));
    batch.forEach(([args, code, pattern], k) => userError(runs[k], code, pattern, `char-rnn ${args.join(' ')}`));
  }
});

test('numbers are parsed strictly (in process): whole numbers, decimals, ranges', () => {
  for (const raw of ['12', '+12', '0012']) assert.equal(parseInteger('--n', raw, 0), 12);
  for (const raw of ['12abc', '', ' 12', '1e3', '0x10', '1.0', 'Infinity', 'NaN', '1_000', '99999999999999999999']) {
    assert.throws(() => parseInteger('--n', raw, 0), (e: Error) => e instanceof UsageError && e.message.startsWith('--n must be a whole number'), raw);
  }
  assert.throws(() => parseInteger('--n', '5', 0, 4), /--n must be from 0 to 4; got 5/);
  for (const [raw, value] of [['0.5', 0.5], ['.5', 0.5], ['5.', 5], ['1e-3', 0.001], ['-2', -2]] as const) assert.equal(parseDecimal('--x', raw), value);
  for (const raw of ['', '.', 'e3', '1e', '0.5.1', 'Infinity', '-Infinity', 'NaN', '1,5', '1e999']) {
    assert.throws(() => parseDecimal('--x', raw), UsageError, raw);
  }
});

test('an unexpected internal error is one line, with its stack only under CHAR_RNN_DEBUG=1; --help exits 0', async () => {
  const written: string[] = [];
  const internal = new TypeError('boom');
  assert.equal(reportFailure(internal, (s) => written.push(s), false), 1);
  assert.deepEqual(written, ['char-rnn: internal error: boom (set CHAR_RNN_DEBUG=1 to see where)\n']);
  written.length = 0;
  reportFailure(internal, (s) => written.push(s), true);
  assert.match(written.join(''), /\n {4}at /, 'the stack, when debugging');
  const help = await runCli(['train', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--seq-length <n>/);
});

test('the bundle behaves as the TypeScript source does; `npm run char-rnn` rebuilds it and runs it', async () => {
  const source = ['--import', 'tsx', ENTRY];
  const run = ok(await runCli(['sample', model, '--seed', '3', '--length', '20']), 'bundled sample');
  const viaTsx = ok(await runCli(['sample', model, '--seed', '3', '--length', '20'], { entry: source }), 'tsx sample');
  assert.equal(run.stdout, viaTsx.stdout);
  userError(await runCli(['train', corpus, '--lr', 'x'], { entry: source }), 2, /--lr must be a number/, 'source usage error');
  const npm = spawnSync('npm', ['run', '-s', 'char-rnn', '--', 'sample', model, '--seed', '3', '--length', '20'], { encoding: 'utf8' });
  assert.equal(npm.status, 0, npm.stderr);
  assert.equal(npm.stdout, run.stdout);
  assert.equal(npm.stderr, '', 'esbuild builds silently');
  assert.ok(existsSync(resolve('dist/cli/char-rnn.cjs')));
});

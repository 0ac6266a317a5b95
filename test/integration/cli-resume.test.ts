// `char-rnn train --resume`, end to end, as a child process running the installed bundle on a small generated
// corpus: a resumed run equals a straight one bit for bit (on one thread and on a pool), conflicting flags and
// unknown characters are refused, the learning rate and clipping may change, a diverging run keeps its last good
// state, and another text is warned about. Its own file because every case starts from a checkpoint.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serializeCheckpoint } from '../../core/checkpoint.js';
import { paramLayout, tensorViews } from '../../core/layout.js';
import { makeCliFixture, TINY } from '../helpers/cli-fixture.js';
import { loadCheckpoint, ok, runCli, userError } from '../helpers/cli-run.js';

let dir = '';
let corpus = '';           // the training corpus
let otherCorpus = '';      // same characters, different text
let alienCorpus = '';      // characters the corpus lacks
let model = '';            // a trained checkpoint shared by the tests that resume from it

before(async () => {
  ({ dir, corpus, otherCorpus, alienCorpus, model } = await makeCliFixture('char-rnn-cli-resume-'));
});

after(() => rm(dir, { recursive: true, force: true }));

describe('train --resume', () => {
  test('a resumed run continues to the total --iterations and equals a straight run bit for bit', async () => {
    // a 2-layer LSTM with 2 streams and Adam: every kind of carried state (h and c per layer and stream, two moments)
    const shape = [...TINY, '--model', 'lstm', '--layers', '2', '--batch', '2', '--optimizer', 'adam', '--lr', '0.01',
      '--print-every', '25', '--sample-every', '50'];
    const straight = join(dir, 'straight.ckpt'), half = join(dir, 'half.ckpt'), resumed = join(dir, 'resumed.ckpt');
    ok(await runCli(['train', corpus, ...shape, '--iterations', '150', '--out', straight]), 'straight run');
    ok(await runCli(['train', corpus, ...shape, '--iterations', '70', '--out', half]), 'first half');
    const run = ok(await runCli(['train', corpus, '--resume', half, '--model', 'lstm', '--hidden', '8', '--iterations', '150',
      '--out', resumed, '--json', '--print-every', '25', '--sample-every', '50']), 'resumed run');
    assert.deepEqual(run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).iter), [75, 100, 100, 125, 150, 150]);
    assert.doesNotMatch(run.stderr, /warning/, 'same corpus: no warning');
    const a = await loadCheckpoint(straight), b = await loadCheckpoint(resumed);
    assert.equal(b.iteration, 150);
    assert.deepEqual(b.params, a.params, 'parameters');
    assert.deepEqual(b.optimizerState, a.optimizerState, 'optimizer state');
    assert.deepEqual(b.hidden, a.hidden, 'carried hidden state');
    assert.deepEqual(b.positions, a.positions);
    assert.equal(b.optimizerSteps, a.optimizerSteps);
    assert.equal(b.smoothLoss, a.smoothLoss);
    assert.equal(b.bestValLoss, a.bestValLoss);
    assert.deepEqual([b.epoch, b.charsSeen], [a.epoch, a.charsSeen]);
    assert.deepEqual(b.lossHistory.map((p) => p.iter), [25, 50, 70, 75, 100, 125, 150], 'the chart continues');
  });

  test('--threads 2: two runs are bit-identical, the checkpoint records 2, and resuming on it continues bit for bit', async () => {
    const shape = [...TINY, '--model', 'gru', '--batch', '3', '--threads', '2', '--print-every', '0', '--sample-every', '0'];
    const a = join(dir, 'threads-a.ckpt'), b = join(dir, 'threads-b.ckpt'), half = join(dir, 'threads-half.ckpt');
    const first = ok(await runCli(['train', corpus, ...shape, '--iterations', '60', '--out', a]), 'threads run a');
    // the first line names the kernel set: WebAssembly relaxed SIMD here, on the calling thread and the pool's (else each is listed)
    assert.match(first.stderr.split('\n')[0], /^training: .*batch 3, 2 threads, wasm-relaxed-simd kernels;/);
    assert.doesNotMatch(first.stderr, /TypeScript kernels/, 'no fallback to report');
    ok(await runCli(['train', corpus, ...shape, '--iterations', '60', '--out', b]), 'threads run b');
    ok(await runCli(['train', corpus, ...shape, '--iterations', '25', '--out', half]), 'threads first half');
    const resumed = ok(await runCli(['train', corpus, '--resume', half, '--iterations', '60', '--out', half, '--print-every', '0',
      '--sample-every', '0']), 'threads resumed');
    assert.match(resumed.stderr, /2 threads, wasm-relaxed-simd kernels;/, 'a resumed run keeps the checkpoint\'s thread count and kernels');
    const [sa, sb, sr] = await Promise.all([a, b, half].map(loadCheckpoint));
    assert.equal(sa.threads, 2);
    assert.equal(sa.kernels, 'wasm-relaxed-simd', 'the checkpoint records the kernel set');
    assert.deepEqual(sb.params, sa.params, 'same seed, same threads: same parameters');
    assert.deepEqual(sr.params, sa.params, 'resumed across the pool: same parameters');
    assert.deepEqual(sr.hidden, sa.hidden);
    assert.deepEqual(sr.optimizerState, sa.optimizerState);
    // more threads than streams: clamped to the batch, and said (the app's worker follows the same rule)
    const clamped = ok(await runCli(['train', corpus, ...TINY, '--batch', '2', '--threads', '3', '--iterations', '5', '--print-every', '0',
      '--sample-every', '0']), 'too many threads');
    assert.match(clamped.stderr, /training on 2 threads, not 3: the batch has 2 streams/);
    assert.match(clamped.stderr, /batch 2, 2 threads, wasm(-relaxed)?-simd kernels;/);
    userError(await runCli(['train', corpus, '--threads', '0']), 2, /--threads/, 'zero threads');
  });

  test('resume refuses flags that conflict with the checkpoint, naming each, and text with unknown characters', async () => {
    const conflict = await runCli(['train', corpus, '--resume', model, '--hidden', '16', '--model', 'gru', '--batch', '3', '--seed', '1']);
    userError(conflict, 2, /--model gru \(the checkpoint has model rnn\), --hidden 16 \(the checkpoint has hidden size 8\), --batch 3 \(the checkpoint has batch size 1\):/,
      'conflicting flags');
    const alien = await runCli(['train', alienCorpus, '--resume', model, '--iterations', '210']);
    userError(alien, 1, /alien\.txt.*"Z" \(U\+005A\).*"ü" \(U\+00FC\).*"€" \(U\+20AC\)/, 'unknown characters');
  });

  test('resume may change the learning rate and clipping, which the checkpoint then keeps', async () => {
    const out = join(dir, 'slower.ckpt');
    const run = ok(await runCli(['train', corpus, '--resume', model, '--lr', '0.05', '--clip-norm', '1', '--hidden', '8',
      '--iterations', '220', '--out', out, '--print-every', '0']), 'resume with a new learning rate');
    assert.match(run.stderr, /learning rate 0\.1 → 0\.05, clip norm 0 → 1/);
    const state = await loadCheckpoint(out);
    assert.deepEqual([state.training.learningRate, state.training.clipNorm, state.iteration], [0.05, 1, 220]);
  });

  test('a diverging run stops with a clear error and saves the last good state to --out', async () => {
    // No flag within its range makes training blow up, so start from weights at the edge of float32:
    // the logits overflow to ±Infinity and the softmax turns them into NaN on the first step.
    const edge = await loadCheckpoint(model);
    tensorViews(paramLayout(edge.model), edge.params).get('Why')!.fill(3e38);
    const start = join(dir, 'edge.ckpt');
    await writeFile(start, serializeCheckpoint(edge));
    const out = join(dir, 'diverged.ckpt');
    const run = await runCli(['train', corpus, '--resume', start, '--iterations', String(edge.iteration + 50), '--out', out]);
    assert.equal(run.code, 1);
    assert.ok(!run.stderr.includes('    at '));
    assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^char-rnn: Training diverged at iteration \d+: .*diverged\.ckpt" holds the state before that step/);
    const state = await loadCheckpoint(out); // finite: the checkpoint loads
    assert.equal(state.iteration, edge.iteration, 'the step that diverged was not applied');
  });

  test('resume on a different text warns on stderr and records the new corpus', async () => {
    const out = join(dir, 'moved.ckpt');
    const run = ok(await runCli(['train', otherCorpus, '--resume', model, '--iterations', '210', '--out', out, '--print-every', '0']), 'resume elsewhere');
    assert.match(run.stderr, /^char-rnn: warning: .*other\.txt.* not the text this checkpoint was trained on/m);
    const before = await loadCheckpoint(model), after = await loadCheckpoint(out);
    assert.equal(after.iteration, 210);
    assert.notEqual(after.corpusFingerprint, before.corpusFingerprint);
  });
});

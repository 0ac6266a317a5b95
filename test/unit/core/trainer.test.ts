// The trainer: streams over the corpus, epochs, the validation split, evaluation, and learning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTrainingState, evaluateLoss, Trainer } from '../../../core/trainer.js';
import { prepareCorpus, textFingerprint } from '../../../core/corpus.js';
import { Network } from '../../../core/network.js';
import { paramLayout, tensorViews } from '../../../core/layout.js';
import { SEED_TRAINING, type OptimizerName } from '../../../core/config.js';
import { CharRnnError } from '../../../core/errors.js';

const TEXT = 'abcdefghij'.repeat(30); // 300 chars

function setup(o: Partial<typeof SEED_TRAINING> = {}, hiddenSize = 8) {
  const training = { ...SEED_TRAINING, seqLength: 5, valFraction: 0, ...o };
  const corpus = prepareCorpus(TEXT, training);
  const state = createTrainingState({ cell: 'rnn', vocabSize: corpus.vocab.size, hiddenSize, layers: 1 }, training, corpus.vocab);
  return { state, corpus, trainer: new Trainer(state, corpus) };
}

test('the validation split is the last valFraction of the text', () => {
  const c = prepareCorpus(TEXT, { seqLength: 5, batchSize: 1, valFraction: 0.1 });
  assert.equal(c.train.length, 270);
  assert.equal(c.val.length, 30);
  assert.equal(c.vocab.decode(c.val), TEXT.slice(270));
  assert.equal(c.fingerprint, textFingerprint(c.vocab.encode(TEXT)));
  assert.equal(prepareCorpus(TEXT, { seqLength: 5, batchSize: 1, valFraction: 0 }).val.length, 0);
});

test('a corpus too short for seqLength and batch is refused with the numbers', () => {
  assert.throws(() => prepareCorpus('abcdef', { seqLength: 25, batchSize: 1, valFraction: 0 }),
    (e: unknown) => e instanceof CharRnnError && e.code === 'corpus-too-short' && /has 6 characters.*needs at least 27/.test(e.message));
  assert.throws(() => prepareCorpus(TEXT, { seqLength: 25, batchSize: 20, valFraction: 0.1 }),
    (e: unknown) => e instanceof CharRnnError && /batch 20 needs at least 540 \(after holding out 30/.test(e.message));
});

test('B streams walk their own segments, wrap at their segment end, and count epochs', () => {
  const { state, trainer } = setup({ batchSize: 3 });  // segments of 100 chars, windows of 5
  for (let i = 0; i < 19; i++) trainer.step();
  assert.deepEqual(Array.from(state.positions), [95, 95, 95]);
  assert.equal(state.epoch, 0);
  trainer.step(); // 95 + 5 + 1 >= 100: every stream wraps to 0 and resets its state
  assert.deepEqual(Array.from(state.positions), [5, 5, 5]);
  assert.equal(state.epoch, 1);
  assert.equal(state.iteration, 20);
  assert.equal(state.charsSeen, 20 * 5 * 3);
});

test('training on a periodic text drives the loss down with every optimizer', () => {
  const lr: Record<OptimizerName, number> = { adagrad: 0.1, adam: 0.01, rmsprop: 0.01 };
  for (const optimizer of ['adagrad', 'adam', 'rmsprop'] as const) {
    const { state, trainer } = setup({ optimizer, learningRate: lr[optimizer], batchSize: 2 }, 16);
    let first = 0, last = 0;
    for (let i = 0; i < 300; i++) {
      const r = trainer.step();
      if (i === 0) first = r.loss;
      last = r.loss;
      assert.ok(Number.isFinite(r.gradNorm));
    }
    assert.ok(last < first * 0.2, `${optimizer}: loss ${first} → ${last}`);
    assert.equal(state.optimizerSteps, 300);
  }
});

test('evaluateLoss is the mean next-character loss from a zero state, whatever the chunking', () => {
  const { state, corpus, trainer } = setup();
  for (let i = 0; i < 30; i++) trainer.step();
  const text = corpus.train.subarray(0, 77);
  const whole = new Network(state.model, state.params, null, { maxSteps: 76, batchSize: 1 });
  const want = whole.forward(text.subarray(0, 76), text.subarray(1, 77), new Float32Array(whole.stateLength), 76) / 76;
  for (const chunk of [1, 7, 76, 500]) {
    assert.ok(Math.abs(evaluateLoss(state.model, state.params, text, undefined, chunk) - want) < 1e-5, `chunk ${chunk}`);
  }
  assert.throws(() => evaluateLoss(state.model, state.params, text.subarray(0, 1)), /at least 2 characters/);
});

test('the same seed gives the same initial weights; biases start at zero', () => {
  const a = setup().state, b = setup().state, c = setup({ seed: 2 }).state;
  assert.deepEqual(a.params, b.params);
  assert.notDeepEqual(a.params, c.params);
  const by = a.params.subarray(a.params.length - a.vocab.size);
  assert.ok(by.every((x) => x === 0));
  assert.equal(a.smoothLoss, Math.log(a.vocab.size));
});

test('a non-finite loss stops the step with a specific error and leaves the weights untouched', () => {
  const { state, trainer } = setup();
  trainer.step();
  tensorViews(paramLayout(state.model), state.params).get('Whh')![0] = NaN; // used at every step
  const params = Float32Array.from(state.params), opt = Float32Array.from(state.optimizerState);
  const hidden = Float32Array.from(state.hidden), positions = Int32Array.from(state.positions);
  assert.throws(() => trainer.step(), (e: unknown) => e instanceof CharRnnError && e.code === 'diverged' && /iteration 2.*Lower the learning rate/.test(e.message));
  assert.deepEqual(state.params, params);
  assert.deepEqual(state.optimizerState, opt);
  assert.deepEqual(state.hidden, hidden);
  assert.deepEqual(state.positions, positions);
  assert.equal(state.iteration, 1);
});

// Surprisal and activations on a model whose probabilities are known (hand-set weights), and
// surprisal's mean against evaluateLoss on a trained model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { surprisal, topK } from '../../../../core/inspect/surprisal.js';
import { activations, unitTrace } from '../../../../core/inspect/activations.js';
import { paramLayout, tensorViews } from '../../../../core/layout.js';
import { createTrainingState, evaluateLoss, Trainer } from '../../../../core/trainer.js';
import { prepareCorpus } from '../../../../core/corpus.js';
import { Vocabulary } from '../../../../core/vocab.js';
import { SEED_TRAINING, type ModelConfig } from '../../../../core/config.js';
import { expectClose } from '../../../helpers/close.js';

// An rnn with H = V, Wxh = a·I, Whh = 0, bh = 0: after reading x, h = tanh(a)·onehot(x), so the
// next character's distribution is softmax(tanh(a)·Why[:, x] + by), which the test computes itself.
const vocab = new Vocabulary(['a', 'b', 'c', 'd']);
const V = 4, A = 3;
const WHY = [[2, 0, -1, 1], [0, 3, 1, -2], [1, 1, 2, 0], [-1, 2, 0, 1]]; // [V, H]
const BY = [0.5, -0.5, 0, 0.25];

function handSet(precision: 'f32' | 'f64'): { model: ModelConfig; params: Float32Array | Float64Array } {
  const model: ModelConfig = { cell: 'rnn', vocabSize: V, hiddenSize: V, layers: 1 };
  const layout = paramLayout(model);
  const params = precision === 'f64' ? new Float64Array(layout.size) : new Float32Array(layout.size);
  const views = tensorViews(layout, params);
  const Wxh = views.get('Wxh')!, Why = views.get('Why')!, by = views.get('by')!;
  for (let j = 0; j < V; j++) Wxh[j * V + j] = A;
  for (let v = 0; v < V; v++) for (let j = 0; j < V; j++) Why[v * V + j] = WHY[v][j];
  by.set(BY);
  return { model, params };
}

function knownProbs(x: number): number[] {
  const logits = BY.map((b, v) => b + Math.tanh(A) * WHY[v][x]);
  const max = Math.max(...logits), e = logits.map((y) => Math.exp(y - max)), s = e.reduce((p, q) => p + q, 0);
  return e.map((y) => y / s);
}

test('surprisal of each character is −log p under hand-set weights, with the top predictions in order', () => {
  const { model, params } = handSet('f64');
  const text = vocab.encode('abcddcbaacbd');
  const got = surprisal(model, params, text, 3, undefined, 5); // chunks of 5: state carries across chunks
  assert.ok(Number.isNaN(got.nats[0]), 'the first character has no prediction');
  assert.deepEqual(Array.from(got.topIndex.subarray(0, 3)), [-1, -1, -1]);
  let sum = 0;
  for (let t = 1; t < text.length; t++) {
    const p = knownProbs(text[t - 1]);
    const want = -Math.log(p[text[t]]);
    assert.ok(Math.abs(got.nats[t] - want) < 1e-6, `position ${t}: ${got.nats[t]} vs ${want}`);
    sum += want;
    const order = [0, 1, 2, 3].sort((i, j) => p[j] - p[i]).slice(0, 3);
    assert.deepEqual(Array.from(got.topIndex.subarray(t * 3, t * 3 + 3)), order, `top-3 at ${t}`);
    expectClose(`top-3 p at ${t}`, got.topProb.subarray(t * 3, t * 3 + 3), order.map((i) => p[i]), 1e-6);
  }
  assert.ok(Math.abs(got.meanNats - sum / (text.length - 1)) < 1e-12);
});

test('activations are the state after each character: h = tanh(a)·onehot(x) for the hand-set rnn', () => {
  const { model, params } = handSet('f32');
  const text = vocab.encode('abdc');
  const acts = activations(model, params, text);
  assert.equal(acts.values.length, 4 * 4);
  for (let t = 0; t < 4; t++) {
    for (let j = 0; j < 4; j++) {
      const want = j === text[t] ? Math.tanh(A) : 0;
      assert.ok(Math.abs(acts.values[t * 4 + j] - want) < 1e-6, `t ${t} unit ${j}`);
    }
  }
  expectClose('unit 3', unitTrace(acts, 0, 3), [0, 0, Math.tanh(A), 0], 1e-6, 1e-7);
  assert.throws(() => unitTrace(acts, 1, 0), /no unit 1:0/);
  assert.throws(() => activations(model, params, text, 'c'), /Only an lstm has a cell state c/);
});

const TEXT = 'the quick brown fox jumps over the lazy dog. "quoted" (bracketed) words.\n'.repeat(12);

for (const cell of ['rnn', 'lstm', 'gru'] as const) {
  test(`${cell}: mean surprisal equals evaluateLoss exactly; lstm's c differs from h`, () => {
    const training = { ...SEED_TRAINING, seqLength: 12, valFraction: 0, optimizer: 'adam' as const, learningRate: 0.01 };
    const corpus = prepareCorpus(TEXT, training);
    const state = createTrainingState({ cell, vocabSize: corpus.vocab.size, hiddenSize: 12, layers: 2 }, training, corpus.vocab);
    const trainer = new Trainer(state, corpus);
    for (let i = 0; i < 30; i++) trainer.step();
    const text = corpus.vocab.encode(TEXT.slice(0, 700));
    const s = surprisal(state.model, state.params, text);
    assert.equal(s.meanNats, evaluateLoss(state.model, state.params, text));
    let sum = 0;
    for (let t = 1; t < text.length; t++) sum += s.nats[t];
    assert.ok(Math.abs(sum / (text.length - 1) - s.meanNats) < 1e-4, 'the per-character values add up to the mean');
    const h = activations(state.model, state.params, text.subarray(0, 50));
    assert.equal(h.values.length, 2 * 50 * 12);
    if (cell === 'lstm') {
      const c = activations(state.model, state.params, text.subarray(0, 50), 'c');
      assert.notDeepEqual(Array.from(c.values), Array.from(h.values));
      for (let i = 0; i < h.values.length; i++) assert.ok(Math.abs(h.values[i]) <= 1, 'h = o·tanh(c) is within ±1');
    }
  });
}

test('topK keeps the k largest in order and pads short rows', () => {
  const idx = new Int32Array(3), val = new Float32Array(3);
  topK([0.1, 0.5, 0.2, 0.9, 0.3], 3, idx, val, 0);
  assert.deepEqual(Array.from(idx), [3, 1, 4]);
  topK([0.7, 0.3], 3, idx, val, 0);
  assert.deepEqual(Array.from(idx), [0, 1, -1]);
  assert.equal(val[2], 0);
});

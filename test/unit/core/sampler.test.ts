// Sampling: the seed's sample_mult, temperature and top-k, argmax, prime handling, determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logitsToProbs, pickIndex, sampleText, streamState, validateSampleOptions } from '../../../core/sampler.js';
import { createTrainingState, Trainer } from '../../../core/trainer.js';
import { prepareCorpus } from '../../../core/corpus.js';
import { Vocabulary } from '../../../core/vocab.js';
import { SEED_TRAINING } from '../../../core/config.js';
import { CharRnnError } from '../../../core/errors.js';

const TEXT = 'the quick brown fox jumps over the lazy dog. '.repeat(20);

function trainedState(iterations = 60) {
  const training = { ...SEED_TRAINING, seqLength: 10, valFraction: 0 };
  const corpus = prepareCorpus(TEXT, training);
  const state = createTrainingState({ cell: 'rnn', vocabSize: corpus.vocab.size, hiddenSize: 16, layers: 1 }, training, corpus.vocab);
  const trainer = new Trainer(state, corpus);
  for (let i = 0; i < iterations; i++) trainer.step();
  return state;
}

test('pickIndex returns the first index whose cumulative probability exceeds the coin', () => {
  const p = [0.1, 0.2, 0.7];
  assert.equal(pickIndex(p, 0), 0);
  assert.equal(pickIndex(p, 0.0999), 0);
  assert.equal(pickIndex(p, 0.1), 1);
  assert.equal(pickIndex(p, 0.29), 1);
  assert.equal(pickIndex(p, 0.31), 2);
  assert.equal(pickIndex([0.5, 0.5, 0], 0.9999999999), 1, 'rounding never picks a zero-probability tail');
});

test('temperature sharpens or flattens; top-k keeps exactly k', () => {
  const probsAt = (t: number, k = 0) => { const l = Float64Array.from([1, 2, 3, 0]); logitsToProbs(l, t, k); return l; };
  const p1 = probsAt(1), cold = probsAt(0.1), hot = probsAt(10);
  assert.ok(Math.abs(p1.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(cold[2] > p1[2] && p1[2] > hot[2]);
  const k2 = probsAt(1, 2);
  assert.deepEqual(Array.from(k2, (x) => x > 0), [false, true, true, false]);
  assert.ok(Math.abs(k2[1] + k2[2] - 1) < 1e-12);
  const ties = Float64Array.from([1, 1, 1, 1]); logitsToProbs(ties, 1, 2);
  assert.equal(Array.from(ties).filter((x) => x > 0).length, 2);
});

test('the same model, prime, seed and settings give the same text; another seed another text', () => {
  const s = trainedState();
  const opts = { length: 120, prime: 'the ', temperature: 0.9, seed: 42 };
  const a = sampleText(s.model, s.params, s.vocab, opts);
  const b = sampleText(s.model, s.params, s.vocab, opts);
  const c = sampleText(s.model, s.params, s.vocab, { ...opts, seed: 43 });
  assert.equal(a.length, 120);
  assert.equal(a, b);
  assert.notEqual(a, c);
  for (const ch of a) assert.ok(s.vocab.index(ch) >= 0);
});

test('argmax ignores the seed; a start state changes the text', () => {
  const s = trainedState();
  const a = sampleText(s.model, s.params, s.vocab, { length: 50, argmax: true, seed: 1 });
  const b = sampleText(s.model, s.params, s.vocab, { length: 50, argmax: true, seed: 2 });
  assert.equal(a, b);
  const start = streamState(s.hidden, s.model.layers, s.training.batchSize, s.hidden.length / s.training.batchSize / s.model.layers);
  assert.ok(start.some((x) => x !== 0));
  const fromState = sampleText(s.model, s.params, s.vocab, { length: 50, seed: 5 }, start);
  const fromZero = sampleText(s.model, s.params, s.vocab, { length: 50, seed: 5 });
  assert.notEqual(fromState, fromZero);
});

test('a trained model samples text that looks like its corpus', () => {
  const s = trainedState(400);
  const text = sampleText(s.model, s.params, s.vocab, { length: 400, prime: 'the ', temperature: 0.5, seed: 3 });
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const known = new Set(TEXT.split(/\s+/));
  const real = words.filter((w) => known.has(w)).length;
  assert.ok(real / words.length > 0.5, `only ${real} of ${words.length} sampled words are corpus words: ${text}`);
});

test('bad sample options and unknown prime characters are refused with specific messages', () => {
  const vocab = Vocabulary.fromText('abc ');
  const ok = { length: 10, seed: 1 };
  const refuses = (o: object, re: RegExp, code = 'bad-hyperparameter') =>
    assert.throws(() => validateSampleOptions({ ...ok, ...o }, vocab), (e: unknown) => e instanceof CharRnnError && e.code === code && re.test(e.message));
  refuses({ temperature: 0 }, /temperature/);
  refuses({ temperature: NaN }, /temperature.*NaN/);
  refuses({ length: -1 }, /length/);
  refuses({ length: 2.5 }, /length/);
  refuses({ topK: -2 }, /top-k/);
  refuses({ seed: 1.5 }, /seed/);
  refuses({ prime: 'abxz' }, /"x" \(U\+0078\), "z" \(U\+007A\)/, 'bad-prime');
});

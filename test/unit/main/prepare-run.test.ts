// prepareRun: the one way the CLI and the app's worker build a new run or continue a saved model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANGEABLE_ON_RESUME, SEED_MODEL, SEED_TRAINING } from '../../../core/config.js';
import { CharRnnError } from '../../../core/errors.js';
import { Trainer } from '../../../core/trainer.js';
import { prepareRun } from '../../../main/training/prepare-run.js';

const TEXT = 'the quick brown fox jumps over the lazy dog. '.repeat(20);
const training = { ...SEED_TRAINING, seqLength: 8, seed: 3 };

function trained(steps: number) {
  const run = prepareRun(TEXT, '/texts/fox.txt', { kind: 'new', model: { ...SEED_MODEL, hiddenSize: 6 }, training });
  const trainer = new Trainer(run.state, run.corpus);
  for (let i = 0; i < steps; i++) trainer.step();
  return run;
}

test('a new run: a fresh model on the text, which it remembers', () => {
  const { state, corpus, otherText } = trained(0);
  assert.equal(state.iteration, 0);
  assert.equal(state.model.vocabSize, corpus.vocab.size);
  assert.equal(state.corpusFingerprint, corpus.fingerprint);
  assert.equal(otherText, false);
});

test('a continued run takes only the changeable settings; the rest stay the model\'s', () => {
  const { state } = trained(5);
  // what the app sends: all of its form's settings, some of which cannot apply to a saved model
  const form = { ...training, seqLength: 12, learningRate: 0.05, clipValue: 1, clipNorm: 2, valFraction: 0.2, batchSize: 4, optimizer: 'adam', seed: 99 } as const;
  const run = prepareRun(TEXT, '/texts/fox.txt', { kind: 'continue', state, changes: form });
  assert.equal(run.state, state, 'the same model, continued');
  assert.equal(run.state.iteration, 5);
  for (const key of CHANGEABLE_ON_RESUME) assert.equal(run.state.training[key], form[key], key);
  assert.equal(run.state.training.batchSize, training.batchSize);
  assert.equal(run.state.training.optimizer, training.optimizer);
  assert.equal(run.state.training.seed, training.seed);
  assert.equal(run.otherText, false);
  assert.equal(run.corpus.val.length, Math.floor(TEXT.length * 0.2), 'the new validation fraction is used');
});

test('continuing on another text says so; on text with unknown characters it refuses and changes nothing', () => {
  const { state } = trained(2);
  const other = prepareRun(TEXT.toUpperCase().toLowerCase().split('').reverse().join(''), '/texts/xof.txt', { kind: 'continue', state, changes: {} });
  assert.equal(other.otherText, true);
  const before = { ...state.training };
  assert.throws(() => prepareRun(TEXT + 'Zürich', '/texts/zurich.txt', { kind: 'continue', state, changes: { learningRate: 0.5 } }),
    (e: unknown) => e instanceof CharRnnError && e.code === 'corpus-vocabulary' && /"\/texts\/zurich\.txt".*"Z" \(U\+005A\)/.test(e.message));
  assert.deepEqual(state.training, before, 'a refused continuation leaves the model as it was');
  assert.throws(() => prepareRun(TEXT, '/texts/fox.txt', { kind: 'continue', state, changes: { learningRate: 0 } }),
    (e: unknown) => e instanceof CharRnnError && e.code === 'bad-hyperparameter');
});

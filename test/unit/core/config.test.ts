// Hyperparameter validation: every out-of-range or non-numeric value gets a specific message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_TRAINING, validateModelConfig, validateTrainConfig, type ModelConfig, type TrainConfig } from '../../../core/config.js';
import { CharRnnError } from '../../../core/errors.js';

const model: ModelConfig = { cell: 'rnn', vocabSize: 10, hiddenSize: 100, layers: 1 };

function refused(fn: () => unknown, re: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof CharRnnError && e.code === 'bad-hyperparameter' && re.test(e.message),
    `expected a bad-hyperparameter error matching ${re}`);
}

test('the seed configuration is valid and frozen', () => {
  assert.deepEqual(validateTrainConfig(SEED_TRAINING), SEED_TRAINING);
  assert.ok(Object.isFrozen(validateModelConfig(model)));
});

test('model values out of range are refused by name', () => {
  refused(() => validateModelConfig({ ...model, hiddenSize: 0 }), /^hiddenSize must be a whole number from 1 to 4096; got 0\.$/);
  refused(() => validateModelConfig({ ...model, hiddenSize: 10.5 }), /hiddenSize.*10\.5/);
  refused(() => validateModelConfig({ ...model, layers: NaN }), /layers.*NaN/);
  refused(() => validateModelConfig({ ...model, cell: 'transformer' as never }), /model must be one of rnn, lstm, gru; got "transformer"/);
});

test('training values out of range are refused by name', () => {
  const bad = (o: Partial<TrainConfig>) => () => validateTrainConfig({ ...SEED_TRAINING, ...o });
  refused(bad({ learningRate: NaN }), /learningRate.*NaN/);
  refused(bad({ learningRate: 0 }), /learningRate must be a number above 0/);
  refused(bad({ learningRate: Infinity }), /learningRate/);
  refused(bad({ seqLength: 0 }), /seqLength/);
  refused(bad({ batchSize: 1e9 }), /batchSize/);
  refused(bad({ clipValue: -1 }), /clipValue/);
  refused(bad({ valFraction: 0.9 }), /valFraction.*0\.9/);
  refused(bad({ seed: -1 }), /seed/);
  refused(bad({ optimizer: 'sgd' as never }), /optimizer must be one of adagrad, adam, rmsprop/);
});

// The weights' moving average: its warm-up recursion, training that keeps it beside the raw weights,
// and the places that must use it (export, the best model), with the settings in the safetensors metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_TRAINING } from '../../../core/config.js';
import { prepareCorpus } from '../../../core/corpus.js';
import { emaDecayAt, modelParams, updateEma } from '../../../core/ema.js';
import { exportSafetensors, importSafetensors, decodeSafetensors } from '../../../core/safetensors.js';
import { createTrainingState, evaluateLoss, Trainer } from '../../../core/trainer.js';
import { bestModelState, BestKeeper } from '../../../main/training/best-model.js';
import { expectClose } from '../../helpers/close.js';

const TEXT = 'The quick brown fox jumps over the lazy dog; the dog sleeps on and the fox runs off into the wood. ';

function run(ema: number, precision: 'f32' | 'f64' = 'f64') {
  const training = { ...SEED_TRAINING, seqLength: 7, batchSize: 2, optimizer: 'adam' as const, learningRate: 0.02, seed: 5, ema, dropout: 0.1 };
  const corpus = prepareCorpus(TEXT, training);
  const state = createTrainingState({ cell: 'lstm', vocabSize: corpus.vocab.size, hiddenSize: 8, layers: 1 }, training, corpus.vocab, precision);
  return { state, corpus, trainer: new Trainer(state, corpus) };
}

test('the decay warms up as (1 + n)/(10 + n) and is capped by the configured one', () => {
  assert.equal(emaDecayAt(0.999, 1), 2 / 11);
  assert.equal(emaDecayAt(0.999, 90), 91 / 100);
  assert.equal(emaDecayAt(0.999, 1e6), 0.999);
  assert.equal(emaDecayAt(0.5, 20), 0.5);
  const avg = Float64Array.from([1, -2]);
  updateEma(avg, Float64Array.from([3, 2]), 0.999, 1); // d = 2/11
  expectClose('one update', avg, [1 + (9 / 11) * 2, -2 + (9 / 11) * 4], 1e-15);
});

test('training keeps the average of the weights after each step; the weights themselves train on', () => {
  const { state, trainer } = run(0.95);
  assert.deepEqual(state.emaParams, state.params, 'the average starts at the initial weights');
  const want = Float64Array.from(state.params);
  for (let n = 1; n <= 30; n++) {
    trainer.step();
    const d = Math.min(0.95, (1 + n) / (10 + n));
    for (let i = 0; i < want.length; i++) want[i] = d * want[i] + (1 - d) * state.params[i];
  }
  expectClose('emaParams', state.emaParams!, want, 1e-12, 1e-14);
  assert.ok(state.emaParams!.some((x, i) => Math.abs(x - state.params[i]) > 1e-4), 'the average lags the weights');
  assert.equal(modelParams(state), state.emaParams);
  const off = run(0);
  assert.equal(off.state.emaParams, null);
  assert.equal(modelParams(off.state), off.state.params);
});

test('switched on in a continued run the average starts from the weights; switched off it is dropped', () => {
  const { state, trainer } = run(0);
  for (let i = 0; i < 3; i++) trainer.step();
  state.training = { ...state.training, ema: 0.99 };
  trainer.step();
  assert.deepEqual(state.emaParams, state.params);
  trainer.step();
  assert.notDeepEqual(state.emaParams, state.params);
  state.training = { ...state.training, ema: 0 };
  trainer.step();
  assert.equal(state.emaParams, null);
});

test('export writes the average, with dropout and ema in the config metadata; import reads them back', () => {
  const { state, trainer } = run(0.9, 'f32');
  for (let i = 0; i < 10; i++) trainer.step();
  const bytes = exportSafetensors(state);
  const { tensors, metadata } = decodeSafetensors(bytes);
  const Why = tensors.get('Why')!.data, at = state.params.length - state.vocab.size - Why.length;
  assert.deepEqual(Float32Array.from(Why), state.emaParams!.slice(at, at + Why.length));
  assert.notDeepEqual(Float32Array.from(Why), state.params.slice(at, at + Why.length));
  const config = JSON.parse(metadata.config);
  assert.equal(config.training.dropout, 0.1);
  assert.equal(config.training.ema, 0.9);
  const back = importSafetensors(bytes);
  assert.equal(back.training.dropout, 0.1);
  assert.equal(back.training.ema, 0.9);
  assert.deepEqual(back.params, state.emaParams);
  assert.deepEqual(back.emaParams, state.emaParams, 'the imported run\'s average starts at the imported weights');
  assert.equal(importSafetensors(bytes, { dropout: 0, ema: 0 }).emaParams, null);
});

test('the best model is the validated one: the average, saved as both the weights and the average', () => {
  const { state, corpus, trainer } = run(0.9);
  for (let i = 0; i < 8; i++) trainer.step();
  const keeper = new BestKeeper();
  const valLoss = evaluateLoss(state.model, modelParams(state), corpus.val);
  assert.ok(keeper.offer(state, valLoss));
  assert.deepEqual(keeper.best!.params, state.emaParams);
  const best = bestModelState(state, keeper.best!);
  assert.deepEqual(best.params, state.emaParams);
  assert.deepEqual(best.emaParams, state.emaParams);
  assert.equal(evaluateLoss(best.model, modelParams(best), corpus.val), valLoss);
});

// Forty steps of the seed's training loop (Adagrad, clipping, carried state, wrap-around at the end
// of the data) against the numpy reference: losses, smoothed loss, final weights and hidden state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTrainingState, Trainer } from '../../../core/trainer.js';
import { prepareCorpus } from '../../../core/corpus.js';
import { Vocabulary } from '../../../core/vocab.js';
import { paramLayout, tensorViews } from '../../../core/layout.js';
import { SEED_TRAINING } from '../../../core/config.js';
import { loopKernels } from '../../../core/kernels/loops.js';
import { wasmKernels } from '../../../core/kernels/wasm.js';
import { expectClose, flat } from '../../helpers/close.js';
import { SEED_NAMES } from '../../helpers/golden.js';

interface Trajectory {
  text: string; vocab: string[]; hidden: number; seq_length: number; learning_rate: number;
  weights: Record<string, number[][]>; final_weights: Record<string, number[][]>;
  losses: number[]; smooth_losses: number[]; final_h: number[];
}

const golden: Trajectory = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/golden/trajectory-h8.json', import.meta.url)), 'utf8'));

test('40 training steps follow the numpy seed: losses, smoothed loss, weights and state (float64)', () => {
  const vocab = Vocabulary.fromText(golden.text);
  assert.deepEqual(vocab.chars, golden.vocab);
  const training = { ...SEED_TRAINING, seqLength: golden.seq_length, learningRate: golden.learning_rate, valFraction: 0 };
  const model = { cell: 'rnn' as const, vocabSize: vocab.size, hiddenSize: golden.hidden, layers: 1 };
  const state = createTrainingState(model, training, vocab, 'f64');
  const views = tensorViews(paramLayout(model), state.params);
  for (const name of SEED_NAMES) views.get(name)!.set(flat(golden.weights[name]));
  const trainer = new Trainer(state, prepareCorpus(golden.text, training, vocab));
  const T = golden.seq_length;
  const losses: number[] = [], smooth: number[] = [];
  for (let i = 0; i < golden.losses.length; i++) {
    const r = trainer.step();
    losses.push(r.loss * T);
    smooth.push(r.smoothLoss * T);
  }
  expectClose('losses', losses, golden.losses, 1e-9);
  expectClose('smoothed losses', smooth, golden.smooth_losses, 1e-9);
  for (const name of SEED_NAMES) expectClose(`final ${name}`, views.get(name)!, flat(golden.final_weights[name]), 1e-8, 1e-12);
  expectClose('final hidden state', state.hidden, golden.final_h, 1e-8, 1e-12);
  assert.equal(state.iteration, 40);
  assert.equal(state.epoch, 2, 'the data wrapped around once after the first pass');
  assert.equal(state.charsSeen, 40 * T);
});

for (const kernels of [loopKernels, wasmKernels]) {
  test(`40 training steps in float32 stay close to the numpy seed (${kernels.name} kernels)`, () => {
    const vocab = Vocabulary.fromText(golden.text);
    const training = { ...SEED_TRAINING, seqLength: golden.seq_length, learningRate: golden.learning_rate, valFraction: 0 };
    const model = { cell: 'rnn' as const, vocabSize: vocab.size, hiddenSize: golden.hidden, layers: 1 };
    const state = createTrainingState(model, training, vocab, 'f32');
    const views = tensorViews(paramLayout(model), state.params);
    for (const name of SEED_NAMES) views.get(name)!.set(flat(golden.weights[name]));
    const trainer = new Trainer(state, prepareCorpus(golden.text, training, vocab), kernels);
    assert.equal(trainer.net.kernelsName, kernels.name);
    const losses = Array.from({ length: golden.losses.length }, () => trainer.step().loss * golden.seq_length);
    expectClose('losses', losses, golden.losses, 1e-4);
    const final = tensorViews(paramLayout(model), state.params); // state.params may now live in the network's memory
    for (const name of SEED_NAMES) expectClose(`final ${name}`, final.get(name)!, flat(golden.final_weights[name]), 1e-3, 1e-4);
    expectClose('final hidden state', state.hidden, golden.final_h, 1e-3, 1e-4);
  });
}

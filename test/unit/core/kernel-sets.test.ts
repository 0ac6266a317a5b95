// Each WebAssembly kernel set on its own is deterministic: the same run twice is bit-identical, and so is a
// run saved and resumed on the set its checkpoint records. The two sets (plain and relaxed SIMD) differ in
// the last bits only, and the checkpoint says which trained it (older checkpoints, without the record, load).
import '../../../main/training/relaxed-simd.js'; // first: Node 20 compiles relaxed SIMD only behind its flag
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserializeCheckpoint, serializeCheckpoint, summarizeCheckpoint } from '../../../core/checkpoint.js';
import { SEED_TRAINING } from '../../../core/config.js';
import { prepareCorpus } from '../../../core/corpus.js';
import { kernelSetNamed, wasmRelaxedKernels, wasmSimdKernels } from '../../../core/kernels/wasm.js';
import type { Kernels } from '../../../core/kernels/kernels.js';
import { createTrainingState, Trainer, type TrainingState } from '../../../core/trainer.js';
import { expectClose } from '../../helpers/close.js';

const TEXT = 'It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness. '.repeat(6);
const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();

function fresh() {
  const training = { ...SEED_TRAINING, seqLength: 9, batchSize: 3, optimizer: 'adam' as const, learningRate: 0.01, valFraction: 0 };
  const corpus = prepareCorpus(TEXT, training);
  const model = { cell: 'lstm' as const, vocabSize: corpus.vocab.size, hiddenSize: 20, layers: 2 };
  return { state: createTrainingState(model, training, corpus.vocab), corpus };
}

function train(kernels: Kernels, steps: number, from?: TrainingState): TrainingState {
  const run = fresh();
  const state = from ?? run.state;
  const trainer = new Trainer(state, run.corpus, kernels);
  for (let i = 0; i < steps; i++) trainer.step();
  return state;
}

for (const set of [wasmSimdKernels, wasmRelaxedKernels]) {
  test(`${set.name}: the same run twice is bit-identical, and so is one saved and resumed on the set it records`, () => {
    const a = train(set, 30), b = train(set, 30);
    assert.equal(a.kernels, set.name);
    assert.deepEqual(bytesOf(a.params), bytesOf(b.params));
    assert.deepEqual(bytesOf(a.optimizerState), bytesOf(b.optimizerState));

    const half = train(set, 12);
    const resumed = deserializeCheckpoint(serializeCheckpoint(half));
    assert.equal(resumed.kernels, set.name, 'the checkpoint records the set that trained it');
    assert.equal(summarizeCheckpoint(resumed).kernels, set.name);
    const again = kernelSetNamed(resumed.kernels!);
    assert.equal(again, set, 'the recorded name finds the same set');
    train(again!, 18, resumed);
    assert.deepEqual(bytesOf(resumed.params), bytesOf(a.params), 'save + resume continues bit for bit');
    assert.deepEqual(bytesOf(resumed.hidden), bytesOf(a.hidden));
  });
}

test('the two sets agree within float32 tolerance (they differ in how the product is rounded)', () => {
  const plain = train(wasmSimdKernels, 20), relaxed = train(wasmRelaxedKernels, 20);
  expectClose('params after 20 steps', relaxed.params, plain.params, 1e-3, 1e-4);
});

test('a checkpoint without the record (older, or never trained) loads with kernels null', () => {
  const { state } = fresh();
  assert.equal(state.kernels, null);
  const bytes = serializeCheckpoint(state);
  assert.ok(!new TextDecoder().decode(bytes).includes('"kernels"'), 'nothing is written for an untrained state');
  assert.equal(deserializeCheckpoint(bytes).kernels, null);
});

test('a recorded name this runtime does not have finds no set', () => {
  assert.equal(kernelSetNamed('wasm-avx512'), null);
  assert.equal(kernelSetNamed('loops')?.name, 'loops');
});

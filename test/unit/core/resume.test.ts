// Resuming is exact: N steps, save, load, M steps ends bit for bit where N + M straight steps end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserializeCheckpoint, serializeCheckpoint } from '../../../core/checkpoint.js';
import { CELL_TYPES, OPTIMIZERS, SEED_TRAINING, type CellType, type OptimizerName } from '../../../core/config.js';
import { prepareCorpus } from '../../../core/corpus.js';
import type { Precision } from '../../../core/tensor.js';
import { createTrainingState, Trainer, type TrainingState } from '../../../core/trainer.js';

// Short enough that every stream wraps to the start of its segment (and the epoch advances) within the run.
const TEXT = 'Sing, goddess, the anger of Peleus’ son Achilleus and its devastation, which put pains thousandfold upon the Achaians. ';
const BEFORE = 11, AFTER = 13;

function freshRun(cell: CellType, optimizer: OptimizerName, batchSize: number, precision: Precision) {
  const training = { ...SEED_TRAINING, seqLength: 6, batchSize, optimizer, learningRate: optimizer === 'adagrad' ? 0.1 : 0.01, seed: 7 };
  const corpus = prepareCorpus(TEXT, training);
  const model = { cell, vocabSize: corpus.vocab.size, hiddenSize: 9, layers: 2 };
  return { state: createTrainingState(model, training, corpus.vocab, precision), corpus };
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function assertBitIdentical(got: TrainingState, want: TrainingState): void {
  for (const name of ['params', 'optimizerState', 'hidden', 'positions'] as const) {
    assert.deepEqual(bytesOf(got[name]), bytesOf(want[name]), `${name} differs after resuming`);
  }
  for (const name of ['smoothLoss', 'iteration', 'epoch', 'charsSeen', 'optimizerSteps'] as const) {
    assert.ok(Object.is(got[name], want[name]), `${name}: resumed ${got[name]}, straight ${want[name]}`);
  }
}

const cases: [CellType, OptimizerName, number, Precision][] = [];
for (const cell of CELL_TYPES) for (const optimizer of OPTIMIZERS) for (const batch of [1, 3]) cases.push([cell, optimizer, batch, 'f32']);
cases.push(['rnn', 'adam', 3, 'f64']);

for (const [cell, optimizer, batch, precision] of cases) {
  const name = `resume is bit-exact: ${cell}, ${optimizer}, batch ${batch}, ${precision}`;
  test(name, () => {
    const straight = freshRun(cell, optimizer, batch, precision);
    const straightTrainer = new Trainer(straight.state, straight.corpus);
    const straightLosses: number[] = [];
    for (let i = 0; i < BEFORE + AFTER; i++) straightLosses.push(straightTrainer.step().loss);

    const first = freshRun(cell, optimizer, batch, precision);
    const firstTrainer = new Trainer(first.state, first.corpus);
    for (let i = 0; i < BEFORE; i++) firstTrainer.step();
    const resumed = deserializeCheckpoint(serializeCheckpoint(first.state));
    const resumedTrainer = new Trainer(resumed, first.corpus);
    const resumedLosses: number[] = [];
    for (let i = 0; i < AFTER; i++) resumedLosses.push(resumedTrainer.step().loss);

    assert.deepEqual(resumedLosses, straightLosses.slice(BEFORE));
    assertBitIdentical(resumed, straight.state);
    assert.ok(straight.state.epoch >= 1, 'the resumed part wraps around the segments, so resets are covered');
  });
}

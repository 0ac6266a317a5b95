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

interface Regularizers { dropout: number; ema: number }
const OFF: Regularizers = { dropout: 0, ema: 0 };

function freshRun(cell: CellType, optimizer: OptimizerName, batchSize: number, precision: Precision, reg: Regularizers = OFF) {
  const training = { ...SEED_TRAINING, seqLength: 6, batchSize, optimizer, learningRate: optimizer === 'adagrad' ? 0.1 : 0.01, seed: 7, ...reg };
  const corpus = prepareCorpus(TEXT, training);
  const model = { cell, vocabSize: corpus.vocab.size, hiddenSize: 9, layers: 2 };
  return { state: createTrainingState(model, training, corpus.vocab, precision), corpus };
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function assertBitIdentical(got: TrainingState, want: TrainingState): void {
  for (const name of ['params', 'optimizerState', 'hidden', 'positions'] as const) {
    assert.deepEqual(bytesOf(got[name]), bytesOf(want[name]), `${name} differs after resuming`);
  }
  assert.equal(got.emaParams === null, want.emaParams === null, 'both keep a weight average, or neither');
  if (got.emaParams && want.emaParams) assert.deepEqual(bytesOf(got.emaParams), bytesOf(want.emaParams), 'emaParams differs after resuming');
  for (const name of ['smoothLoss', 'iteration', 'epoch', 'charsSeen', 'optimizerSteps'] as const) {
    assert.ok(Object.is(got[name], want[name]), `${name}: resumed ${got[name]}, straight ${want[name]}`);
  }
}

const cases: [CellType, OptimizerName, number, Precision, Regularizers][] = [];
for (const cell of CELL_TYPES) for (const optimizer of OPTIMIZERS) for (const batch of [1, 3]) cases.push([cell, optimizer, batch, 'f32', OFF]);
cases.push(['rnn', 'adam', 3, 'f64', OFF]);
// dropout's masks and the weights' average survive a save: the WebAssembly path, and the loops in float64
for (const cell of CELL_TYPES) cases.push([cell, 'adam', 3, 'f32', { dropout: 0.3, ema: 0.9 }]);
cases.push(['gru', 'adagrad', 3, 'f64', { dropout: 0.5, ema: 0.99 }]);

for (const [cell, optimizer, batch, precision, reg] of cases) {
  const with_ = reg.dropout > 0 || reg.ema > 0 ? `, dropout ${reg.dropout}, ema ${reg.ema}` : '';
  const name = `resume is bit-exact: ${cell}, ${optimizer}, batch ${batch}, ${precision}${with_}`;
  test(name, () => {
    const straight = freshRun(cell, optimizer, batch, precision, reg);
    const straightTrainer = new Trainer(straight.state, straight.corpus);
    const straightLosses: number[] = [];
    for (let i = 0; i < BEFORE + AFTER; i++) straightLosses.push(straightTrainer.step().loss);

    const first = freshRun(cell, optimizer, batch, precision, reg);
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

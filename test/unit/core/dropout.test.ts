// Dropout: the float64 gradient check with a fixed mask, the masks' rate and determinism, the
// WebAssembly kernel against the TypeScript loops, evaluation without dropout, and training that is
// reproducible and draws the same masks however the batch is split over threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CELL_TYPES, SEED_TRAINING, type CellType, type ModelConfig } from '../../../core/config.js';
import { prepareCorpus } from '../../../core/corpus.js';
import { dropoutForward, dropoutLayerKey, dropoutStepKey, dropThreshold, type DropoutDraw } from '../../../core/dropout.js';
import { cellDefinition } from '../../../core/cells/index.js';
import { loopKernels } from '../../../core/kernels/loops.js';
import { Arena } from '../../../core/kernels/arena.js';
import { kernelsModule, wasmKernels } from '../../../core/kernels/wasm.js';
import { paramLayout } from '../../../core/layout.js';
import { Network } from '../../../core/network.js';
import { l2Norm } from '../../../core/optim.js';
import { Rng } from '../../../core/rng.js';
import { createTrainingState, Trainer } from '../../../core/trainer.js';
import { segmentLengthOf, TrainerShard } from '../../../core/trainer-shard.js';
import { expectClose } from '../../helpers/close.js';

const V = 5, H = 4, T = 4, B = 3, RATE = 0.4;
const EPS = 1e-3, REL_TOL = 1e-6, ABS_FLOOR = 1e-5; // as test/unit/core/gradcheck.test.ts
const DRAW: DropoutDraw = { key: 0x1234abcd, firstStream: 2 };

function problem(cell: CellType, layers: number, seed: number) {
  const model: ModelConfig = { cell, vocabSize: V, hiddenSize: H, layers };
  const rng = Rng.fromSeed(seed);
  const params = Float64Array.from({ length: paramLayout(model).size }, () => rng.nextNormal() * 0.5);
  const inputs = Int32Array.from({ length: T * B }, () => Math.floor(rng.nextFloat() * V));
  const targets = Int32Array.from({ length: T * B }, () => Math.floor(rng.nextFloat() * V));
  const state0 = Float64Array.from({ length: layers * B * cellDefinition(cell).stateMultiple * H }, () => rng.nextNormal() * 0.5);
  return { model, params, inputs, targets, state0 };
}

for (const cell of CELL_TYPES) {
  test(`gradcheck ${cell} with dropout ${RATE} (2 layers, batch ${B}, a fixed mask): every parameter within ${REL_TOL} relative`, () => {
    const pr = problem(cell, 2, 40 + CELL_TYPES.indexOf(cell));
    const grads = new Float64Array(pr.params.length);
    const net = new Network(pr.model, pr.params, grads, { maxSteps: T + 1, batchSize: B, dropout: RATE });
    const lossOf = (draw?: DropoutDraw) => net.forward(pr.inputs, pr.targets, Float64Array.from(pr.state0), T, draw);
    const plain = lossOf();
    lossOf(DRAW);
    net.backward();
    assert.ok(Math.abs(lossOf(DRAW) - plain) > 1e-3, 'the mask changes the loss: something was dropped');
    let worst = 0, where = '';
    for (const t of paramLayout(pr.model).tensors) {
      assert.ok(l2Norm(grads.subarray(t.offset, t.offset + t.size)) > 1e-3, `${t.name} has a vanishing gradient`);
      for (let i = t.offset; i < t.offset + t.size; i++) {
        const saved = pr.params[i];
        const at = (delta: number) => { pr.params[i] = saved + delta; return lossOf(DRAW); };
        const near = at(EPS) - at(-EPS), far = at(2 * EPS) - at(-2 * EPS);
        pr.params[i] = saved;
        const numeric = (8 * near - far) / (12 * EPS);
        const err = Math.abs(grads[i] - numeric) / Math.max(Math.abs(grads[i]), Math.abs(numeric), ABS_FLOOR);
        if (!(err <= worst)) { worst = err; where = `${t.name}[${i - t.offset}]`; }
      }
    }
    assert.ok(worst < REL_TOL, `worst relative error ${worst.toExponential(2)} at ${where}`);
  });
}

test('without a draw a dropout network computes exactly what a network without dropout does (evaluation, sampling)', () => {
  for (const cell of CELL_TYPES) {
    const pr = problem(cell, 2, 7);
    const run = (dropout: number) => {
      const grads = new Float64Array(pr.params.length);
      const net = new Network(pr.model, pr.params, grads, { maxSteps: T, batchSize: B, dropout });
      const state = Float64Array.from(pr.state0);
      const loss = net.forward(pr.inputs, pr.targets, state, T);
      net.backward();
      return { loss, state, grads };
    };
    const off = run(0), unused = run(RATE);
    assert.equal(unused.loss, off.loss);
    assert.deepEqual(unused.state, off.state);
    assert.deepEqual(unused.grads, off.grads);
  }
});

test('a network built without dropout refuses a draw', () => {
  const pr = problem('gru', 1, 3);
  const net = new Network(pr.model, pr.params, null, { maxSteps: T, batchSize: B });
  assert.throws(() => net.forward(pr.inputs, pr.targets, Float64Array.from(pr.state0), T, DRAW), /without dropout buffers/);
});

/** The mask of a [T, B, H] output of ones: the dropped output is the mask itself. */
function maskOf(t: number, b: number, h: number, rate: number, key: number, firstStream: number, precision: 'f32' | 'f64' = 'f64') {
  const make = (n: number) => (precision === 'f32' ? new Float32Array(n) : new Float64Array(n));
  const out = make(t * b * h).fill(1), mask = make(t * b * h), dropped = make(t * b * h);
  dropoutForward(dropped, mask, out, t, b, h, rate, key, firstStream);
  assert.deepEqual(dropped, mask);
  return mask;
}

test('masks drop the rate\'s share, scale the rest by 1/(1 − p), and depend only on the key and each stream\'s batch index', () => {
  for (const rate of [0.1, 0.25, 0.5]) {
    const mask = maskOf(50, 8, 100, rate, 99, 0);
    const dropped = mask.filter((m) => m === 0).length / mask.length;
    assert.ok(Math.abs(dropped - rate) < 0.01, `rate ${rate}: dropped ${dropped}`);
    assert.ok(mask.every((m) => m === 0 || m === 1 / (1 - rate)));
    let mean = 0;
    for (const m of mask) mean += m / mask.length;
    assert.ok(Math.abs(mean - 1) < 0.02, `rate ${rate}: the mean mask ${mean} keeps the expected output`);
  }
  assert.deepEqual(maskOf(6, 4, 10, 0.3, 5, 0), maskOf(6, 4, 10, 0.3, 5, 0), 'the same key draws the same mask');
  assert.notDeepEqual(maskOf(6, 4, 10, 0.3, 5, 0), maskOf(6, 4, 10, 0.3, 6, 0), 'another key draws another');
  assert.ok(maskOf(6, 4, 10, 0, 5, 0).every((m) => m === 1), 'rate 0 drops nothing');
  // streams 0..3 in one piece, or as 0..1 and 2..3 (two threads): the same masks, row by row
  const whole = maskOf(6, 4, 10, 0.3, 5, 0), low = maskOf(6, 2, 10, 0.3, 5, 0), high = maskOf(6, 2, 10, 0.3, 5, 2);
  for (let t = 0; t < 6; t++) {
    for (let b = 0; b < 4; b++) {
      const part = b < 2 ? low : high, pb = b % 2;
      assert.deepEqual(whole.subarray((t * 4 + b) * 10, (t * 4 + b + 1) * 10), part.subarray((t * 2 + pb) * 10, (t * 2 + pb + 1) * 10));
    }
  }
  assert.equal(dropThreshold(0), 0);
  assert.notEqual(dropoutStepKey(1, 5), dropoutStepKey(1, 6));
  assert.notEqual(dropoutStepKey(1, 5), dropoutStepKey(1, 5 + 2 ** 32), 'iterations past 2³² get their own keys');
  assert.notEqual(dropoutLayerKey(7, 0), dropoutLayerKey(7, 1));
});

test('the WebAssembly dropout kernel draws the same mask bits as the TypeScript loop', () => {
  const module = kernelsModule();
  assert.ok(module, 'this runtime compiles the SIMD module');
  const [t, b, h, rate, key, first] = [7, 5, 13, 0.35, 0xdeadbeef, 3];
  const n = t * b * h, arena = new Arena(module, 3 * n + 64);
  const out = arena.floats(n), mask = arena.floats(n), dropped = arena.floats(n);
  const rng = Rng.fromSeed(5);
  for (let i = 0; i < n; i++) out[i] = rng.nextNormal();
  arena.x.dropoutForward(dropped.byteOffset, mask.byteOffset, out.byteOffset, t, b, h, dropThreshold(rate), 1 / (1 - rate), key, first);
  const wantMask = new Float32Array(n), wantDropped = new Float32Array(n);
  dropoutForward(wantDropped, wantMask, Float32Array.from(out), t, b, h, rate, key, first);
  assert.deepEqual(Float32Array.from(mask), wantMask);
  assert.deepEqual(Float32Array.from(dropped), wantDropped);
  const d = Float32Array.from({ length: n }, () => rng.nextNormal()), want = d.map((x, i) => Math.fround(x * wantMask[i]));
  const dIn = arena.floats(n);
  dIn.set(d);
  arena.x.multiplyInPlace(dIn.byteOffset, mask.byteOffset, n);
  assert.deepEqual(Float32Array.from(dIn), want);
});

for (const cell of CELL_TYPES) {
  test(`${cell} with dropout: the network on WebAssembly equals it on the TypeScript loops (loss, state, every gradient)`, () => {
    const rng = Rng.fromSeed(21);
    for (const [Bn, Hn, L, Tn] of [[3, 30, 2, 5], [4, 33, 1, 9]]) {
      const model = { cell, vocabSize: 23, hiddenSize: Hn, layers: L };
      const P = paramLayout(model).size;
      const params = Float32Array.from({ length: P }, () => (rng.nextFloat() * 2 - 1) * 0.4);
      const inputs = Int32Array.from({ length: Tn * Bn }, () => Math.floor(rng.nextFloat() * 23));
      const targets = Int32Array.from({ length: Tn * Bn }, () => Math.floor(rng.nextFloat() * 23));
      const state0 = new Float32Array(L * Bn * cellDefinition(cell).stateMultiple * Hn);
      const run = (kernels: typeof loopKernels) => {
        const grads = new Float32Array(P);
        const net = new Network(model, params, grads, { maxSteps: Tn, batchSize: Bn, kernels, dropout: 0.3 });
        const state = Float32Array.from(state0);
        const loss = net.forward(inputs, targets, state, Tn, DRAW);
        net.backward();
        return { loss, state, grads, name: net.kernelsName };
      };
      const want = run(loopKernels), got = run(wasmKernels);
      assert.match(got.name, /^wasm-(relaxed-)?simd$/);
      const label = `${cell} B${Bn} H${Hn} L${L}`;
      expectClose(`${label} loss`, [got.loss], [want.loss], 1e-5);
      expectClose(`${label} state`, got.state, want.state, 1e-4, 1e-6);
      expectClose(`${label} gradients`, got.grads, want.grads, 1e-3, 2e-6);
    }
  });
}

const TEXT = 'It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness. ';

function run(dropout: number, precision: 'f32' | 'f64' = 'f32', seed = 3) {
  const training = { ...SEED_TRAINING, seqLength: 8, batchSize: 4, optimizer: 'adam' as const, learningRate: 0.01, seed, dropout };
  const corpus = prepareCorpus(TEXT, training);
  const state = createTrainingState({ cell: 'gru', vocabSize: corpus.vocab.size, hiddenSize: 12, layers: 2 }, training, corpus.vocab, precision);
  return { state, corpus };
}

test('training with dropout: the same seed gives bit-identical runs; the masks change what is learned', () => {
  const steps = (dropout: number, seed = 3) => {
    const { state, corpus } = run(dropout, 'f32', seed);
    const trainer = new Trainer(state, corpus);
    for (let i = 0; i < 12; i++) trainer.step();
    return Float32Array.from(state.params);
  };
  assert.deepEqual(steps(0.3), steps(0.3));
  assert.notDeepEqual(steps(0.3), steps(0));
  assert.notDeepEqual(steps(0.3, 3), steps(0.3, 4), 'another seed draws other masks');
});

test('with dropout, shards over a split batch draw the whole batch\'s masks: their losses and gradients sum to it', () => {
  const { state, corpus } = run(0.5, 'f64');
  const seg = segmentLengthOf(corpus.train.length, state.training);
  const key = dropoutStepKey(state.training.seed, 17);
  const positions = Int32Array.from([0, 3, 9, 6]);
  const whole = new TrainerShard(state.model, state.training, state.params, corpus.train, seg, 0, 4);
  const lossWhole = whole.run(state.hidden.slice(), positions, key);
  const parts = [[0, 1], [1, 4]].map(([b0, b1]) => new TrainerShard(state.model, state.training, state.params, corpus.train, seg, b0, b1));
  const hidden = state.hidden.slice();
  const lossParts = parts[0].run(hidden, positions, key) + parts[1].run(hidden, positions, key);
  assert.ok(Math.abs(lossParts - lossWhole) < 1e-12 * Math.abs(lossWhole), `${lossParts} vs ${lossWhole}`);
  const sum = parts[0].grads.map((g, i) => g + parts[1].grads[i]);
  expectClose('summed gradients', sum, whole.grads, 1e-10, 1e-14);
  const other = new TrainerShard(state.model, state.training, state.params, corpus.train, seg, 0, 4);
  assert.ok(Math.abs(other.run(state.hidden.slice(), positions, key + 1) - lossWhole) > 1e-6, 'another step\'s key draws other masks');
});

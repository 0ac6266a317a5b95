// The lstm and gru cells against their equations: hand-computed steps, a naive per-stream
// reference of the whole network, carried state across windows, and float32 against float64.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CELL_TYPES, type CellType, type ModelConfig } from '../../../core/config.js';
import { Network } from '../../../core/network.js';
import { paramLayout, tensorViews } from '../../../core/layout.js';
import { cellDefinition } from '../../../core/cells/index.js';
import { referenceKernels } from '../../../core/kernels/reference.js';
import { Rng } from '../../../core/rng.js';
import { expectClose } from '../../helpers/close.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function randomSetup(cell: CellType, V: number, H: number, layers: number, B: number, T: number, seed: number) {
  const model: ModelConfig = { cell, vocabSize: V, hiddenSize: H, layers };
  const rng = Rng.fromSeed(seed);
  const params = new Float64Array(paramLayout(model).size);
  for (let i = 0; i < params.length; i++) params[i] = rng.nextNormal() * 0.5;
  const inputs = Int32Array.from({ length: T * B }, () => Math.floor(rng.nextFloat() * V));
  const targets = Int32Array.from({ length: T * B }, () => Math.floor(rng.nextFloat() * V));
  const S = cellDefinition(cell).stateMultiple * H;
  const state0 = Float64Array.from({ length: layers * B * S }, () => rng.nextNormal() * 0.5);
  return { model, params, inputs, targets, state0, S };
}

/** row·W[row r] over a [rows, cols] matrix stored row-major, as plain numbers. */
function matVec(W: ArrayLike<number>, rows: number, cols: number, v: readonly number[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += W[r * cols + c] * v[c];
    out.push(s);
  }
  return out;
}

/**
 * One stream, one step at a time, straight from the cell equations (no stacking tricks, no
 * kernels). Returns the summed loss and the final state [L, S] of the stream.
 */
function naiveStream(model: ModelConfig, params: Float64Array, xs: number[], ys: number[], state: number[][]) {
  const { cell, hiddenSize: H, vocabSize: V, layers: L } = model;
  const views = tensorViews(paramLayout(model), params);
  const names = (l: number) => cellDefinition(cell).tensorNames(l);
  let loss = 0;
  for (let t = 0; t < xs.length; t++) {
    let below: number[] = Array.from({ length: V }, (_, v) => (v === xs[t] ? 1 : 0));
    for (let l = 0; l < L; l++) {
      const n = names(l), In = l === 0 ? V : H;
      const Wx = views.get(n.Wx)!, Wh = views.get(n.Wh)!, bx = views.get(n.bx)!;
      const xp = matVec(Wx, cell === 'rnn' ? H : cell === 'lstm' ? 4 * H : 3 * H, In, below).map((v, i) => v + bx[i]);
      const hPrev = state[l].slice(0, H);
      let hNew: number[];
      if (cell === 'rnn') {
        const hp = matVec(Wh, H, H, hPrev);
        hNew = xp.map((v, j) => Math.tanh(v + hp[j]));
        state[l] = hNew;
      } else if (cell === 'lstm') {
        const cPrev = state[l].slice(H);
        const pre = matVec(Wh, 4 * H, H, hPrev).map((v, i) => v + xp[i]);
        const c: number[] = [];
        hNew = [];
        for (let j = 0; j < H; j++) {
          const i = sigmoid(pre[j]), f = sigmoid(pre[H + j]), o = sigmoid(pre[2 * H + j]), g = Math.tanh(pre[3 * H + j]);
          c.push(f * cPrev[j] + i * g);
          hNew.push(o * Math.tanh(c[j]));
        }
        state[l] = [...hNew, ...c];
      } else {
        const bh = views.get(n.bh!)!;
        const hp = matVec(Wh, 3 * H, H, hPrev).map((v, i) => v + bh[i]);
        hNew = [];
        for (let j = 0; j < H; j++) {
          const r = sigmoid(xp[j] + hp[j]);
          const z = sigmoid(xp[H + j] + hp[H + j]);
          const nn = Math.tanh(xp[2 * H + j] + r * hp[2 * H + j]);
          hNew.push((1 - z) * nn + z * hPrev[j]);
        }
        state[l] = hNew;
      }
      below = hNew;
    }
    const Why = views.get('Why')!, by = views.get('by')!;
    const y = matVec(Why, V, H, below).map((v, i) => v + by[i]);
    const max = Math.max(...y);
    const z = y.reduce((s, v) => s + Math.exp(v - max), 0);
    loss -= y[ys[t]] - max - Math.log(z);
  }
  return loss;
}

for (const cell of CELL_TYPES) {
  for (const kernels of [referenceKernels, undefined]) {
    test(`${cell} network equals a naive step-by-step reference of its equations (${kernels ? 'reference' : 'loops'} kernels)`, () => {
      const V = 6, H = 5, L = 2, B = 3, T = 7;
      const s = randomSetup(cell, V, H, L, B, T, 5);
      const net = new Network(s.model, s.params, null, { maxSteps: T, batchSize: B, kernels });
      const state = Float64Array.from(s.state0);
      const loss = net.forward(s.inputs, s.targets, state, T);
      let want = 0;
      const wantState: number[] = new Array(state.length);
      for (let b = 0; b < B; b++) {
        const st = Array.from({ length: L }, (_, l) => Array.from(s.state0.subarray((l * B + b) * s.S, (l * B + b + 1) * s.S)));
        const pick = (a: Int32Array) => Array.from({ length: T }, (_, t) => a[t * B + b]);
        want += naiveStream(s.model, s.params, pick(s.inputs), pick(s.targets), st);
        for (let l = 0; l < L; l++) for (let i = 0; i < s.S; i++) wantState[(l * B + b) * s.S + i] = st[l][i];
      }
      expectClose(`${cell} loss`, [loss], [want / B], 1e-12);
      expectClose(`${cell} final state`, state, wantState, 1e-12, 1e-14);
    });
  }
}

test('lstm by hand: zero weights give i = f = o = ½, g = 0, so c halves each step and h = ½·tanh(c)', () => {
  const model: ModelConfig = { cell: 'lstm', vocabSize: 2, hiddenSize: 1, layers: 1 };
  const params = new Float64Array(paramLayout(model).size);
  const net = new Network(model, params, null, { maxSteps: 3, batchSize: 1 });
  const state = Float64Array.from([0.3, 1.0]); // [h | c]
  net.forward([0, 1, 0], null, state, 3);
  expectClose('[h | c] after 3 steps', state, [0.5 * Math.tanh(0.125), 0.125], 1e-15);
  // With the g-gate bias at 1 and the forget-gate bias very negative: c_t = ½·tanh(1), every step.
  const views = tensorViews(paramLayout(model), params);
  views.get('bg')!.set([0, -1000, 0, 1]); // i, f, o, g
  state.set([0.3, 5]);
  net.forward([0], null, state, 1);
  expectClose('[h | c] with f = 0', state, [0.5 * Math.tanh(0.5 * Math.tanh(1)), 0.5 * Math.tanh(1)], 1e-15);
});

test('gru by hand: the recurrent bias of n sits inside r⊙(Wh·h + bh), as in PyTorch', () => {
  const model: ModelConfig = { cell: 'gru', vocabSize: 2, hiddenSize: 1, layers: 1 };
  const params = new Float64Array(paramLayout(model).size);
  const views = tensorViews(paramLayout(model), params);
  const net = new Network(model, params, null, { maxSteps: 2, batchSize: 1 });
  const state = Float64Array.from([0.8]);
  net.forward([0, 1], null, state, 2);
  expectClose('zero weights: r = z = ½, n = 0, h halves', state, [0.2], 1e-15);
  // bhg = [r, z, n] = [ln 3, 0, 2]: r = σ(ln 3) = ¾, z = ½, n = tanh(¾·2). Folding bh into bx
  // would give n = tanh(2) instead.
  views.get('bhg')!.set([Math.log(3), 0, 2]);
  state.set([0.8]);
  net.forward([0], null, state, 1);
  expectClose('h with bh', state, [0.5 * Math.tanh(1.5) + 0.5 * 0.8], 1e-15);
  // The same 2 in bxg's n block is outside the reset gate: n = tanh(2).
  views.get('bhg')!.fill(0);
  views.get('bxg')!.set([0, 0, 2]);
  state.set([0.8]);
  net.forward([0], null, state, 1);
  expectClose('h with bx', state, [0.5 * Math.tanh(2) + 0.5 * 0.8], 1e-15);
});

test('tensor names and shapes: lstm Wxg [4H, In], Whg [4H, H], bg [4H]; gru adds bhg [3H]; deeper layers get _1', () => {
  const shapes = (cell: CellType) =>
    Object.fromEntries(paramLayout({ cell, vocabSize: 7, hiddenSize: 3, layers: 2 }).tensors.map((t) => [t.name, t.shape]));
  assert.deepEqual(shapes('lstm'), {
    Wxg: [12, 7], Whg: [12, 3], bg: [12], Wxg_1: [12, 3], Whg_1: [12, 3], bg_1: [12], Why: [7, 3], by: [7],
  });
  assert.deepEqual(shapes('gru'), {
    Wxg: [9, 7], Whg: [9, 3], bxg: [9], bhg: [9], Wxg_1: [9, 3], Whg_1: [9, 3], bxg_1: [9], bhg_1: [9], Why: [7, 3], by: [7],
  });
  assert.equal(cellDefinition('lstm').stateMultiple, 2);
  assert.equal(cellDefinition('gru').stateMultiple, 1);
});

for (const cell of CELL_TYPES) {
  test(`${cell}: one window of 6 steps equals windows of 2 + 4 carrying the state (logits and final state)`, () => {
    const V = 5, H = 4, L = 2, B = 2, T = 6;
    const s = randomSetup(cell, V, H, L, B, T, 9);
    const whole = new Network(s.model, s.params, null, { maxSteps: T, batchSize: B });
    const stateWhole = Float64Array.from(s.state0);
    whole.forward(s.inputs, null, stateWhole, T);
    const split = new Network(s.model, s.params, null, { maxSteps: T, batchSize: B });
    const stateSplit = Float64Array.from(s.state0);
    split.forward(s.inputs.subarray(0, 2 * B), null, stateSplit, 2);
    split.forward(s.inputs.subarray(2 * B), null, stateSplit, 4);
    expectClose('final state', stateSplit, stateWhole, 1e-14, 1e-15);
    expectClose('last 4 steps of logits', split.logits.subarray(0, 4 * B * V), whole.logits.subarray(2 * B * V, T * B * V), 1e-14, 1e-15);
  });

  test(`${cell}: h is the first H floats of each layer's state (the sampler reads it there)`, () => {
    const V = 5, H = 4, L = 2;
    const s = randomSetup(cell, V, H, L, 1, 1, 13);
    const net = new Network(s.model, s.params, null, { maxSteps: 1, batchSize: 1 });
    const state = Float64Array.from(s.state0);
    net.forward(s.inputs, null, state, 1);
    const views = tensorViews(paramLayout(s.model), s.params);
    const Why = views.get('Why')!, by = views.get('by')!, top = (L - 1) * s.S;
    const fromState = Array.from({ length: V }, (_, v) => {
      let sum = by[v];
      for (let j = 0; j < H; j++) sum += Why[v * H + j] * state[top + j];
      return sum;
    });
    expectClose('read-out of the state', net.logits.subarray(0, V), fromState, 1e-14, 1e-15);
  });

  test(`${cell}: float32 loss within 1e-5 and gradients within 1e-3 relative of float64`, () => {
    const V = 6, H = 8, L = 2, B = 2, T = 10;
    const s = randomSetup(cell, V, H, L, B, T, 17);
    const g64 = new Float64Array(s.params.length);
    const net64 = new Network(s.model, s.params, g64, { maxSteps: T, batchSize: B });
    const loss64 = net64.forward(s.inputs, s.targets, Float64Array.from(s.state0), T);
    net64.backward();
    const p32 = Float32Array.from(s.params), g32 = new Float32Array(s.params.length);
    const net32 = new Network(s.model, p32, g32, { maxSteps: T, batchSize: B });
    const loss32 = net32.forward(s.inputs, s.targets, Float32Array.from(s.state0), T);
    net32.backward();
    // Compared against float64 run on the float32-rounded weights, so only arithmetic differs.
    const g64r = new Float64Array(s.params.length);
    const net64r = new Network(s.model, Float64Array.from(p32), g64r, { maxSteps: T, batchSize: B });
    const loss64r = net64r.forward(s.inputs, s.targets, Float64Array.from(Float32Array.from(s.state0)), T);
    net64r.backward();
    expectClose('loss', [loss32], [loss64r], 1e-5);
    expectClose('grads', g32, g64r, 1e-3, 1e-4);
    assert.ok(Math.abs(loss64 - loss64r) < 1e-5, 'rounding the weights to float32 barely moves the loss');
  });
}

test('a shorter window after a longer one gives the same loss and gradients as on a fresh network', () => {
  for (const cell of CELL_TYPES) {
    const V = 5, H = 4, L = 2, B = 2, T = 6;
    const s = randomSetup(cell, V, H, L, B, T, 23);
    const run = (net: Network, grads: Float64Array, steps: number) => {
      grads.fill(0);
      const loss = net.forward(s.inputs, s.targets, Float64Array.from(s.state0), steps);
      net.backward();
      return loss;
    };
    const gUsed = new Float64Array(s.params.length), gFresh = new Float64Array(s.params.length);
    const used = new Network(s.model, s.params, gUsed, { maxSteps: T, batchSize: B });
    run(used, gUsed, T); // leaves caches and gradients of 6 steps behind
    const loss = run(used, gUsed, 3);
    const fresh = new Network(s.model, s.params, gFresh, { maxSteps: T, batchSize: B });
    expectClose(`${cell} loss`, [loss], [run(fresh, gFresh, 3)], 0, 0);
    expectClose(`${cell} grads`, gUsed, gFresh, 0, 0);
  }
});

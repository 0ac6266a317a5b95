// Float64 central finite-difference gradient checks of the network loss for every cell, plus the pieces
// around the gradient: batch averaging, clipping, and misuse of backward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CELL_TYPES, type CellType, type ModelConfig } from '../../../core/config.js';
import { Network } from '../../../core/network.js';
import { paramLayout } from '../../../core/layout.js';
import { cellDefinition } from '../../../core/cells/index.js';
import { loopKernels } from '../../../core/kernels/loops.js';
import { clipElementwise, clipGlobalNorm, l2Norm } from '../../../core/optim.js';
import { Rng } from '../../../core/rng.js';
import { expectClose } from '../../helpers/close.js';

const V = 5, H = 4, T = 4;
// The fourth-order central difference (−L(θ+2ε) + 8L(θ+ε) − 8L(θ−ε) + L(θ−2ε)) / 12ε: truncation
// ~ε⁴ and round-off ~1e-16·loss/ε both stay near 1e-12 at ε = 1e-3, where the plain two-point
// difference bottoms out near 1e-10 and could not hold small gradients to 1e-6 relative.
const EPS = 1e-3;
const REL_TOL = 1e-6;
const ABS_FLOOR = 1e-5;      // gradients below this are compared against it, not against themselves

interface Problem {
  model: ModelConfig;
  params: Float64Array;
  inputs: Int32Array;   // [T, B]
  targets: Int32Array;  // [T, B]
  state0: Float64Array; // [L, B, stateSize]
  B: number;
}

/** Random weights (biases too) at scale 0.5 so the nonlinearities leave their linear region. */
function makeProblem(cell: CellType, layers: number, B: number, seed: number): Problem {
  const model: ModelConfig = { cell, vocabSize: V, hiddenSize: H, layers };
  const rng = Rng.fromSeed(seed);
  const params = new Float64Array(paramLayout(model).size);
  for (let i = 0; i < params.length; i++) params[i] = rng.nextNormal() * 0.5;
  const inputs = new Int32Array(T * B), targets = new Int32Array(T * B);
  for (let r = 0; r < T * B; r++) {
    inputs[r] = Math.floor(rng.nextFloat() * V);
    targets[r] = Math.floor(rng.nextFloat() * V);
  }
  const stateSize = cellDefinition(cell).stateMultiple * H;
  const state0 = new Float64Array(layers * B * stateSize);
  for (let i = 0; i < state0.length; i++) state0[i] = rng.nextNormal() * 0.5;
  return { model, params, inputs, targets, state0, B };
}

/** The loss from a copy of the start state (forward overwrites it with the final state). */
function lossOf(net: Network, pr: Problem): number {
  return net.forward(pr.inputs, pr.targets, Float64Array.from(pr.state0), T);
}

function analyticGrads(pr: Problem): Float64Array {
  const grads = new Float64Array(pr.params.length);
  // maxSteps above T, so the cells' step views are exercised with a window shorter than the buffers.
  const net = new Network(pr.model, pr.params, grads, { maxSteps: T + 2, batchSize: pr.B });
  lossOf(net, pr);
  net.backward();
  return grads;
}

interface CheckResult { worst: number; worstName: string; worstIndex: number; checked: number }

/** Compare every parameter's analytic gradient with the numeric derivative of the loss. */
function gradCheck(pr: Problem, grads: Float64Array): CheckResult {
  const net = new Network(pr.model, pr.params, null, { maxSteps: T + 2, batchSize: pr.B });
  const result: CheckResult = { worst: 0, worstName: '', worstIndex: -1, checked: 0 };
  for (const t of paramLayout(pr.model).tensors) {
    for (let i = t.offset; i < t.offset + t.size; i++) {
      const saved = pr.params[i];
      const at = (delta: number) => {
        pr.params[i] = saved + delta;
        return lossOf(net, pr);
      };
      const near = at(EPS) - at(-EPS), far = at(2 * EPS) - at(-2 * EPS);
      pr.params[i] = saved;
      const numeric = (8 * near - far) / (12 * EPS);
      const err = Math.abs(grads[i] - numeric) / Math.max(Math.abs(grads[i]), Math.abs(numeric), ABS_FLOOR);
      if (!(err <= result.worst)) Object.assign(result, { worst: err, worstName: t.name, worstIndex: i - t.offset });
      result.checked++;
    }
  }
  return result;
}

let seed = 100;
for (const cell of CELL_TYPES) {
  for (const layers of [1, 2]) {
    for (const B of [1, 3]) {
      const problemSeed = seed++;
      test(`gradcheck ${cell}: ${layers} layer(s), batch ${B}, every parameter within ${REL_TOL} relative`, () => {
        const pr = makeProblem(cell, layers, B, problemSeed);
        const grads = analyticGrads(pr);
        const r = gradCheck(pr, grads);
        assert.equal(r.checked, pr.params.length);
        assert.ok(r.worst < REL_TOL,
          `worst relative error ${r.worst.toExponential(2)} at ${r.worstName}[${r.worstIndex}]`);
        // A check that passes on an all-zero gradient proves nothing: every tensor must get some signal.
        for (const t of paramLayout(pr.model).tensors) {
          assert.ok(l2Norm(grads.subarray(t.offset, t.offset + t.size)) > 1e-3, `${t.name} has a vanishing gradient`);
        }
      });
    }
  }
}

test('the gradient check catches a wrong gradient (one element off by 1e-5 relative)', () => {
  for (const cell of CELL_TYPES) {
    const pr = makeProblem(cell, 2, 3, 7);
    const grads = analyticGrads(pr);
    assert.ok(gradCheck(pr, grads).worst < REL_TOL);
    const layout = paramLayout(pr.model);
    const Wh = layout.tensors.find((t) => t.name === cellDefinition(cell).tensorNames(1).Wh)!;
    const i = Wh.offset + 3;
    assert.ok(Math.abs(grads[i]) > ABS_FLOOR, 'the corrupted element should be a real gradient');
    grads[i] *= 1 + 1e-5;
    const r = gradCheck(pr, grads);
    assert.ok(r.worst > REL_TOL, `${cell}: corruption went unnoticed (worst ${r.worst})`);
    assert.equal(r.worstIndex, 3);
  }
});

test('the start state is used by forward although no gradient flows into it', () => {
  for (const cell of CELL_TYPES) {
    for (const layers of [1, 2]) {
      const pr = makeProblem(cell, layers, 3, 11);
      const net = new Network(pr.model, pr.params, null, { maxSteps: T, batchSize: 3 });
      const fromRandom = lossOf(net, pr);
      const fromZero = net.forward(pr.inputs, pr.targets, new Float64Array(pr.state0.length), T);
      assert.ok(Math.abs(fromRandom - fromZero) > 1e-6, `${cell} x${layers}: the start state made no difference`);
      // The top layer alone is not enough: the bottom layer's start state must reach the loss too.
      const bottomOnly = Float64Array.from(pr.state0);
      bottomOnly.fill(0, bottomOnly.length / layers);
      if (layers > 1) {
        const fromBottom = net.forward(pr.inputs, pr.targets, bottomOnly, T);
        assert.ok(Math.abs(fromBottom - fromZero) > 1e-6, `${cell} x${layers}: layer 0's start state made no difference`);
      }
    }
  }
});

test('loss is summed over time and averaged over the batch: B identical streams give batch 1 loss and gradients', () => {
  for (const cell of CELL_TYPES) {
    const one = makeProblem(cell, 2, 1, 21);
    const B = 3;
    const S = cellDefinition(cell).stateMultiple * H;
    const many: Problem = {
      ...one,
      B,
      inputs: new Int32Array(T * B),
      targets: new Int32Array(T * B),
      state0: new Float64Array(2 * B * S),
    };
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        many.inputs[t * B + b] = one.inputs[t];
        many.targets[t * B + b] = one.targets[t];
      }
    }
    for (let l = 0; l < 2; l++) {
      for (let b = 0; b < B; b++) many.state0.set(one.state0.subarray(l * S, (l + 1) * S), (l * B + b) * S);
    }
    const net1 = new Network(one.model, one.params, null, { maxSteps: T, batchSize: 1 });
    const netB = new Network(many.model, many.params, null, { maxSteps: T, batchSize: B });
    const loss1 = lossOf(net1, one), lossB = lossOf(netB, many);
    expectClose(`${cell} loss`, [lossB], [loss1], 1e-13);
    assert.ok(loss1 > 1, 'a loss summed over 4 steps of a 5-way guess is well above 1');
    expectClose(`${cell} grads`, analyticGrads(many), analyticGrads(one), 1e-12, 1e-14);
  }
});

test('different streams in a batch contribute the mean of their own losses', () => {
  for (const cell of CELL_TYPES) {
    const pr = makeProblem(cell, 1, 3, 31);
    const S = cellDefinition(cell).stateMultiple * H;
    const net1 = new Network(pr.model, pr.params, null, { maxSteps: T, batchSize: 1 });
    let sum = 0;
    for (let b = 0; b < 3; b++) {
      const pick = (a: Int32Array) => Int32Array.from({ length: T }, (_, t) => a[t * 3 + b]);
      sum += net1.forward(pick(pr.inputs), pick(pr.targets), pr.state0.slice(b * S, (b + 1) * S), T);
    }
    const netB = new Network(pr.model, pr.params, null, { maxSteps: T, batchSize: 3 });
    expectClose(`${cell} batch loss`, [lossOf(netB, pr)], [sum / 3], 1e-13);
  }
});

test('clipElementwise clamps each element to [-limit, limit] and leaves the rest alone', () => {
  const g = Float64Array.from([-7, -5, -4.999, 0, 3, 5, 5.0001, 1e9, -Infinity]);
  clipElementwise(g, 5);
  assert.deepEqual(Array.from(g), [-5, -5, -4.999, 0, 3, 5, 5, 5, -5]);
  const f = Float32Array.from([0.5, -2, 2]);
  clipElementwise(f, 1);
  assert.deepEqual(Array.from(f), [0.5, -1, 1]);
  const off = Float64Array.from([-100, 100]);
  clipElementwise(off, 0);
  assert.deepEqual(Array.from(off), [-100, 100], 'limit 0 means no clipping');
});

test('clipGlobalNorm scales to the limit, returns the norm before clipping, and keeps the direction', () => {
  const g = Float64Array.from([3, -4, 0, 12]); // norm 13
  assert.equal(clipGlobalNorm(g, 6.5), 13);
  expectClose('scaled', g, [1.5, -2, 0, 6], 1e-15);
  expectClose('norm after', [l2Norm(g)], [6.5], 1e-15);
  const below = Float64Array.from([3, -4]); // norm 5
  assert.equal(clipGlobalNorm(below, 10), 5);
  assert.deepEqual(Array.from(below), [3, -4], 'a gradient inside the limit is untouched');
  const atLimit = Float64Array.from([3, -4]);
  assert.equal(clipGlobalNorm(atLimit, 5), 5);
  assert.deepEqual(Array.from(atLimit), [3, -4], 'exactly at the limit is untouched');
  const off = Float64Array.from([300, -400]);
  assert.equal(clipGlobalNorm(off, 0), 500);
  assert.deepEqual(Array.from(off), [300, -400], 'maxNorm 0 means no clipping');
  const zero = new Float32Array(4);
  assert.equal(clipGlobalNorm(zero, 1), 0);
  assert.deepEqual(Array.from(zero), [0, 0, 0, 0]);
});

test('backward before forward, without targets, or twice throws a clear error', () => {
  for (const cell of CELL_TYPES) {
    const pr = makeProblem(cell, 2, 2, 41);
    const grads = new Float64Array(pr.params.length);
    const net = new Network(pr.model, pr.params, grads, { maxSteps: T, batchSize: 2 });
    assert.throws(() => net.backward(), /backward needs a forward with targets first/);
    net.forward(pr.inputs, null, Float64Array.from(pr.state0), T);
    assert.throws(() => net.backward(), /backward needs a forward with targets first/);
    lossOf(net, pr);
    net.backward();
    assert.throws(() => net.backward(), /backward needs a forward with targets first/);
    const noGrads = new Network(pr.model, pr.params, null, { maxSteps: T, batchSize: 2 });
    lossOf(noGrads, pr);
    assert.throws(() => noGrads.backward(), /built without gradients/);
  }
});

test('a cell layer refuses backward and finalState before its first forward', () => {
  for (const cell of CELL_TYPES) {
    const def = cellDefinition(cell);
    const layer = def.createLayer(loopKernels, 'f64', H, T, 2);
    const GH = def.gates * H;
    const p = { Wx: new Float64Array(GH * V), Wh: new Float64Array(GH * H), bx: new Float64Array(GH),
                bh: def.tensorNames(0).bh ? new Float64Array(GH) : null };
    const g = { Wx: new Float64Array(GH * V), Wh: new Float64Array(GH * H), bx: new Float64Array(GH),
                bh: p.bh ? new Float64Array(GH) : null };
    assert.throws(() => layer.backward(p, g, new Float64Array(T * 2 * H)), new RegExp(`${cell} layer: backward or finalState called before forward`, 'i'));
    assert.throws(() => layer.finalState(new Float64Array(2 * layer.stateSize)), /before forward/);
    layer.forward(p, new Float64Array(2 * layer.stateSize), T);
    assert.doesNotThrow(() => layer.backward(p, g, new Float64Array(T * 2 * H)));
  }
});

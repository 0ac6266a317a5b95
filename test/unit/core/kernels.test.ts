// The optimised loop kernels against the plain reference ones, and the reference against its definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loopKernels } from '../../../core/kernels/loops.js';
import { referenceKernels } from '../../../core/kernels/reference.js';
import type { Kernels } from '../../../core/kernels/kernels.js';
import { Rng } from '../../../core/rng.js';
import { allocFloats, type FloatArray, type Precision } from '../../../core/tensor.js';
import { expectClose } from '../../helpers/close.js';

type KernelName = 'matmulABt' | 'matmulAB' | 'matmulAtB';
const KERNELS: KernelName[] = ['matmulABt', 'matmulAB', 'matmulAtB'];

/** Sizes of a and b for out[M,N] by each kernel's contract. */
function operandShapes(name: KernelName, M: number, N: number, K: number): [number, number] {
  switch (name) {
    case 'matmulABt': return [M * K, N * K];
    case 'matmulAB': return [M * K, K * N];
    case 'matmulAtB': return [K * M, K * N];
  }
}

function randomArray(rng: Rng, precision: Precision, n: number, zeroFraction = 0): FloatArray {
  const a = allocFloats(precision, n);
  for (let i = 0; i < n; i++) a[i] = rng.nextFloat() < zeroFraction ? 0 : rng.nextFloat() * 2 - 1;
  return a;
}

/** out += product, with each kernel's own implementation; returns the new out. */
function run(k: Kernels, name: KernelName, out0: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): FloatArray {
  const out = out0.slice();
  k[name](out, a, b, M, N, K);
  return out;
}

// Odd sizes hit the unrolled loops' remainders; 1 hits the degenerate row and column cases.
const SIZES = [1, 2, 3, 4, 5, 7, 8, 13, 17];

for (const precision of ['f64', 'f32'] as const) {
  for (const name of KERNELS) {
    test(`${name}: loops equal reference over random shapes, accumulating into out (${precision})`, () => {
      const rng = Rng.fromSeed(precision === 'f64' ? 1 : 2);
      // float32 sums in a different order differ by a few ulps of the sum of |terms| (≤ K here).
      const [relTol, absTol] = precision === 'f64' ? [1e-12, 1e-13] : [1e-5, 1e-5];
      let cases = 0;
      for (let trial = 0; trial < 60; trial++) {
        const pick = () => SIZES[Math.floor(rng.nextFloat() * SIZES.length)];
        const M = pick(), N = pick(), K = trial < 3 ? 1 : pick();
        const [aSize, bSize] = operandShapes(name, M, N, K);
        // Some exact zeros: the loop kernels skip zero multipliers, the reference does not.
        const a = randomArray(rng, precision, aSize, 0.2), b = randomArray(rng, precision, bSize);
        const out0 = randomArray(rng, precision, M * N);
        const want = run(referenceKernels, name, out0, a, b, M, N, K);
        const got = run(loopKernels, name, out0, a, b, M, N, K);
        expectClose(`${name} ${M}x${N}x${K}`, got, want, relTol, absTol);
        cases++;
      }
      assert.equal(cases, 60);
    });
  }
}

test('the reference kernels compute their documented products, and add to out rather than overwrite it', () => {
  // a [2,3], b [3,2] by hand.
  const a = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const b = Float64Array.from([7, 8, 9, 10, 11, 12]);
  const ab = [1 * 7 + 2 * 9 + 3 * 11, 1 * 8 + 2 * 10 + 3 * 12, 4 * 7 + 5 * 9 + 6 * 11, 4 * 8 + 5 * 10 + 6 * 12];
  for (const k of [referenceKernels, loopKernels]) {
    const out = Float64Array.from([100, 200, 300, 400]);
    k.matmulAB(out, a, b, 2, 2, 3);
    assert.deepEqual(Array.from(out), ab.map((v, i) => v + [100, 200, 300, 400][i]), `${k.name} matmulAB`);
    // The same product with b stored transposed ([N,K]): bt = [[7,9,11],[8,10,12]].
    const bt = Float64Array.from([7, 9, 11, 8, 10, 12]);
    const out2 = new Float64Array(4);
    k.matmulABt(out2, a, bt, 2, 2, 3);
    assert.deepEqual(Array.from(out2), ab, `${k.name} matmulABt`);
    // And with a stored transposed ([K,M]): at = [[1,4],[2,5],[3,6]].
    const at = Float64Array.from([1, 4, 2, 5, 3, 6]);
    const out3 = new Float64Array(4);
    k.matmulAtB(out3, at, b, 2, 2, 3);
    assert.deepEqual(Array.from(out3), ab, `${k.name} matmulAtB`);
  }
});

test('the three products agree with each other through explicit transposes (float64, random shapes)', () => {
  const rng = Rng.fromSeed(3);
  const transpose = (x: FloatArray, rows: number, cols: number) => {
    const t = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
    return t;
  };
  for (let trial = 0; trial < 20; trial++) {
    const M = SIZES[trial % SIZES.length], N = SIZES[(trial * 5 + 1) % SIZES.length], K = SIZES[(trial * 7 + 2) % SIZES.length];
    const a = randomArray(rng, 'f64', M * K), b = randomArray(rng, 'f64', K * N);
    const ab = new Float64Array(M * N), abt = new Float64Array(M * N), atb = new Float64Array(M * N);
    referenceKernels.matmulAB(ab, a, b, M, N, K);
    referenceKernels.matmulABt(abt, a, transpose(b, K, N), M, N, K);
    referenceKernels.matmulAtB(atb, transpose(a, M, K), b, M, N, K);
    expectClose(`ABt ${M}x${N}x${K}`, abt, ab, 1e-13, 1e-14);
    expectClose(`AtB ${M}x${N}x${K}`, atb, ab, 1e-13, 1e-14);
  }
});

test('a zero inner dimension leaves out unchanged', () => {
  for (const k of [referenceKernels, loopKernels]) {
    for (const name of KERNELS) {
      const out = Float32Array.from([1, -2, 3]);
      k[name](out, new Float32Array(0), new Float32Array(0), 3, 1, 0);
      assert.deepEqual(Array.from(out), [1, -2, 3], `${k.name} ${name}`);
    }
  }
});

test('kernels read only inside the sizes they are given (views into larger buffers work)', () => {
  // The cells pass step views of [T, B, ·] buffers. A read past an operand's view gives undefined
  // (NaN in arithmetic), as would the poison beyond it; a write past out's view must not happen.
  const rng = Rng.fromSeed(4);
  const M = 3, N = 5, K = 7;
  for (const name of KERNELS) {
    const [aSize, bSize] = operandShapes(name, M, N, K);
    const aBig = randomArray(rng, 'f64', aSize + 8), bBig = randomArray(rng, 'f64', bSize + 8);
    aBig.fill(NaN, aSize);
    bBig.fill(NaN, bSize);
    const outBig = new Float64Array(M * N + 4).fill(7);
    const want = run(referenceKernels, name, new Float64Array(M * N), aBig.slice(0, aSize), bBig.slice(0, bSize), M, N, K);
    loopKernels[name](outBig.subarray(0, M * N), aBig.subarray(0, aSize), bBig.subarray(0, bSize), M, N, K);
    expectClose(`${name} in a view`, outBig.subarray(0, M * N).map((v) => v - 7), want, 1e-12, 1e-13);
    assert.deepEqual(Array.from(outBig.subarray(M * N)), [7, 7, 7, 7], `${name} wrote past out`);
  }
});

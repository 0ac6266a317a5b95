// The WebAssembly SIMD kernels against the TypeScript oracle: the committed bytes match their
// source, each matmul and fused step equals the plain kernels within float32 tolerance, the
// exp/tanh/sigmoid approximations keep their error bound, and training runs the same course.
// Both WebAssembly sets, plain SIMD and relaxed SIMD (fused multiply-add), are held to the oracle.
import '../../../main/training/relaxed-simd.js'; // first: Node 20 compiles relaxed SIMD only behind its flag
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileKernels, generatedSource } from '../../../scripts/build-wasm.mjs';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { referenceKernels } from '../../../core/kernels/reference.js';
import { loopKernels } from '../../../core/kernels/loops.js';
import { kernelFallbackReason, kernelsModule, preferredWasmSet, wasmKernels, wasmRelaxedKernels, wasmSimdKernels, type WasmKernelSetName } from '../../../core/kernels/wasm.js';
import { Arena } from '../../../core/kernels/arena.js';
import type { Kernels } from '../../../core/kernels/kernels.js';
import { defaultKernels, Network } from '../../../core/network.js';
import { paramLayout } from '../../../core/layout.js';
import { clipElementwise, clipGlobalNorm, clipGradients, l2Norm, optimizerStep } from '../../../core/optim.js';
import { createTrainingState, evaluateLoss, Trainer } from '../../../core/trainer.js';
import { prepareCorpus } from '../../../core/corpus.js';
import { SEED_TRAINING, CELL_TYPES, OPTIMIZERS } from '../../../core/config.js';
import { Rng } from '../../../core/rng.js';
import { sampleText } from '../../../core/sampler.js';
import { expectClose } from '../../helpers/close.js';

const WASM_SETS: Kernels[] = [wasmSimdKernels, wasmRelaxedKernels];

function arena(floats = 1 << 16, set: WasmKernelSetName = 'wasm-simd'): Arena {
  const module = kernelsModule(set);
  assert.ok(module, `this runtime compiles the ${set} module`);
  return new Arena(module, floats, set);
}

function fillRandom(a: Float32Array, rng: Rng, scale = 1): Float32Array {
  for (let i = 0; i < a.length; i++) a[i] = (rng.nextFloat() * 2 - 1) * scale;
  return a;
}

test('the committed module is exactly what its AssemblyScript source compiles to', async () => {
  const committed = readFileSync(fileURLToPath(new URL('../../../core/kernels/wasm-bytes.ts', import.meta.url)), 'utf8');
  assert.equal(generatedSource(await compileKernels()), committed, 'core/kernels/wasm-bytes.ts is stale: run npm run build:wasm');
});

test('float32 networks run on relaxed SIMD by default here (Node 20 with its flag); float64 stays on the TypeScript loops', () => {
  assert.equal(preferredWasmSet(), 'wasm-relaxed-simd');
  assert.equal(defaultKernels('f32').name, 'wasm-relaxed-simd');
  assert.equal(defaultKernels('f64').name, 'loops');
  const model = { cell: 'rnn' as const, vocabSize: 5, hiddenSize: 4, layers: 1 };
  const P = paramLayout(model).size;
  const net = new Network(model, new Float32Array(P), null, { maxSteps: 2, batchSize: 1 });
  assert.equal(net.kernelsName, 'wasm-relaxed-simd');
  assert.equal(net.fallbackReason, null);
  assert.equal(new Network(model, new Float32Array(P), null, { maxSteps: 2, batchSize: 1, kernels: wasmSimdKernels }).kernelsName, 'wasm-simd');
  assert.equal(new Network(model, new Float64Array(P), null, { maxSteps: 2, batchSize: 1, kernels: wasmKernels }).kernelsName, 'loops');
  assert.equal(new Network(model, new Float32Array(P), null, { maxSteps: 2, batchSize: 1, kernels: loopKernels }).kernelsName, 'loops');
});

test('a workspace too large for a WebAssembly memory falls back to the plain kernels, and says why', () => {
  assert.equal(wasmKernels.createArena!(2 ** 31), null);
  assert.match(kernelFallbackReason() ?? '', /do not fit one WebAssembly memory/);
  // a network whose arena cannot be had (here: asked 8 GiB more than it needs) runs on the loops and keeps the reason
  const oversized: Kernels = { ...wasmSimdKernels, createArena: (floats) => wasmSimdKernels.createArena!(floats + 2 ** 31) };
  const model = { cell: 'rnn' as const, vocabSize: 5, hiddenSize: 4, layers: 1 };
  const net = new Network(model, new Float32Array(paramLayout(model).size), null, { maxSteps: 1, batchSize: 1, kernels: oversized });
  assert.equal(net.kernelsName, 'loops');
  assert.match(net.fallbackReason ?? '', /do not fit one WebAssembly memory/);
});

type Form = 'matmulABt' | 'matmulAB' | 'matmulAtB';

/** One product on random operands, accumulating onto a random out, against the reference. */
function expectMatmulMatchesReference(set: Kernels, form: Form, M: number, N: number, K: number, rng: Rng): void {
  const ar = arena(M * N + 2 * M * K + 2 * K * N + 64, set.name as WasmKernelSetName);
  const out = fillRandom(ar.floats(M * N), rng);
  const a = fillRandom(ar.floats(M * K), rng), b = fillRandom(ar.floats(K * N), rng);
  const want = Float32Array.from(out);
  referenceKernels[form](want, a, b, M, N, K);
  set[form](out, a, b, M, N, K);
  expectClose(`${form} ${M}x${N}x${K}`, out, want, 1e-5, 2e-5 * Math.sqrt(K));
}

for (const form of ['matmulABt', 'matmulAB', 'matmulAtB'] as Form[]) for (const set of WASM_SETS) {
  test(`${form}: ${set.name} equals the reference over shapes that hit every block and tail, accumulating`, () => {
    const rng = Rng.fromSeed(7);
    const sizes = [1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 33, 100];
    for (let trial = 0; trial < 80; trial++) {
      const pick = () => sizes[Math.floor(rng.nextFloat() * sizes.length)];
      const M = pick(), N = pick(), K = pick();
      expectMatmulMatchesReference(set, form, M, N, K, rng);
    }
  });
}

// Every register block of the outer-product kernel and its edges, one by one: one row of out (strips of
// 24, 16, 8 and 4 columns), the four-row blocks of the last N mod 16 columns, and the single columns.
for (const form of ['matmulAB', 'matmulAtB'] as Form[]) for (const set of WASM_SETS) {
  test(`${form}: ${set.name} equals the reference on one row and on every column tail`, () => {
    const rng = Rng.fromSeed(11);
    for (const M of [1, 2, 3, 4, 5, 9]) for (const N of [3, 4, 8, 12, 16, 20, 24, 28, 36, 44, 100]) for (const K of [1, 25]) {
      expectMatmulMatchesReference(set, form, M, N, K, rng);
    }
  });
}

test('WebAssembly matmuls fall back to the loop kernels for arrays outside an arena', () => {
  const a = Float32Array.from([1, 2, 3, 4]), b = Float32Array.from([5, 6, 7, 8]), out = new Float32Array(4);
  wasmKernels.matmulAB(out, a, b, 2, 2, 2);
  assert.deepEqual(Array.from(out), [19, 22, 43, 50]);
});

test('exp, tanh and sigmoid approximations stay within float32 error bounds', () => {
  const n = 20001;
  const ar = arena(4 * n + 64);
  const x = ar.floats(n), out = ar.floats(n);
  for (let i = 0; i < n; i++) x[i] = -20 + (40 * i) / (n - 1);
  x[1] = 1e-6; x[2] = -3e-5; x[3] = 0.6249; x[4] = 0.6251; x[5] = 0;
  const check = (f: number, label: string, exact: (v: number) => number, rel: number, abs: number) => {
    ar.x.mapApprox(out.byteOffset, x.byteOffset, n - 3, f); // n − 3: the last three run the scalar tail
    ar.x.mapApprox(out.byteOffset + 4 * (n - 3), x.byteOffset + 4 * (n - 3), 3, f);
    expectClose(label, out, Array.from(x, exact), rel, abs);
  };
  check(0, 'exp', Math.exp, 4e-7, 0);
  check(1, 'tanh', Math.tanh, 5e-7, 1e-8);
  check(2, 'sigmoid', (v) => 1 / (1 + Math.exp(-v)), 5e-7, 1e-10);
  // Far out, saturation without overflow; NaN stays NaN.
  x.set([1000, -1000, NaN, 88.5, -88.5]);
  ar.x.mapApprox(out.byteOffset, x.byteOffset, 5, 1);
  assert.deepEqual(Array.from(out.subarray(0, 3)), [1, -1, NaN]);
  ar.x.mapApprox(out.byteOffset, x.byteOffset, 5, 2);
  assert.deepEqual(Array.from(out.subarray(0, 3), (v) => Math.round(v * 1e6) / 1e6), [1, 0, NaN]);
  ar.x.mapApprox(out.byteOffset, x.byteOffset, 5, 0);
  assert.ok(Number.isFinite(out[0]) && out[0] > 1e38 && out[1] >= 0 && out[1] < 1e-37 && Number.isNaN(out[2]));
});

// Shapes chosen to hit SIMD tails (H not a multiple of 4, odd batches), stacked layers, and
// both ways of gathering the one-hot input (few rows: columns; many rows: a transposed copy).
const NETWORK_SHAPES: [batch: number, hidden: number, layers: number, T: number][] = [[1, 16, 1, 7], [3, 30, 2, 5], [4, 33, 1, 9], [16, 20, 1, 6]];

for (const cell of CELL_TYPES) for (const set of WASM_SETS) {
  test(`${cell}: the network on ${set.name} equals it on the TypeScript loops (loss, logits, state, every gradient)`, () => {
    const rng = Rng.fromSeed(11);
    for (const [B, H, L, T] of NETWORK_SHAPES) {
      const V = 23, model = { cell, vocabSize: V, hiddenSize: H, layers: L };
      const P = paramLayout(model).size;
      const params = fillRandom(new Float32Array(P), rng, 0.4);
      const inputs = Int32Array.from({ length: T * B }, () => Math.floor(rng.nextFloat() * V));
      const targets = Int32Array.from({ length: T * B }, () => Math.floor(rng.nextFloat() * V));
      const state0 = fillRandom(new Float32Array(L * B * (cell === 'lstm' ? 2 : 1) * H), rng, 0.5);
      const run = (kernels: typeof loopKernels) => {
        const grads = fillRandom(new Float32Array(P), Rng.fromSeed(3), 0.1); // backward accumulates onto these
        const net = new Network(model, params, grads, { maxSteps: T + 2, batchSize: B, kernels });
        const state = Float32Array.from(state0);
        const loss = net.forward(inputs, targets, state, T);
        const probs = Float32Array.from(net.logits.subarray(0, T * B * V));
        net.backward();
        return { loss, probs, state, grads, name: net.kernelsName };
      };
      const want = run(loopKernels), got = run(set);
      assert.equal(got.name, set.name);
      const label = `${cell} B${B} H${H} L${L} T${T}`;
      expectClose(`${label} loss`, [got.loss], [want.loss], 1e-5);
      expectClose(`${label} probabilities`, got.probs, want.probs, 1e-4, 1e-6);
      expectClose(`${label} state`, got.state, want.state, 1e-4, 1e-6);
      expectClose(`${label} gradients`, got.grads, want.grads, 1e-3, 2e-6);
    }
  });
}

test('optimizers, clipping and the norm in WebAssembly equal the TypeScript ones', () => {
  for (const name of OPTIMIZERS) {
    const n = 1003, mult = name === 'adam' ? 2 : 1;
    const rng = Rng.fromSeed(5);
    const ar = arena(n * (2 + mult) + 64);
    const p = fillRandom(ar.floats(n), rng), g = fillRandom(ar.floats(n), rng, 8), s = ar.floats(n * mult);
    for (let i = 0; i < s.length; i++) s[i] = rng.nextFloat();
    const pJs = Float32Array.from(p), gJs = Float32Array.from(g), sJs = Float32Array.from(s);
    for (let step = 1; step <= 3; step++) {
      fillRandom(g, rng, 8);
      gJs.set(g);
      clipElementwise(g, 5); clipElementwise(gJs, 5);
      assert.deepEqual(g, gJs, 'the element-wise clip is exact');
      expectClose('norm', [l2Norm(g)], [l2Norm(gJs)], 1e-12);
      expectClose('clipped norm', [clipGlobalNorm(g, 10)], [clipGlobalNorm(gJs, 10)], 1e-12);
      expectClose('scaled gradient', g, gJs, 1e-6);
      optimizerStep(name, p, g, s, 0.01, step);
      optimizerStep(name, pJs, gJs, sJs, 0.01, step);
      expectClose(`${name} params`, p, pJs, 1e-6, 1e-7);
      expectClose(`${name} state`, s, sJs, 1e-6, 1e-7);
    }
    g.set([NaN, Infinity, -Infinity, 7, -7]);
    clipElementwise(g, 5);
    assert.deepEqual(Array.from(g.subarray(0, 5)), [NaN, 5, -5, 5, -5], 'NaN survives the clip, so a diverged step is still caught');
    assert.ok(Number.isNaN(l2Norm(g)));
  }
});

test('the step\'s clips in one pass (clipGradients) give the bits of clipElementwise then clipGlobalNorm', () => {
  const rng = Rng.fromSeed(9);
  for (const n of [1, 3, 4, 7, 1003]) for (const maxNorm of [0, 10, 1e9]) for (const special of [false, true]) {
    const ar = arena(2 * n + 64);
    const fused = fillRandom(ar.floats(n), rng, 8), twoCalls = ar.floats(n);
    if (special) fused[n - 1] = NaN; // the tail's NaN, and the body's below, must survive both
    if (special && n > 4) fused[1] = Infinity;
    twoCalls.set(fused);
    const norm = clipGradients(fused, 5, maxNorm);
    clipElementwise(twoCalls, 5);
    assert.equal(norm, clipGlobalNorm(twoCalls, maxNorm), `norm, n ${n}`);
    assert.deepEqual(fused, twoCalls, `gradient, n ${n}`);
    if (special) assert.ok(Number.isNaN(norm), 'a NaN gradient gives a NaN norm, so the step is refused');
  }
  const plain = Float32Array.from([6, -7, 3, 4]); // outside an arena: the TypeScript loops
  assert.equal(clipGradients(plain, 5, 0), Math.sqrt(25 + 25 + 9 + 16));
  assert.deepEqual(Array.from(plain), [5, -5, 3, 4]);
});

for (const set of WASM_SETS) test(`training on ${set.name} follows training on the TypeScript kernels, with every optimizer and cell`, () => {
  const text = 'the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. '.repeat(8);
  for (const cell of CELL_TYPES) {
    for (const optimizer of OPTIMIZERS) {
      const training = { ...SEED_TRAINING, seqLength: 8, batchSize: 3, optimizer, learningRate: optimizer === 'adagrad' ? 0.1 : 0.01, valFraction: 0 };
      const corpus = prepareCorpus(text, training);
      const model = { cell, vocabSize: corpus.vocab.size, hiddenSize: 12, layers: 2 };
      const losses: number[][] = [];
      const finals: Float32Array[] = [];
      for (const kernels of [loopKernels, set]) {
        const state = createTrainingState(model, training, corpus.vocab);
        const trainer = new Trainer(state, corpus, kernels);
        losses.push(Array.from({ length: 15 }, () => trainer.step().loss));
        finals.push(Float32Array.from(state.params));
        assert.equal(state.params.length, paramLayout(model).size);
      }
      expectClose(`${cell}/${optimizer} losses`, losses[1], losses[0], 1e-4);
      expectClose(`${cell}/${optimizer} final params`, finals[1], finals[0], 1e-3, 1e-4);
    }
  }
});

test('evaluateLoss gives the same number on either kernel set', () => {
  const text = 'abracadabra, said the wizard; abracadabra said the owl. '.repeat(5);
  const training = { ...SEED_TRAINING, seqLength: 10, valFraction: 0 };
  const corpus = prepareCorpus(text, training);
  const model = { cell: 'gru' as const, vocabSize: corpus.vocab.size, hiddenSize: 10, layers: 1 };
  const state = createTrainingState(model, training, corpus.vocab);
  const a = evaluateLoss(model, state.params, corpus.train, loopKernels, 37);
  const b = evaluateLoss(model, state.params, corpus.train, wasmKernels, 37);
  expectClose('eval loss', [b], [a], 1e-5);
});

test('sampling on WebAssembly writes the same text as on the TypeScript kernels', () => {
  const text = 'the quick brown fox jumps over the lazy dog. '.repeat(20);
  const training = { ...SEED_TRAINING, seqLength: 10, valFraction: 0 };
  const corpus = prepareCorpus(text, training);
  const state = createTrainingState({ cell: 'rnn', vocabSize: corpus.vocab.size, hiddenSize: 16, layers: 1 }, training, corpus.vocab);
  const trainer = new Trainer(state, corpus, loopKernels);
  for (let i = 0; i < 60; i++) trainer.step();
  for (const opts of [{ length: 200, prime: 'the ', temperature: 0.8, seed: 9 }, { length: 100, argmax: true, seed: 1 }]) {
    const a = sampleText(state.model, state.params, state.vocab, opts, undefined, loopKernels);
    const b = sampleText(state.model, state.params, state.vocab, opts, undefined, wasmKernels);
    assert.equal(b, a);
  }
});

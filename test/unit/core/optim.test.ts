// Optimizers: one step of each against its formula, written out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { optimizerStep, optimizerStateMultiple } from '../../../core/optim.js';
import { expectClose } from '../../helpers/close.js';

const p0 = [0.5, -1, 2], g = [0.1, -3, 0];

test('adagrad: mem += g²; p −= lr·g/√(mem+1e-8)', () => {
  const p = Float64Array.from(p0), mem = Float64Array.from([1, 0, 0]);
  optimizerStep('adagrad', p, Float64Array.from(g), mem, 0.1, 1);
  expectClose('mem', mem, [1.01, 9, 0], 1e-15);
  expectClose('p', p, [0.5 - 0.1 * 0.1 / Math.sqrt(1.01 + 1e-8), -1 + 0.3 / Math.sqrt(9 + 1e-8), 2], 1e-15);
});

test('rmsprop: cache = 0.9·cache + 0.1·g²; p −= lr·g/(√cache + 1e-8)', () => {
  const p = Float64Array.from(p0), c = Float64Array.from([1, 0, 0]);
  optimizerStep('rmsprop', p, Float64Array.from(g), c, 0.01, 1);
  const want = [0.9 + 0.1 * 0.01, 0.9, 0];
  expectClose('cache', c, want, 1e-15);
  expectClose('p', p, [0.5 - 0.01 * 0.1 / (Math.sqrt(want[0]) + 1e-8), -1 + 0.03 / (Math.sqrt(0.9) + 1e-8), 2], 1e-15);
});

test('adam: two steps with bias correction', () => {
  assert.equal(optimizerStateMultiple('adam'), 2);
  const p = Float64Array.from(p0), s = new Float64Array(6), gr = Float64Array.from(g);
  const lr = 0.002, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const m = [0, 0, 0], v = [0, 0, 0], want = [...p0];
  for (let step = 1; step <= 2; step++) {
    optimizerStep('adam', p, gr, s, lr, step);
    for (let i = 0; i < 3; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      want[i] -= lr * (m[i] / (1 - b1 ** step)) / (Math.sqrt(v[i] / (1 - b2 ** step)) + eps);
    }
  }
  expectClose('m', s.subarray(0, 3), m, 1e-14);
  expectClose('v', s.subarray(3), v, 1e-14);
  expectClose('p', p, want, 1e-14);
});

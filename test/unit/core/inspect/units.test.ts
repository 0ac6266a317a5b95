// Interesting units: text features and the ranking of units against them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlation, interestingUnits, textFeatures } from '../../../../core/inspect/units.js';
import type { Activations } from '../../../../core/inspect/activations.js';

test('text features: quotes, brackets, column, after a space, word starts', () => {
  const chars = [...'a "b c" (d)\nxy'];
  const f = textFeatures(chars);
  assert.deepEqual(Array.from(f['inside-quotes']), [0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(f['inside-brackets']), [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(f['position-in-line']), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2]);
  assert.deepEqual(Array.from(f['after-space']), [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(f['word-start']), [1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]);
});

test('correlation is Pearson r and 0 for a constant series', () => {
  assert.ok(Math.abs(correlation([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
  assert.ok(Math.abs(correlation([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  assert.equal(correlation([1, 1, 1], [1, 2, 3]), 0);
});

test('the unit built to track quotes ranks first, with its feature; a negated one keeps its sign', () => {
  const chars = [...'he said "go home" and then "stay" but (not) now\n'.repeat(5)];
  const n = chars.length, H = 4;
  const f = textFeatures(chars);
  const values = new Float32Array(2 * n * H);
  for (let t = 0; t < n; t++) {
    values[(0 * n + t) * H + 0] = Math.sin(t * 0.7);                          // noise-like
    values[(0 * n + t) * H + 2] = 0.9 * f['inside-quotes'][t] + 0.1 * Math.cos(t); // the quote cell
    values[(1 * n + t) * H + 1] = -f['position-in-line'][t] / 50;           // a line-length cell, negated
  }
  const acts: Activations = { values, layers: 2, hiddenSize: H, length: n, part: 'h' };
  const ranked = interestingUnits(acts, chars, 3);
  assert.deepEqual(ranked.slice(0, 2).map((u) => [u.layer, u.unit, u.feature]).sort(), [[0, 2, 'inside-quotes'], [1, 1, 'position-in-line']].sort());
  const lineCell = ranked.find((u) => u.layer === 1 && u.unit === 1)!;
  assert.ok(Math.abs(lineCell.correlation + 1) < 1e-6, `r = ${lineCell.correlation}`);
  assert.ok(ranked.every((u) => !(u.layer === 0 && u.unit === 1)), 'a unit that never changes is not ranked');
});

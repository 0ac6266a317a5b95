// Iteration tick labels: short (20k, 1.25M) and never the same twice however far the axis is zoomed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatElapsedTick, formatIterationTick } from '../../../renderer/src/lib/chart/ticks.js';

function labels(from: number, step: number, n = 6): string[] {
  return Array.from({ length: n }, (_, i) => formatIterationTick(from + i * step, step, 'en-US'));
}

test('whole-run ticks are short', () => {
  assert.deepEqual(labels(0, 2000), ['0', '2,000', '4,000', '6,000', '8,000', '10k']);
  assert.deepEqual(labels(0, 500_000, 4), ['0', '500k', '1M', '1.5M']);
});

test('zoomed ticks keep enough digits to stay distinct', () => {
  for (const [from, step] of [[12_300, 5], [12_300, 1], [1_234_500, 20], [1_234_500, 2], [20_000, 50], [3_000_000, 100]]) {
    const ls = labels(from, step);
    assert.equal(new Set(ls).size, ls.length, `${from} step ${step}: ${ls.join(' ')}`);
  }
  assert.deepEqual(labels(12_300, 20, 3), ['12.3k', '12.32k', '12.34k']);
});

test('a decimal comma where the locale uses one', () => {
  assert.equal(formatIterationTick(12_340, 10, 'de-DE'), '12,34k');
});

test('training-time ticks: seconds under a minute (with the decimals the step needs), then a clock', () => {
  assert.deepEqual([0, 0.5, 1, 1.5].map((s) => formatElapsedTick(s, 0.5, 'en-US')), ['0 s', '0.5 s', '1 s', '1.5 s']);
  assert.deepEqual([0, 20, 40].map((s) => formatElapsedTick(s, 20, 'en-US')), ['0 s', '20 s', '40 s']);
  assert.deepEqual([60, 90, 3600, 3725].map((s) => formatElapsedTick(s, 30, 'en-US')), ['1:00', '1:30', '1:00:00', '1:02:05']);
});

test('one axis never mixes 9,000 with 10k: its largest tick picks the style', () => {
  const ticks = [7000, 8000, 9000, 10000, 11000];
  const labels = ticks.map((t) => formatIterationTick(t, 1000, 'en-US', 11000));
  assert.deepEqual(labels, ['7k', '8k', '9k', '10k', '11k']);
  // without the axis's largest tick, each label picks its own (the old mix)
  assert.equal(formatIterationTick(9000, 1000, 'en-US'), '9,000');
});

// The CLI's progress output says "Overfitting: …" once, with core's rule, when validation rises past its best.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { textReporter } from '../../../main/cli/report.js';
import type { ProgressReport } from '../../../main/training/training-loop.js';

function report(iter: number, smoothLoss: number, valLoss: number | null): ProgressReport {
  return { iter, epoch: 1, loss: smoothLoss, rawLoss: smoothLoss, smoothLoss, valLoss, bestValLoss: null, charsPerSec: 1000, charsSeen: iter * 25 };
}

test('train prints the overfitting line once, after the progress line that made the rule hold', () => {
  const lines: string[] = [];
  const reporter = textReporter((line) => lines.push(line));
  const val = [2.6, 2.2, 2.03, 2.3, 2.8, 3.5, 4.0];
  val.forEach((v, i) => {
    reporter.progress(report(i * 1000 + 100, 3 - 0.2 * i, null));   // reports between measurements say nothing of it
    reporter.progress(report((i + 1) * 1000, 3 - 0.2 * i, v));
  });
  const said = lines.filter((l) => l.startsWith('Overfitting:'));
  assert.equal(said.length, 1, lines.join('\n'));
  assert.match(said[0], /validation loss 3\.500 nats\/char is 72% above its best, 2\.030 at iteration 3,000/);
  assert.match(lines[lines.indexOf(said[0]) - 1], /^iter 6000, /, 'right after the progress line of the measurement that made it hold');
});

test('a run that keeps improving never prints it', () => {
  const lines: string[] = [];
  const reporter = textReporter((line) => lines.push(line));
  for (let i = 0; i < 10; i++) reporter.progress(report((i + 1) * 1000, 3 - 0.1 * i, 2.8 - 0.1 * i));
  assert.equal(lines.filter((l) => l.includes('Overfitting')).length, 0);
});

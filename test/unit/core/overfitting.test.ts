// The overfitting rule: validation well above its best for several measurements while training keeps falling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeOverfitting, detectOverfitting, OVERFITTING_RULE, type ValidationPoint } from '../../../core/overfitting.js';

/** Measurements every 1000 iterations: training falls steadily; validation follows `val`. */
function run(val: number[], train = (i: number) => 3 - 0.2 * i): ValidationPoint[] {
  return val.map((v, i) => ({ iter: (i + 1) * 1000, trainLoss: train(i), valLoss: v }));
}

test('a run whose validation rose well past its best for three measurements while training fell is overfitting', () => {
  // the GRU-128: best 2.03, then up towards 4.4
  const o = detectOverfitting(run([2.6, 2.2, 2.03, 2.3, 2.8, 3.5]));
  assert.ok(o);
  assert.equal(o.bestIteration, 3000);
  assert.equal(o.bestValLoss, 2.03);
  assert.equal(o.latestIteration, 6000);
  assert.equal(o.latestValLoss, 3.5);
  assert.ok(o.latestTrainLoss < o.trainLossAtBest);
  const line = describeOverfitting(o);
  assert.match(line, /^Overfitting: validation loss 3\.500 nats\/char is 72% above its best, 2\.030 at iteration 3,000/);
  assert.match(line, /Stop and keep the best model, or train a smaller model/);
  assert.match(describeOverfitting(o, { name: 'bits/char', perNat: 1 / Math.LN2 }), /validation loss 5\.049 bits\/char/);
});

test('still improving, or a rise too short or too small, is not overfitting', () => {
  assert.equal(detectOverfitting(run([2.6, 2.4, 2.2, 2.1, 2.0, 1.9])), null, 'validation still falling');
  assert.equal(detectOverfitting(run([2.6, 2.2, 2.03, 2.5, 2.6])), null, 'only two measurements past the best');
  assert.equal(detectOverfitting(run([2.6, 2.2, 2.03, 2.5, 2.6, 2.1])), null, 'the latest is back near the best');
  assert.equal(detectOverfitting(run([2.6, 2.2, 2.03, 2.1, 2.15, 2.2])), null, 'under 10% above the best');
  assert.equal(detectOverfitting(run([2.6])), null, 'one measurement');
  assert.equal(detectOverfitting([]), null, 'none');
});

test('validation rising while training rises too is not overfitting (the run is diverging or the rate is too high)', () => {
  const rising = (i: number) => 2 + 0.1 * i;
  assert.equal(detectOverfitting(run([2.6, 2.2, 2.03, 2.3, 2.8, 3.5], rising)), null);
});

test('the rule is one place: its thresholds change the verdict', () => {
  const points = run([2.6, 2.2, 2.03, 2.3, 2.8, 3.5]);
  assert.deepEqual(OVERFITTING_RULE, { rise: 0.1, sustained: 3 });
  assert.equal(detectOverfitting(points, { rise: 0.2, sustained: 3 }), null, '2.3 is under 20% above 2.03');
  assert.ok(detectOverfitting(points, { rise: 0.2, sustained: 2 }));
  // points without a finite validation loss (not measured) are skipped, not read as 0
  const withGaps = points.flatMap((p) => [p, { iter: p.iter + 500, trainLoss: p.trainLoss, valLoss: NaN }]);
  assert.equal(detectOverfitting(withGaps)?.bestIteration, 3000);
});

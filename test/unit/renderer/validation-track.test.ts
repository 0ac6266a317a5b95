// The renderer's one source of "best validation" and of the overfitting verdict, read from the chart's history.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LossPoint } from '../../../core/history.js';
import { appendPoints, emptyHistory } from '../../../renderer/src/lib/state/loss-history.js';
import { ValidationTrack } from '../../../renderer/src/lib/state/validation-track.js';

/** A run that overfits: validation best at iteration 200, then 30% worse; the raw training loss keeps falling. */
function overfittingRun(withRaw: boolean): LossPoint[] {
  return [100, 200, 300, 400, 500, 600].map((iter, i) => ({
    iter,
    loss: 3.5 - i * 0.1,                       // the seed's slow running loss, still near log(V)
    ...(withRaw ? { raw: 1.2 - i * 0.15 } : {}),
    valLoss: [1.4, 1.0, 1.31, 1.32, 1.35, 1.4][i],
  }));
}

describe('validation track', () => {
  test('the overfitting verdict names the training loss the chart shows (the raw mean), not the seed\'s lagging one', () => {
    const v = new ValidationTrack().summarise(appendPoints(emptyHistory(), overfittingRun(true)));
    assert.deepEqual(v.best, { iteration: 200, valLoss: 1.0 });
    assert.ok(v.overfitting, 'three measurements 30% above the best while training falls');
    assert.ok(Math.abs(v.overfitting.latestTrainLoss - (1.2 - 5 * 0.15)) < 1e-12, `latest training loss ${v.overfitting.latestTrainLoss}`);
    assert.ok(Math.abs(v.overfitting.trainLossAtBest - (1.2 - 0.15)) < 1e-12);
  });

  test('points without a raw loss (older checkpoints) fall back to the running loss', () => {
    const v = new ValidationTrack().summarise(appendPoints(emptyHistory(), overfittingRun(false)));
    assert.ok(v.overfitting);
    assert.ok(Math.abs(v.overfitting.latestTrainLoss - (3.5 - 5 * 0.1)) < 1e-12);
  });

  test('read incrementally: a longer history extends the verdict, another run starts it again', () => {
    const track = new ValidationTrack();
    const run = overfittingRun(true);
    const first = appendPoints(emptyHistory(), run.slice(0, 3));
    assert.equal(track.summarise(first).overfitting, null, 'one measurement above the best is not a trend');
    assert.ok(track.summarise(appendPoints(first, run.slice(3))).overfitting);
    assert.equal(track.summarise(appendPoints(emptyHistory(), run.slice(0, 2))).overfitting, null, 'a new run is read from its start');
  });
});

// What the loss chart hands to Chart.js, without Chart.js or a DOM: following a run, thinning past the
// cap (in one go or bit by bit, the same points), zoomed ranges at full resolution, and nats ↔ bits.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LossPoint } from '../../../core/history.js';
import { ChartFeed } from '../../../renderer/src/lib/chart/chart-feed.js';
import { comparisonLine } from '../../../renderer/src/lib/chart/comparison-line.js';
import { MAX_CHART_POINTS, type XY } from '../../../renderer/src/lib/chart/point-arrays.js';
import { DEFAULT_SMOOTHING, DebiasedSmoother } from '../../../renderer/src/lib/chart/smoothing.js';
import { lossIn } from '../../../renderer/src/lib/format.js';
import { appendPoints, emptyHistory, historyFrom, type LossHistory } from '../../../renderer/src/lib/state/loss-history.js';

/** n points every 10 iterations after `from`; a validation loss every 100 iterations. */
function run(n: number, from = 0): LossPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const iter = from + (i + 1) * 10;
    return iter % 100 === 0 ? { iter, loss: 3 + 1 / iter, valLoss: 3.5 } : { iter, loss: 3 + 1 / iter };
  });
}

function ascending(points: XY[]): boolean {
  return points.every((p, i) => i === 0 || p.x > points[i - 1].x);
}

describe('renderer chart feed', () => {
  test('takes a history, then follows it: the same arrays, extended', () => {
    const feed = new ChartFeed();
    const { train, val } = feed;
    let h = historyFrom(run(25));
    assert.equal(feed.take(h), true, 'a new run replaces what was shown');
    assert.equal(feed.pointCount, 25);
    assert.deepEqual(train.slice(0, 2), [{ x: 10, y: 3 + 1 / 10 }, { x: 20, y: 3 + 1 / 20 }]);
    assert.deepEqual(val.map((p) => p.x), [100, 200]);
    h = appendPoints(h, run(5, 250));
    assert.equal(feed.take(h), false, 'an extension is followed');
    assert.equal(train, feed.train, 'Chart.js keeps holding the very same arrays');
    assert.equal(train.length, 30);
    assert.deepEqual(val.map((p) => p.x), [100, 200, 300]);
    assert.equal(feed.pointCount, 30);
    assert.ok(ascending(train));
  });

  test('a replaced history (a new run, or a shorter one) is loaded afresh', () => {
    const feed = new ChartFeed();
    feed.take(historyFrom(run(40)));
    assert.equal(feed.take(historyFrom(run(3))), true);
    assert.deepEqual(feed.train.map((p) => p.x), [10, 20, 30]);
    assert.equal(feed.take(emptyHistory()), true);
    assert.equal(feed.train.length, 0);
    assert.equal(feed.pointCount, 0);
  });

  test(`past ${MAX_CHART_POINTS.toLocaleString('en-US')} points: every 2nd, 4th, … point, from the first to the newest`, () => {
    const count = 3 * MAX_CHART_POINTS + 7;
    const feed = new ChartFeed();
    feed.take(historyFrom(run(count)));
    assert.equal(feed.pointCount, count, 'every point is taken in');
    assert.ok(feed.train.length <= MAX_CHART_POINTS + 1, `${feed.train.length} points handed to Chart.js`);
    assert.ok(feed.train.length > MAX_CHART_POINTS / 2);
    assert.equal(feed.train[0].x, 10, 'the first point stays');
    assert.equal(feed.train.at(-1)!.x, count * 10, 'the newest point is always shown');
    assert.ok(ascending(feed.train));
    const stride = (feed.train[1].x - feed.train[0].x) / 10;
    assert.equal(stride, 4, 'the next power of two that fits');
    assert.equal(feed.val.length, count / 10 | 0, 'validation points are few: none is thinned');
  });

  test('thinning bit by bit, as progress arrives, gives the same points as all at once', () => {
    const all = run(2 * MAX_CHART_POINTS + 333);
    const whole = new ChartFeed();
    whole.take(historyFrom(all));
    const live = new ChartFeed();
    let h = emptyHistory();
    live.take(h);
    for (let i = 0; i < all.length; i += 997) {
      h = appendPoints(h, all.slice(i, i + 997));
      live.take(h);
      assert.ok(live.train.length <= MAX_CHART_POINTS + 1);
      assert.equal(live.train.at(-1)!.x, all[Math.min(i + 997, all.length) - 1].iter, 'the newest point is shown');
    }
    assert.deepEqual(live.train, whole.train);
    assert.deepEqual(live.val, whole.val);
  });

  test('a zoomed range is shown at full resolution, keeps still while the run grows, and Show all follows again', () => {
    const feed = new ChartFeed();
    let h: LossHistory = historyFrom(run(4 * MAX_CHART_POINTS));
    feed.take(h);
    feed.showRange(100_000, 101_000);              // iterations: 100 points wide, as much again on each side
    const xs = feed.train.map((p) => p.x);
    assert.ok(xs.length >= 300 && xs.length < 310, `${xs.length} points`);
    assert.ok(xs.every((x, i) => i === 0 || x - xs[i - 1] === 10), 'every point of the range');
    assert.equal(feed.pointCount, h.length);
    h = appendPoints(h, run(100, h.columns.iters[h.length - 1]));
    feed.take(h);
    assert.deepEqual(feed.train.map((p) => p.x), xs, 'a zoomed view stays as it is');
    feed.showAll();
    assert.equal(feed.train.at(-1)!.x, h.columns.iters[h.length - 1]);
    assert.ok(feed.train.length <= MAX_CHART_POINTS + 1);
    feed.showRange(-1, Infinity);                  // wider than the run: the whole run
    assert.equal(feed.train.at(-1)!.x, h.columns.iters[h.length - 1]);
  });

  test('nats ↔ bits: every shown loss is scaled, new points arrive in the unit shown, and back is the same', () => {
    const feed = new ChartFeed();
    let h = historyFrom(run(30));
    feed.take(h);
    const nats = feed.train.map((p) => p.y);
    feed.setFactor(lossIn(1, 'bits'));
    feed.train.forEach((p, i) => assert.ok(Math.abs(p.y - nats[i] / Math.LN2) < 1e-12));
    assert.ok(Math.abs(feed.val[0].y - 3.5 / Math.LN2) < 1e-12);
    h = appendPoints(h, [{ iter: 1000, loss: 2 * Math.LN2 }]);
    feed.take(h);
    assert.ok(Math.abs(feed.train.at(-1)!.y - 2) < 1e-12, 'a new point in bits');
    feed.setFactor(lossIn(1, 'nats'));
    feed.train.slice(0, 30).forEach((p, i) => assert.ok(Math.abs(p.y - nats[i]) < 1e-12));
  });

  test('bias-corrected smoothing: starts at the data, follows a constant exactly, and equals 1 − βᵗ debiasing on even steps', () => {
    const sm = new DebiasedSmoother(0.9);
    assert.equal(sm.next(10, 4), 4, 'the first point is the data, not a blend with zero (or with ln V)');
    for (let i = 2; i <= 50; i++) assert.ok(Math.abs(sm.next(i * 10, 4) - 4) < 1e-12, 'a constant stays put');
    // by hand: ema_t = β ema + (1 − β) y, shown as ema_t / (1 − βᵗ)
    const ys = [5, 3, 4, 2, 2.5];
    const s2 = new DebiasedSmoother(0.8);
    let ema = 0;
    ys.forEach((y, t) => {
      ema = 0.8 * ema + 0.2 * y;
      assert.ok(Math.abs(s2.next((t + 1) * 10, y) - ema / (1 - 0.8 ** (t + 1))) < 1e-12);
    });
    const none = new DebiasedSmoother(0);
    assert.equal(none.next(10, 3), 3);
    assert.equal(none.next(20, 1), 1, 'smoothing 0 is the raw line');
  });

  test('the smoothed line follows the raw loss (not the seed\'s running average), on the same x; the best validation is tracked', () => {
    const points: LossPoint[] = Array.from({ length: 200 }, (_, i) => {
      const iter = (i + 1) * 10;
      const raw = 1 + 2 * Math.exp(-iter / 300);
      // the seed's average starts at ln V (here 4) and lags far behind
      return { iter, loss: 4 * 0.999 ** iter + raw * (1 - 0.999 ** iter), raw, ...(iter % 200 === 0 ? { valLoss: raw + (iter === 1200 ? -0.5 : 0.1) } : {}) };
    });
    const feed = new ChartFeed();
    feed.take(historyFrom(points));
    assert.deepEqual(feed.smooth.map((p) => p.x), feed.train.map((p) => p.x));
    assert.deepEqual(feed.train.map((p) => p.y), points.map((p) => p.raw), 'the faint line is the raw loss');
    const last = feed.smooth.at(-1)!.y;
    assert.ok(Math.abs(last - points.at(-1)!.raw!) < 0.01, `smoothed ${last} is near the raw loss`);
    assert.ok(points.at(-1)!.loss - last > 0.3, 'and well below the seed\'s lagging average');
    assert.deepEqual(feed.best, { x: 1200, y: points[119].raw! - 0.5 });
    const before = feed.smooth.map((p) => p.y);
    feed.setSmoothing(0);
    assert.deepEqual(feed.smooth.map((p) => p.y), feed.train.map((p) => p.y), 'no smoothing: the raw line');
    feed.setSmoothing(0.9);
    feed.smooth.forEach((p, i) => assert.ok(Math.abs(p.y - before[i]) < 1e-12, 'the same again'));
  });

  test('lastSmoothed (the stats\' figure) is where the smoothed line ends, in nats whatever the unit shown', () => {
    const feed = new ChartFeed();
    assert.equal(feed.lastSmoothed, null, 'no point yet');
    feed.take(historyFrom(run(50).map((p) => ({ ...p, raw: p.loss - 1 }))));
    const end = feed.lastSmoothed!;
    assert.equal(end, feed.smooth.at(-1)!.y);
    feed.setFactor(lossIn(1, 'bits'));
    assert.equal(feed.lastSmoothed, end);
    feed.setSmoothing(0);
    assert.equal(feed.lastSmoothed, run(50).at(-1)!.loss - 1, 'unsmoothed: the last raw point');
  });

  test('x axis by epoch or time: each point at its epoch or seconds; points from before they were recorded are left out; back by iteration', () => {
    // 30 older points (an old checkpoint's) with neither, then 70 with both
    const points: LossPoint[] = run(100).map((p, i) => (i < 30 ? p : { ...p, epoch: p.iter / 400, elapsedMs: p.iter * 20 }));
    const feed = new ChartFeed();
    feed.take(historyFrom(points.slice(0, 40)));
    feed.setXAxis('epoch');
    assert.equal(feed.best, null, 'the best validation so far (iteration 100) has no epoch: no marker');
    feed.setXAxis('iteration');
    points[39].valLoss = 3.25;   // a new best at iteration 400
    feed.take(historyFrom(points));
    const byIteration = feed.smooth.map((p) => p.y);
    feed.setXAxis('epoch');
    assert.deepEqual(feed.train.map((p) => p.x), points.slice(30).map((p) => p.iter / 400));
    assert.deepEqual(feed.smooth.map((p) => p.y), byIteration.slice(30), 'the same smoothing, at new x');
    assert.deepEqual(feed.best, { x: 1, y: 3.25 }, 'the best validation (iteration 400) at its epoch');
    assert.equal(feed.readAt(1.26)!.iter, 500, 'the read-out: the nearest point on this axis');
    assert.equal(feed.xOfIteration(800), 2, 'markers at their epoch');
    feed.setXAxis('elapsed');
    assert.deepEqual(feed.val.map((p) => p.x), [8, 10, 12, 14, 16, 18, 20], 'validation points at their seconds');
    const at = feed.readAt(9)!;
    assert.deepEqual([at.iter, at.epoch, at.elapsedMs], [450, 1.125, 9000]);
    feed.showRange(9, 10);
    assert.ok(feed.train.length === 17 && feed.train[0].x === 7.8 && feed.train.at(-1)!.x === 11, 'a zoomed range in seconds (and one more point each side)');
    feed.setXAxis('iteration');
    assert.deepEqual(feed.train.map((p) => p.x), points.map((p) => p.iter), 'every point again, by iteration');
    // new points follow on the axis shown
    feed.setXAxis('epoch');
    const h = appendPoints(feed.history, [{ iter: 1010, loss: 3, epoch: 1010 / 400, elapsedMs: 20_200 }]);
    feed.take(h);
    assert.equal(feed.train.at(-1)!.x, 1010 / 400);
  });

  test('an earlier run\'s line: smoothed as this run\'s, on the axis shown, in the unit shown', () => {
    const points: LossPoint[] = run(50).map((p, i) => (i < 10 ? p : { ...p, epoch: p.iter / 100, elapsedMs: p.iter }));
    const feed = new ChartFeed();
    feed.take(historyFrom(points));
    const line = comparisonLine(historyFrom(points), 'iteration', DEFAULT_SMOOTHING, 1);
    assert.deepEqual(line, feed.smooth.map((p) => ({ ...p })), 'the same as this run\'s smoothed line');
    const byEpoch = comparisonLine(historyFrom(points), 'epoch', 0, lossIn(1, 'bits'));
    assert.equal(byEpoch.length, 40, 'points without an epoch are left out');
    assert.equal(byEpoch[0].x, 1.1);
    assert.ok(Math.abs(byEpoch[0].y - points[10].loss / Math.LN2) < 1e-12, 'no smoothing, in bits: the raw loss ÷ ln 2');
  });
});

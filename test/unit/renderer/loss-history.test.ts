// The renderer's loss history without a DOM: appending (duplicates and earlier iterations dropped),
// views that never change once published, merging a fetched history, markers, and CSV in nats and bits.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LossPoint } from '../../../core/history.js';
import {
  addMarker, appendPoints, emptyHistory, historyFrom, historyToCsv, lastIteration, pointsAfter, withEarlierPoints,
  type LossHistory,
} from '../../../renderer/src/lib/state/loss-history.js';

/** The history's points, read back the way the chart reads them. */
function pointsOf(h: LossHistory): LossPoint[] {
  return pointsAfter(h, -Infinity);
}

const at = (...iters: number[]): LossPoint[] => iters.map((iter) => ({ iter, loss: 4 - iter / 1000 }));

describe('renderer loss history', () => {
  test('an empty history; appending fills the columns, with NaN where no validation loss was measured', () => {
    const empty = emptyHistory();
    assert.equal(empty.length, 0);
    assert.equal(lastIteration(empty), -Infinity);
    const h = appendPoints(empty, [{ iter: 10, loss: 4.1 }, { iter: 20, loss: 4, valLoss: 4.2 }]);
    assert.equal(h.length, 2);
    assert.equal(h.run, empty.run, 'an extension, not a new run');
    assert.deepEqual([...h.columns.iters.subarray(0, 2)], [10, 20]);
    assert.deepEqual([...h.columns.losses.subarray(0, 2)], [4.1, 4]);
    assert.ok(Number.isNaN(h.columns.valLosses[0]));
    assert.equal(h.columns.valLosses[1], 4.2);
    assert.equal(lastIteration(h), 20);
    assert.deepEqual(pointsOf(h), [{ iter: 10, loss: 4.1 }, { iter: 20, loss: 4, valLoss: 4.2 }]);
  });

  test('points at or before the last iteration are dropped, across calls and within one', () => {
    const h = appendPoints(appendPoints(emptyHistory(), at(10, 20, 30)), at(20, 30, 25, 40, 40, 35, 50));
    assert.deepEqual(pointsOf(h).map((p) => p.iter), [10, 20, 30, 40, 50]);
    const same = appendPoints(h, at(10, 50));
    assert.equal(same, h, 'nothing new: the very same history, so nothing redraws');
    // a whole history sent again (a run continued from a checkpoint the chart already shows) adds nothing
    assert.equal(appendPoints(h, pointsOf(h)), h);
  });

  test('published views never change: extending an older view again copies instead of overwriting', () => {
    const base = appendPoints(emptyHistory(), at(1, 2, 3));
    const a = appendPoints(base, at(4, 5));
    const b = appendPoints(base, at(6));        // a second extension of `base`
    assert.deepEqual(pointsOf(a).map((p) => p.iter), [1, 2, 3, 4, 5]);
    assert.deepEqual(pointsOf(b).map((p) => p.iter), [1, 2, 3, 6]);
    assert.deepEqual(pointsOf(base).map((p) => p.iter), [1, 2, 3]);
    assert.notEqual(b.columns, a.columns);
    assert.equal(appendPoints(a, at(7)).columns, a.columns, 'the newest view is extended in place');
  });

  test('the columns grow by doubling and keep every point, past many thousands', () => {
    let h = emptyHistory();
    for (let start = 0; start < 100_000; start += 7_000) {
      h = appendPoints(h, Array.from({ length: 7_000 }, (_, i) => ({ iter: (start + i + 1) * 10, loss: 1 })));
    }
    assert.equal(h.length, 105_000);
    assert.ok(h.columns.iters.length >= h.length && h.columns.iters.length < 2 * h.length + 1024);
    for (let i = 0; i < h.length; i++) if (h.columns.iters[i] !== (i + 1) * 10) assert.fail(`point ${i} is ${h.columns.iters[i]}`);
  });

  test('historyFrom sorts, starts a new run, and carries markers', () => {
    const h = historyFrom(at(30, 10, 20), [{ iter: 30, kind: 'checkpoint' }]);
    assert.deepEqual(pointsOf(h).map((p) => p.iter), [10, 20, 30]);
    assert.deepEqual(h.markers, [{ iter: 30, kind: 'checkpoint' }]);
    assert.notEqual(historyFrom(at(1)).run, historyFrom(at(1)).run);
  });

  test('pointsAfter: strictly after an iteration, with validation losses where measured', () => {
    const h = appendPoints(emptyHistory(), [{ iter: 10, loss: 3 }, { iter: 20, loss: 2, valLoss: 2.5 }, { iter: 30, loss: 1 }]);
    assert.deepEqual(pointsAfter(h, 10), [{ iter: 20, loss: 2, valLoss: 2.5 }, { iter: 30, loss: 1 }]);
    assert.deepEqual(pointsAfter(h, 15).map((p) => p.iter), [20, 30]);
    assert.deepEqual(pointsAfter(h, 30), []);
    assert.deepEqual(pointsAfter(emptyHistory(), 0), []);
  });

  test('withEarlierPoints: a fetched history, then the progress that arrived while it was fetched', () => {
    // a reloaded window: events already brought 110 and 120; the fetched history runs to 110
    const live = addMarker(appendPoints(emptyHistory(), at(110, 120)), { iter: 110, kind: 'resume' });
    const merged = withEarlierPoints(live, at(10, 20, 100, 110));
    assert.deepEqual(pointsOf(merged).map((p) => p.iter), [10, 20, 100, 110, 120]);
    assert.deepEqual(merged.markers, live.markers);
    assert.notEqual(merged.run, live.run, 'a new run for the chart: it redraws from the start');
    // nothing arrived meanwhile: just the fetched history
    assert.deepEqual(pointsOf(withEarlierPoints(emptyHistory(), at(10, 20))).map((p) => p.iter), [10, 20]);
  });

  test('markers: added in order, the same one twice in a row only once', () => {
    let h = appendPoints(emptyHistory(), at(10));
    h = addMarker(h, { iter: 10, kind: 'pause' });
    const again = addMarker(h, { iter: 10, kind: 'pause' });
    assert.equal(again, h);
    h = addMarker(h, { iter: 10, kind: 'resume' });
    assert.deepEqual(h.markers.map((m) => m.kind), ['pause', 'resume']);
  });

  test('CSV: iteration, losses in nats, the same in bits (nats / ln 2), the raw loss last, empty where not measured', () => {
    const h = appendPoints(emptyHistory(), [{ iter: 10, loss: Math.LN2 }, { iter: 20, loss: 2 * Math.LN2, raw: 1.5, valLoss: 3 * Math.LN2 }]);
    const lines = historyToCsv(h).split('\n');
    assert.equal(lines[0], 'iteration,train_loss_nats,val_loss_nats,train_loss_bits,val_loss_bits,raw_train_loss_nats');
    assert.equal(lines[1], '10,0.693147,,1.00000,,');
    assert.equal(lines[2], '20,1.38629,2.07944,2.00000,3.00000,1.50000');
    assert.equal(lines[3], '', 'ends with a newline');
    assert.equal(lines.length, 4);
    assert.equal(historyToCsv(emptyHistory()), 'iteration,train_loss_nats,val_loss_nats,train_loss_bits,val_loss_bits,raw_train_loss_nats\n');
  });
});

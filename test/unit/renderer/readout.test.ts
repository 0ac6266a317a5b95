// The loss chart's words for one point (renderer/src/lib/chart/readout.ts): the read-out line, the tooltip's title and
// footer, and where the keyboard's cursor goes. Numbers are shown in the machine's locale, so the expected text is too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextCursor, readoutText, tooltipFooter, tooltipTitle, type PointReading } from '../../../renderer/src/lib/chart/readout.js';

const n = (v: number) => v.toLocaleString();
const three = (v: number) => v.toLocaleString(undefined, { minimumFractionDigits: 3, maximumFractionDigits: 3 });

const point: PointReading = { iter: 12340, epoch: 1.5, elapsedMs: 90_000, raw: 0.8124, smoothed: 0.79, val: { iter: 12000, loss: 0.7613 } };

test('the read-out names the point, each loss with its unit after it, and the best validation', () => {
  assert.equal(readoutText(point, 'nats', { iter: 9000, loss: 0.75 }),
    `Iteration ${n(12340)} · epoch ${n(1.5)} · time 1:30 · raw ${three(0.812)} · smoothed ${three(0.79)} · validation ${three(0.761)} (at ${n(12000)}) nats` +
    ` · best validation ${three(0.75)} nats at iteration ${n(9000)}`);
  const plain: PointReading = { iter: 50, epoch: null, elapsedMs: null, raw: Math.LN2, smoothed: Math.LN2, val: { iter: 50, loss: 2 * Math.LN2 } };
  assert.equal(readoutText(plain, 'bits', null), `Iteration 50 · raw ${three(1)} · smoothed ${three(1)} · validation ${three(2)} bits`);
});

test('the tooltip title leads with what the x axis counts, where the point records it', () => {
  assert.equal(tooltipTitle(point, 'iteration'), `Iteration ${n(12340)}`);
  assert.equal(tooltipTitle(point, 'epoch'), `Epoch ${n(1.5)} · iteration ${n(12340)}`);
  assert.equal(tooltipTitle(point, 'elapsed'), `Time 1:30 · iteration ${n(12340)}`);
  assert.equal(tooltipTitle({ ...point, epoch: null, elapsedMs: null }, 'epoch'), `Iteration ${n(12340)}`);
});

test('the tooltip footer gives the validation in force, and where it was measured when elsewhere', () => {
  assert.equal(tooltipFooter(point, 'nats'), `Validation loss: 0.761 nats (measured at iteration ${n(12000)})`);
  assert.equal(tooltipFooter({ ...point, val: { iter: 12340, loss: Math.LN2 } }, 'bits'), 'Validation loss: 1.000 bits');
  assert.equal(tooltipFooter({ ...point, val: null }, 'nats'), '');
});

test('the keyboard cursor: arrows a point, pages a tenth, Home and End the ends, clamped; other keys are not its', () => {
  assert.equal(nextCursor('ArrowLeft', null, 100), 99, 'the first Left lands on the newest point');
  assert.equal(nextCursor('ArrowRight', null, 100), 99);
  assert.equal(nextCursor('ArrowLeft', 40, 100), 39);
  assert.equal(nextCursor('PageUp', 40, 100), 30);
  assert.equal(nextCursor('PageDown', 95, 100), 99);
  assert.equal(nextCursor('PageUp', 3, 100), 0);
  assert.equal(nextCursor('Home', 40, 100), 0);
  assert.equal(nextCursor('End', 4, 100), 99);
  assert.equal(nextCursor('ArrowLeft', 0, 5), 0);
  assert.equal(nextCursor('PageUp', 4, 5), 3, 'a page is at least one point');
  assert.equal(nextCursor('Enter', 4, 100), null);
  assert.equal(nextCursor('Home', null, 0), null, 'no points: no cursor');
});

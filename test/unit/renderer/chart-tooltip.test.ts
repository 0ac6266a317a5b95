// The chart's tooltip keeps clear of the best validation's label (issue 18, finding 8): beside the hovered point
// on the side away from the label when it fits, else above or below the label, where there is more room.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clearOfBest, type Box } from '../../../renderer/src/lib/chart/tooltip-position.js';

const chart = { width: 600, chartArea: { top: 10, bottom: 260 } };
const label: Box = { left: 300, top: 100, right: 380, bottom: 115 };
const size = { width: 160, height: 70 };

/** The tooltip's box as Chart.js draws it for a position (caret and padding left out: they only add distance). */
function boxOf(p: ReturnType<typeof clearOfBest>): Box {
  const x = p.xAlign === 'right' ? p.x - size.width : p.xAlign === 'left' ? p.x : p.x - size.width / 2;
  const y = p.yAlign === 'bottom' ? p.y - size.height : p.yAlign === 'top' ? p.y : p.y - size.height / 2;
  return { left: x, top: y, right: x + size.width, bottom: y + size.height };
}
const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

test('no label: Chart.js\'s own position', () => {
  assert.deepEqual(clearOfBest(chart, undefined, { x: 320, y: 105 }, size), { x: 320, y: 105 });
});

test('left of the label: the box goes left; right of it: right; over it: above or below', () => {
  assert.equal(clearOfBest(chart, label, { x: 290, y: 108 }, size).xAlign, 'right');
  assert.equal(clearOfBest(chart, label, { x: 390, y: 108 }, size).xAlign, 'left');
  const over = clearOfBest(chart, label, { x: 340, y: 108 }, size);
  assert.equal(over.yAlign, 'top', 'more room below the label (145 px) than above (90 px)');
  assert.ok(over.y >= label.bottom);
  const high: Box = { left: 300, top: 220, right: 380, bottom: 235 };
  assert.equal(clearOfBest(chart, high, { x: 340, y: 225 }, size).yAlign, 'bottom');
});

test('near the canvas edge the box does not fit beside the label: it goes above or below instead', () => {
  const nearLeft: Box = { left: 100, top: 100, right: 180, bottom: 115 };
  assert.equal(clearOfBest(chart, nearLeft, { x: 90, y: 108 }, size).xAlign, 'center');
  const nearRight: Box = { left: 420, top: 100, right: 500, bottom: 115 };
  assert.equal(clearOfBest(chart, nearRight, { x: 510, y: 108 }, size).xAlign, 'center');
});

test('wherever the pointer is along the label\'s row, the tooltip never covers the label', () => {
  for (let x = 0; x <= 600; x += 5) {
    for (const y of [20, 108, 250]) {
      const p = clearOfBest(chart, label, { x, y }, size);
      assert.equal(overlaps(boxOf(p), label), false, `pointer at ${x},${y}: ${JSON.stringify(p)}`);
    }
  }
});

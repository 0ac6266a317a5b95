// The CLI's progress bar: fraction and ETA from the stopping point, fitted to the terminal, and lines written
// around it land on a clean line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barProgress, ProgressBar, renderBar } from '../../../main/cli/progress-bar.js';

test('iterations: fraction of this run and the time left at its pace (a resumed run counts from where it began)', () => {
  const p = barProgress({ iter: 3000, startIter: 2000, elapsedMs: 10_000, loss: 1 }, { iterations: 6000 });
  assert.equal(p!.fraction, 0.25);
  assert.equal(p!.etaMs, 30_000);
  assert.equal(barProgress({ iter: 2000, startIter: 2000, elapsedMs: 0, loss: 1 }, { iterations: 6000 })!.etaMs, null, 'no pace yet');
});

test('a time limit, and whichever stop comes first; no stop: no bar', () => {
  const both = barProgress({ iter: 100, startIter: 0, elapsedMs: 30_000, loss: 1 }, { iterations: 1000, seconds: 60 });
  assert.equal(both!.fraction, 0.5);
  assert.equal(both!.etaMs, 30_000);
  assert.equal(barProgress({ iter: 100, startIter: 0, elapsedMs: 1, loss: 1 }, {}), null);
});

test('the line: bar, percent, iteration of total, loss, elapsed and ETA, within the terminal width', () => {
  const line = renderBar({ iter: 5200, startIter: 0, elapsedMs: 12_000, loss: 1.23456 }, { iterations: 10_000 }, 100);
  assert.match(line, /^\[█+░+\]  52% iter 5,200\/10,000 · loss 1\.2346 · 0:12 elapsed · ETA 0:11$/);
  assert.ok(line.length <= 99);
  const narrow = renderBar({ iter: 5200, startIter: 0, elapsedMs: 12_000, loss: 1.23456 }, { iterations: 10_000 }, 40);
  assert.ok(narrow.length <= 39, narrow);
  assert.equal(renderBar({ iter: 7, startIter: 0, elapsedMs: 61_000, loss: NaN }, {}, 80), 'iter 7 · loss — · 1:01 elapsed · until Ctrl-C');
});

test('drawn in place with \\r, cleared before other output, and gone for good when done', () => {
  const writes: string[] = [];
  const bar = new ProgressBar({ isTTY: true, columns: 80, write: (s) => writes.push(s) }, { iterations: 100 });
  bar.clear();
  assert.deepEqual(writes, [], 'nothing to clear before the first draw');
  bar.update({ iter: 50, startIter: 0, elapsedMs: 1000, loss: 2 });
  assert.match(writes[0], /^\r\x1b\[K\[/);
  bar.clear();
  assert.equal(writes[1], '\r\x1b[K');
  bar.redraw();
  assert.match(writes[2], /50% iter 50\/100/);
  bar.done();
  bar.redraw();
  assert.equal(writes.length, 4, 'done: cleared, never drawn again');
});

test('a narrow terminal drops whole parts from the end, never half a word (issue 17)', () => {
  for (const columns of [30, 40, 50, 60, 70]) {
    const line = renderBar({ iter: 5200, startIter: 0, elapsedMs: 12_000, loss: 1.23456 }, { iterations: 10_000, seconds: 600 }, columns);
    assert.ok(line.length <= columns - 1, `${columns}: ${line}`);
    const tail = line.replace(/^\[[█░]*\] +/, '');
    assert.match(tail, /^\d+% iter [\d,]+\/10,000( · loss 1\.2346)?( · \d+:\d\d elapsed)?( · ETA \d+:\d\d)?$/, `${columns}: ${JSON.stringify(line)}`);
  }
  assert.match(renderBar({ iter: 5200, startIter: 0, elapsedMs: 12_000, loss: 1.23456 }, { iterations: 10_000 }, 50), /loss 1\.2346 · ETA 0:11$/);
});

test('follow() redraws on a timer with no update from the run (a slow step, --print-every 0)', async () => {
  const writes: string[] = [];
  const bar = new ProgressBar({ isTTY: true, columns: 80, write: (s) => writes.push(s) }, {});
  let iter = 0;
  bar.follow(() => ({ iter: ++iter, startIter: 0, elapsedMs: iter * 1000, loss: 2 }), 5);
  while (!writes.some((w) => /iter 3 /.test(w))) await new Promise((r) => setTimeout(r, 5)); // the timer drew it, nothing else did
  bar.done();
  const drawn = writes.length;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(writes.length, drawn, 'done stops the timer');
});

// The loss chart with a million points: filled through the same window.api event path the backend uses
// (synthetic progress events, since a real run would need hours to make a million points), then measured
// for renderer long tasks while new points keep arriving and while zooming.
import { chartPoints, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

interface LongTask { start: number; duration: number }
interface Globals { __studioLongTasks: LongTask[]; __studioEmit(events: [channel: string, payload: unknown][]): void }

function summarise(label: string, tasks: LongTask[]): number {
  const max = tasks.reduce((m, t) => Math.max(m, t.duration), 0);
  console.log(`[long tasks] ${label}: ${tasks.length} over 50 ms; max ${max.toFixed(0)} ms`);
  return max;
}

test('the loss chart stays responsive with a million points', async ({ studio }) => {
  const { page } = studio;
  const u = ui(page);

  // ---- fill: 1,000,000 points in 100 events of 10,000 (a real event carries a handful) ----
  const fill = await page.evaluate(async () => {
    const g = globalThis as unknown as Globals;
    g.__studioEmit([['training:status', { phase: 'running', corpusPath: null, checkpointPath: null, hyperparameters: null, iteration: 0 }]]);
    g.__studioLongTasks.length = 0;
    let iter = 0;
    for (let e = 0; e < 100; e++) {
      const points: { iter: number; loss: number; valLoss?: number }[] = [];
      for (let k = 0; k < 10_000; k++) {
        iter += 10;
        const loss = 1.2 + 3 * Math.exp(-iter / 1.5e6) + 0.03 * Math.sin(iter / 90_000) + 0.004 * Math.sin(iter / 700);
        points.push(k % 1000 === 0 ? { iter, loss, valLoss: loss + 0.08 } : { iter, loss });
      }
      g.__studioEmit([['training:progress', {
        iteration: iter, epoch: Math.floor(iter / 4000), charsSeen: iter * 25, charsPerSec: 250_000, smoothLoss: points[points.length - 1].loss,
        valLoss: null, bestValLoss: 1.28, elapsedMs: iter / 2, etaMs: null, points,
      }]]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { iter, tasks: g.__studioLongTasks.slice() };
  });
  await expect.poll(() => chartPoints(page)).toBe(1_000_000);
  summarise('filling the chart with 1,000,000 points (100 events of 10,000)', fill.tasks);

  // ---- steady: 3 s of ordinary progress (20 events a second, 5 points each) on top of a million ----
  const steady = await page.evaluate(async (start) => {
    const g = globalThis as unknown as Globals;
    g.__studioLongTasks.length = 0;
    let iter = start;
    for (let e = 0; e < 60; e++) {
      const points = Array.from({ length: 5 }, () => ({ iter: (iter += 10), loss: 1.23 + 0.004 * Math.sin(iter / 700) }));
      g.__studioEmit([['training:progress', {
        iteration: iter, epoch: 250, charsSeen: iter * 25, charsPerSec: 250_000, smoothLoss: points[4].loss,
        valLoss: null, bestValLoss: 1.28, elapsedMs: iter / 2, etaMs: null, points,
      }]]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return g.__studioLongTasks.slice();
  }, fill.iter);
  await expect.poll(() => chartPoints(page)).toBe(1_000_300);
  const steadyMax = summarise('3 s of live progress on top of 1,000,000 points', steady);

  // ---- interaction: wheel zoom, a zoom button, the log scale and a reset ----
  await page.evaluate(() => { (globalThis as unknown as Globals).__studioLongTasks.length = 0; });
  const canvas = u.loss.locator('canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
  for (let i = 0; i < 5; i++) {
    await page.mouse.wheel(0, -200);
    await page.waitForTimeout(60);
  }
  await u.loss.getByRole('button', { name: 'Zoom out' }).click();
  await u.loss.getByRole('button', { name: 'Log scale' }).click();
  await page.waitForTimeout(300);
  await studio.screenshot('11-million-points-zoomed');
  await u.loss.getByRole('button', { name: 'Log scale' }).click();
  await u.loss.getByRole('button', { name: 'Reset zoom' }).click();
  await page.waitForTimeout(300);
  const interaction = await page.evaluate(() => (globalThis as unknown as Globals).__studioLongTasks.slice());
  const interactionMax = summarise('zooming, log scale and reset with 1,000,300 points', interaction);
  await studio.screenshot('12-million-points');

  expect(steadyMax, 'no long task over 500 ms while progress arrives').toBeLessThan(500);
  expect(interactionMax, 'no long task over 500 ms while zooming').toBeLessThan(500);
});

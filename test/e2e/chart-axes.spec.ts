// The chart's x axis by iteration, epoch or training time, and a training time that carries on across
// pause, resume and a reopened checkpoint (each chart point records its epoch and the model's training time).
import { join } from 'node:path';
import { chartGrowsBeyond, chartPoints, pickCorpus, readoutAtLastPoint, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

/** '0:07' or '1:02:03' as seconds. */
function clockSeconds(text: string | null): number {
  const parts = (text ?? '').trim().split(':').map(Number);
  return parts.reduce((s, n) => s * 60 + n, 0);
}

test('x axis by iteration, epoch or time; the training time carries on across pause, resume and a reopened checkpoint', async ({ studio }) => {
  const { page, dialogs, corpora, folder } = studio;
  const u = ui(page);
  const elapsed = page.locator('[data-stat="elapsed"]');
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report).toContainText('tiny-fables.txt');
  await u.startButton.click();
  await expect(u.phase).toHaveText('Training');
  await expect.poll(async () => clockSeconds(await elapsed.textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await u.pauseButton.click();
  await expect(u.phase).toHaveText('Paused');
  const atPause = clockSeconds(await elapsed.textContent());
  await page.waitForTimeout(1500);   // a pause is not training time
  expect(clockSeconds(await elapsed.textContent())).toBe(atPause);
  await u.resumeButton.click();
  await expect(u.phase).toHaveText('Training');
  await expect.poll(async () => clockSeconds(await elapsed.textContent()), { timeout: 30_000 }).toBeGreaterThanOrEqual(atPause + 1);
  await u.pauseButton.click();
  await expect(u.phase).toHaveText('Paused');
  const trained = clockSeconds(await elapsed.textContent());
  expect(trained, 'resumed where it paused, not from zero').toBeGreaterThanOrEqual(atPause + 1);
  expect(trained).toBeLessThan(atPause + 10);

  const canvas = u.loss.locator('canvas');
  const box = (await canvas.boundingBox())!;
  const readout = page.getByTestId('chart-readout');
  const axis = u.loss.getByLabel('X axis');
  /** The read-out at the last point (the run is paused, so it holds still). */
  const readAtEnd = async () =>
    readoutAtLastPoint(page, Number((await page.locator('[data-stat="iteration"]').textContent())?.replace(/,/g, '')) - 9);
  // every point of the live run records its epoch and training time: the read-out shows both
  const byIteration = await readAtEnd();
  expect(byIteration).toMatch(/epoch [\d.]+ · time \d+:\d\d/);
  console.log(`[axes] ${byIteration} · stats: iteration ${await page.locator('[data-stat="iteration"]').textContent()} epoch ${await page.locator('[data-stat="epoch"]').textContent()} elapsed ${trained} · points ${await chartPoints(page)}`);
  // an epoch is one pass over the training text: iterations × 25 characters ÷ (19,716 characters less the 10 % held out)
  const epochAtEnd = Number(/epoch ([\d.]+)/.exec(byIteration)![1]);
  const iterationAtEnd = Number(/Iteration ([\d,]+)/.exec(byIteration)![1].replace(/,/g, ''));
  expect(epochAtEnd).toBeCloseTo((iterationAtEnd * 25) / Math.round(19_716 * 0.9), 1);
  expect(Math.abs(clockSeconds(/time ([\d:]+)/.exec(byIteration)![1]) - trained)).toBeLessThanOrEqual(1);

  await axis.selectOption('epoch');
  await expect(u.loss).toContainText('by epoch');
  await page.waitForTimeout(300);
  // the same last point, now at its epoch
  expect(await readAtEnd()).toBe(byIteration);
  await studio.screenshot('24-chart-by-epoch');
  await axis.selectOption('elapsed');
  await page.waitForTimeout(300);
  expect(await readAtEnd()).toBe(byIteration);
  // the middle of the time axis is about half the training time
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect.poll(async () => /Iteration ([\d,]+)/.exec((await readout.textContent()) ?? '')?.[1]).not.toBe(/Iteration ([\d,]+)/.exec(byIteration)![1]);
  const middle = (await readout.textContent()) ?? '';
  expect(clockSeconds(/time ([\d:]+)/.exec(middle)![1])).toBeLessThanOrEqual(trained);
  await studio.screenshot('25-chart-by-time');

  // ---- stop, save, reopen in a fresh window and continue: the training time goes on from the checkpoint ----
  await u.stopButton.click();
  await expect(u.phase).toHaveText('Stopped');
  const saved = join(folder, 'timed.ckpt');
  dialogs.willSave(saved);
  await u.checkpoints.getByRole('button', { name: 'Export…' }).click();
  await expect(u.toasts).toContainText('timed.ckpt');
  const beforeSave = clockSeconds(await elapsed.textContent());

  await page.reload();
  await expect(u.phase).toBeVisible();
  dialogs.willOpen(saved);
  await u.checkpoints.getByRole('button', { name: 'Open…' }).click();
  await expect(u.toasts).toContainText('Opened timed.ckpt');
  const restored = await chartGrowsBeyond(page, 0);
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.startButton).toHaveText('▶ Continue');
  await u.startButton.click();
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, restored + 5);
  await u.pauseButton.click();
  await expect(u.phase).toHaveText('Paused');
  expect(clockSeconds(await elapsed.textContent()), 'the checkpoint\'s training time goes on').toBeGreaterThanOrEqual(beforeSave);
  // a fresh window shows iterations; by time, the reopened points keep their times and the new ones follow on
  await expect(axis).toHaveValue('iteration');
  await axis.selectOption('elapsed');
  expect(await chartPoints(page)).toBeGreaterThan(restored);
  const continued = await readAtEnd();
  expect(clockSeconds(/time ([\d:]+)/.exec(continued)![1])).toBeGreaterThanOrEqual(beforeSave);
  await studio.screenshot('26-chart-by-time-continued');
});

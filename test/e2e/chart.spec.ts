// The loss chart tells the truth: the raw training loss (faint) under a bias-corrected smoothing that sits
// where the data is — not the seed's running average from ln V — with a smoothing slider, a hover read-out,
// the best validation point, and clean ticks when zoomed. A real run on the real worker.
import { chartGrowsBeyond, pickCorpus, readoutAtLastPoint, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

/** Parse 'Iteration 2,490 · raw 0.812 · smoothed 0.790 · validation 0.761 … nats' (this page's locale: en-US). */
function readoutValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/(Iteration|raw|smoothed|validation) ([\d,.]+)/g)) out[m[1]] = Number(m[2].replace(/,/g, ''));
  return out;
}

test('the chart shows the raw loss, an honest smoothing, a read-out and the best validation point', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report).toContainText('tiny-fables.txt');
  await page.getByLabel('Sample every').fill('200');
  await page.getByLabel('Sample every').blur();
  await u.startButton.click();
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, 250, 60_000);   // 2,500 iterations: the example
  await u.pauseButton.click();
  await expect(u.phase).toHaveText('Paused');

  // the help says what each line is
  await expect(u.loss).toContainText('Raw (faint): mean loss of each 10 iterations');
  await expect(u.loss).toContainText('bias-corrected');

  // hover near the end of the run: the read-out
  const canvas = u.loss.locator('canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width - 40, box.y + box.height / 2);
  const readout = page.getByTestId('chart-readout');
  await expect(readout).toContainText('Iteration');
  const values = readoutValues((await readout.textContent()) ?? '');
  console.log(`[chart] read-out near the end: ${await readout.textContent()}`);
  expect(values.Iteration).toBeGreaterThan(2000);
  // the seed's average from ln V (the stats' "Loss") lags far above; the corrected smoothing is near the data
  expect(Math.abs(values.smoothed - values.raw)).toBeLessThan(0.25);
  expect(Math.abs(values.smoothed - values.validation)).toBeLessThan(0.35);
  await expect(readout).toContainText('best validation');
  await studio.screenshot('20-chart-honest');

  // the stats' "Loss (smoothed)" is the figure the chart's smoothed line ends at, not the seed's lagging average
  const statLoss = page.locator('[data-stat="loss"]');
  await expect(page.getByText('Loss (smoothed)')).toBeVisible();
  const lastIteration = Number((await page.locator('[data-stat="iteration"]').textContent())?.replace(/,/g, '')) - 9;   // the last point is at most 9 iterations behind
  const atEnd = readoutValues(await readoutAtLastPoint(page, lastIteration));
  const shownLoss = async () => Number(((await statLoss.textContent()) ?? '').replace(/[^\d.]/g, ''));
  expect(await shownLoss()).toBeCloseTo(atEnd.smoothed, 3);
  expect(Math.abs((await shownLoss()) - values.validation)).toBeLessThan(0.35);
  await studio.screenshot('23-stats-loss-matches-chart');

  // the slider: no smoothing is the raw line
  const slider = u.loss.getByRole('slider', { name: 'Smoothing' });
  await slider.fill('0');
  await page.mouse.move(box.x + box.width - 41, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width - 40, box.y + box.height / 2);
  await expect.poll(async () => {
    const v = readoutValues((await readout.textContent()) ?? '');
    return Math.abs(v.smoothed - v.raw);
  }).toBeLessThan(0.0015);
  await studio.screenshot('21-chart-no-smoothing');
  // the slider moves the stats' figure too: unsmoothed, it is the last raw point
  await readoutAtLastPoint(page, lastIteration);
  await expect.poll(async () => {
    const v = readoutValues((await readout.textContent()) ?? '');
    return Math.abs((await shownLoss()) - v.raw);
  }).toBeLessThan(0.0015);
  await slider.fill('0.9');

  // zoomed far in: tick labels stay distinct
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  for (let i = 0; i < 12; i++) {
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(40);
  }
  await page.waitForTimeout(300);
  await studio.screenshot('22-chart-zoomed');
});

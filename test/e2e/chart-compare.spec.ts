// Compare runs: "+ Add run…" draws an earlier run of the corpus, from its checkpoint's history, beside the
// run in training — in its own colour, shown or hidden from the legend — without opening or replacing anything.
import { join } from 'node:path';
import { chartGrowsBeyond, chartPoints, pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('an earlier run from its checkpoint overlays the chart, each in its own colour, shown or hidden from the legend', async ({ studio }) => {
  const { page, dialogs, corpora, folder } = studio;
  const u = ui(page);
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report).toContainText('tiny-fables.txt');

  // a first run, with a lower learning rate, kept as a checkpoint
  await setField(page.getByLabel('Learning rate'), '0.02');
  await u.startButton.click();
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, 300, 60_000);
  await u.stopButton.click();
  await expect(u.phase).toHaveText('Stopped');
  const first = join(folder, 'slow-run.ckpt');
  dialogs.willSave(first);
  await u.checkpoints.getByRole('button', { name: 'Export…' }).click();
  await expect(u.toasts).toContainText('slow-run.ckpt');

  // a second run, from scratch, at the seed's rate
  await setField(page.getByLabel('Learning rate'), '0.1');
  await u.startNewButton.click();
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, 300, 60_000);
  await u.pauseButton.click();
  await expect(u.phase).toHaveText('Paused');
  const points = await chartPoints(page);

  // add the first run to the chart: nothing is opened (the sampler still samples the run in training)
  const legend = u.loss.getByRole('group', { name: 'Lines' });
  dialogs.willOpen(first);
  await legend.getByRole('button', { name: '+ Add run…' }).click();
  const key = legend.getByRole('button', { name: /^slow-run\.ckpt \(iter [\d,]+\)$/ });
  await expect(key).toHaveAttribute('aria-pressed', 'true');
  expect(dialogs.opened.at(-1)?.title).toBe('Add a run to the chart');
  await expect(u.sampler).toContainText('From the model in training');
  expect(await chartPoints(page), 'this run\'s chart is as it was').toBe(points);
  await expect(u.phase).toHaveText('Paused');
  await page.waitForTimeout(300);
  await studio.screenshot('27-chart-compare-runs');

  // by time too, then hidden from its legend key, shown again, and removed
  await u.loss.getByLabel('X axis').selectOption('elapsed');
  await page.waitForTimeout(300);
  await studio.screenshot('28-chart-compare-by-time');
  await u.loss.getByLabel('X axis').selectOption('iteration');
  await key.click();
  await expect(key).toHaveAttribute('aria-pressed', 'false');
  await page.waitForTimeout(300);
  await studio.screenshot('29-chart-compare-hidden');
  await key.click();
  await expect(key).toHaveAttribute('aria-pressed', 'true');
  await legend.getByRole('button', { name: /^Remove slow-run\.ckpt/ }).click();
  await expect(key).toBeHidden();

  // a file that is not a checkpoint: one clear line, and the chart as it was
  dialogs.willOpen(corpora.good);
  await legend.getByRole('button', { name: '+ Add run…' }).click();
  await expect(u.loss.getByRole('alert')).toContainText(/tiny-fables\.txt/);
  await expect(u.loss.getByRole('alert')).not.toContainText(/\n\s+at /);
  expect(await chartPoints(page)).toBe(points);
});

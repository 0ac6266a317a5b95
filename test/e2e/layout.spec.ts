// A calm layout at 1280×800: once a corpus is open and read, the form and Start fit without scrolling;
// notices are toasts over the page (nothing moves); hints are visible text; 0 says "off".
import { pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('the form and Start fit at 1280×800 once the report is read; notices never push the page', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report.getByLabel('Warnings')).toContainText('CR LF');   // the whole report first
  await studio.screenshot('30-layout-report-open');

  // moving on to the form: the report folds to one line
  await page.getByLabel('Hidden size').focus();
  await expect(u.report).toContainText('tiny-fables.txt');
  await expect(u.report).toContainText('19,716 chars · 48 symbols · 1 warning');
  await expect(u.report.getByLabel('Warnings')).toHaveCount(0);
  const column = page.getByRole('complementary', { name: 'Corpus and hyperparameters' });
  // all of it fits with the column scrolled to the top: nothing to scroll for
  await column.evaluate((c) => { c.scrollTop = 0; });
  await studio.screenshot('31-layout-report-folded');
  expect(await column.evaluate((c) => c.scrollHeight - c.clientHeight)).toBeLessThanOrEqual(0);
  for (const control of [u.startButton, page.getByLabel('Preset'), page.getByLabel('Hidden size'), page.getByLabel('Learning rate'),
    page.getByText('More training settings'), page.getByLabel('Stop after'), page.getByLabel('Autosave every')]) {
    await expect(control).toBeInViewport({ ratio: 1 });
  }
  // field hints are visible text; a 0 that switches something off says "off"
  await u.hyperparameters.getByText('More training settings').click();
  await expect(page.getByText('Each element to ±this')).toBeVisible();
  await expect(page.getByText('Whole gradient at once')).toBeVisible();
  await expect(page.getByTestId('hp-clipNorm-off')).toHaveText('off');
  await expect(page.getByTestId('sampler-topk-off')).toHaveText('off');
  await setField(u.sampler.getByLabel('Top-k'), '5');
  await expect(page.getByTestId('sampler-topk-off')).toHaveCount(0);
  await studio.screenshot('31-layout-report-folded');

  // the report opens again on request
  await u.corpus.getByRole('button', { name: 'Report' }).click();
  await expect(u.report.getByLabel('Warnings')).toBeVisible();

  // a notice is a toast: the panels stay where they were
  await u.startButton.click();
  await expect(u.phase).toHaveText('Training');
  await expect(u.report.getByLabel('Warnings')).toHaveCount(0);     // training folds the report too
  const before = await u.loss.boundingBox();
  const beforeSampler = await u.sampler.boundingBox();
  // Start hands focus to Pause, and Escape on a button is the button's: press it outside any control
  await page.locator(':focus').blur();
  await page.locator('body').press('Escape');
  await expect(u.toasts.getByRole('alertdialog', { name: 'Stop training?' })).toBeVisible();
  expect(await u.loss.boundingBox()).toEqual(before);
  expect(await u.sampler.boundingBox()).toEqual(beforeSampler);
  await expect(page.locator('[data-stat="eta"]')).not.toHaveText('—');   // no stop set: the time per epoch instead
  await studio.screenshot('32-layout-training-toast');
  await u.toasts.getByRole('button', { name: 'Keep training' }).click();
  await expect(u.phase).toHaveText('Training');
});

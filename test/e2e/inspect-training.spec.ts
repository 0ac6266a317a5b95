// The Inspect view keeps the run in reach (issue 18, finding 12): its state, iteration, pause, resume and stop;
// and its read-out names characters as the corpus report does ("space", never ␠, which some fonts draw as an
// empty box) with chips that never say "0.0%" (finding 13). Over the real backend and worker.
import { pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('Inspect shows the training state and pauses, resumes and stops it; the read-out says "space"', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report).toContainText('tiny-fables.txt');
  await setField(page.getByLabel('Sample every'), '200');
  await u.startButton.click();
  await expect(u.phase).toHaveText('Training');

  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  const bar = page.getByRole('group', { name: 'Training', exact: true });
  // the Train view's state is out of sight: the one read now is the bar's
  await expect(u.phase).toHaveText('Training');
  await expect(bar.getByTestId('bar-iteration')).not.toHaveText('0');
  const before = Number((await bar.getByTestId('bar-iteration').textContent())!.replace(/,/g, ''));
  await expect.poll(async () => Number((await bar.getByTestId('bar-iteration').textContent())!.replace(/,/g, ''))).toBeGreaterThan(before);
  await bar.getByRole('button', { name: /Pause$/ }).click();
  await expect(u.phase).toHaveText('Paused');
  await expect(bar.getByRole('button', { name: /Resume$/ })).toBeEnabled();
  await studio.screenshot('inspect-training-01-paused-from-inspect');
  // the bar's figures are the Train view's (one source): read while paused, then in the Train view
  const barFigures = [await bar.getByTestId('bar-iteration').textContent(), await bar.getByTestId('bar-loss').textContent()];
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.locator('[data-stat="iteration"]')).toHaveText(barFigures[0]!);
  await expect(page.locator('[data-stat="loss"]')).toHaveText(`${barFigures[1]}nats`);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();

  // ---- the read-out: a space is "space", and no chip says 0.0% ----
  const view = page.getByRole('region', { name: 'Inspect' });
  await view.getByLabel('Text to inspect').fill('The fox runs far away into green hills, and the old dog sings softly under the moon. '.repeat(3));
  await view.getByRole('button', { name: 'Score text' }).click();
  await expect(view.getByTestId('mean-bits')).toContainText('bits/char', { timeout: 20_000 });
  const heat = view.getByTestId('heat-text');
  const readout = view.getByTestId('heat-readout');
  await heat.locator('span.c').nth(3).hover(); // the space after "The"
  await expect(readout.locator('.mono').first()).toHaveText('space');
  await expect(readout.locator('.pred')).toHaveCount(5);
  for (const i of [3, 4, 10, 30, 60, 100]) {
    await heat.locator('span.c').nth(i).hover();
    await expect(readout.locator('.pred')).toHaveCount(5);
    const chips = await readout.locator('.pred').allTextContents();
    for (const chip of chips) {
      expect(chip, 'characters named as the report names them').not.toMatch(/[␠␣]/);
      expect(chip, 'a chance the model gave is never "0.0%"').not.toMatch(/(^|\s)0\.0%$/);
      expect(chip).toMatch(/^(.|space|newline|tab|CR|nbsp) (<0\.1|\d+(\.\d)?)%$/);
    }
  }
  await heat.locator('span.c').nth(3).hover();
  await studio.screenshot('inspect-training-02-readout-space');

  // ---- resume and stop from here ----
  await bar.getByRole('button', { name: /Resume$/ }).click();
  await expect(u.phase).toHaveText('Training');
  await bar.getByRole('button', { name: /Stop$/ }).click();
  await expect(u.phase).toHaveText('Stopped');
  await expect(bar.getByRole('button', { name: /Pause$/ })).toBeDisabled();
  await expect(bar.getByRole('button', { name: /Stop$/ })).toBeDisabled();
  // back in the Train view, the same state
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(u.phase).toHaveText('Stopped');
});

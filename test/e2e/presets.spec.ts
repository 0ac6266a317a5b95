// Choosing a preset sets its own model and optimisation fields and nothing else: the stop, the sampling and
// every other field keep what the user typed, also while one of them is still wrong.
import { setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('a preset keeps the stop, the sampling and every field it does not set, valid or not', async ({ studio }) => {
  const { page } = studio;
  const u = ui(page);
  await page.getByLabel('Stop after').selectOption('iterations');
  await setField(page.getByLabel('Iterations'), '5000');
  await setField(page.getByLabel('Sample every'), '250');
  await setField(page.getByLabel('Sample length'), '80');
  await u.hyperparameters.getByText('More training settings').click();
  await setField(page.getByLabel('Training seed'), '42');
  await setField(page.getByLabel('Validation fraction'), '0.9');   // out of range: the form has an error
  await expect(u.hyperparameters).toContainText('Validation fraction must be a number from 0 to 0.5');

  const preset = page.getByLabel('Preset');
  const gru = (await preset.locator('option').allTextContents()).find((label) => /GRU/.test(label));
  expect(gru, 'a GRU preset is on offer').toBeTruthy();
  await preset.selectOption({ label: gru! });

  // the preset's own fields
  await expect(page.getByLabel('Model type')).toHaveValue('gru');
  await expect(page.getByLabel('Hidden size')).toHaveValue('128');
  await expect(page.getByLabel('Optimizer')).toHaveValue('adam');
  // and nothing else
  await expect(page.getByLabel('Stop after')).toHaveValue('iterations');
  await expect(page.getByLabel('Iterations')).toHaveValue('5000');
  await expect(page.getByLabel('Sample every')).toHaveValue('250');
  await expect(page.getByLabel('Sample length')).toHaveValue('80');
  await expect(page.getByLabel('Training seed')).toHaveValue('42');
  await expect(page.getByLabel('Validation fraction')).toHaveValue('0.9');
  await expect(u.hyperparameters).toContainText('Validation fraction must be a number from 0 to 0.5');
});

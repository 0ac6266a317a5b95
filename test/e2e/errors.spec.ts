// What the app says when something cannot be used: empty, binary and invalid UTF-8 corpora (picked and
// dropped), an invalid hyperparameter, and prime characters the model does not know. Nothing breaks after.
import { chartGrowsBeyond, generate, pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('empty, binary and invalid UTF-8 corpora get a clear message, and a good file still opens', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  const alert = u.corpus.getByRole('alert');

  /** The headline says what it means for the user, the body what exactly: the one never repeats the other. */
  const saysOnce = async (headline: string, body: RegExp) => {
    await expect(alert.locator('strong')).toHaveText(headline);
    await expect(alert.locator('p')).toHaveText(body);
    expect((await alert.locator('p').textContent())!.toLowerCase()).not.toContain(headline.toLowerCase());
  };

  await pickCorpus(page, dialogs, corpora.empty);
  await saysOnce('Nothing to train on', /the file is empty/i);
  await expect(alert).toContainText('empty.txt');
  await expect(alert).toHaveAttribute('data-code', 'corpus-empty');
  await expect(u.startButton).toBeDisabled();
  await studio.screenshot('06-error-empty-corpus');

  // dropped on the window: the path comes from pathForFile, as webUtils.getPathForFile gives it in the app
  await studio.allowDrop('image.bin', corpora.binary);
  const dataTransfer = await page.evaluateHandle(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([0, 1, 2, 255])], 'image.bin'));
    return dt;
  })()`);
  await page.dispatchEvent('main', 'dragenter', { dataTransfer });
  await page.dispatchEvent('main', 'dragover', { dataTransfer });
  await expect(page.getByText('Drop to open as the corpus')).toBeVisible();
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await expect(page.getByText('Drop to open as the corpus')).toBeHidden();
  await saysOnce('Cannot train on this file', /looks like a binary file, not text/);
  await expect(alert).toContainText('image.bin');
  await expect(alert).toHaveAttribute('data-code', 'corpus-binary');

  await pickCorpus(page, dialogs, corpora.invalidUtf8);
  await saysOnce('Cannot read this file as text', /not valid UTF-8/);
  await expect(alert).toContainText('latin1.txt');
  await expect(alert).toHaveAttribute('data-code', 'corpus-not-utf8');
  await studio.screenshot('07-error-invalid-utf8');

  // a cancelled dialog changes nothing; a good file replaces the error with its report
  await pickCorpus(page, dialogs, null);
  await expect(alert).toHaveAttribute('data-code', 'corpus-not-utf8');
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report).toContainText('tiny-fables.txt');
  await expect(alert).toHaveCount(0);
  await expect(u.startButton).toBeEnabled();
});

test('an invalid hyperparameter gets an inline message and disables Start', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.startButton).toBeEnabled();

  const hidden = page.getByLabel('Hidden size');
  await setField(hidden, '0');
  await expect(hidden).toHaveAttribute('aria-invalid', 'true');
  await expect(u.hyperparameters).toContainText('Hidden size must be a whole number from 1 to 4096');
  await setField(page.getByLabel('Learning rate'), 'fast');
  await expect(u.hyperparameters).toContainText('Learning rate must be a number above 0 and at most 10');
  await u.hyperparameters.getByText('More training settings').click();
  await setField(page.getByLabel('Validation fraction'), '0.9');
  await expect(u.hyperparameters).toContainText('Validation fraction must be a number from 0 to 0.5');
  await expect(u.startButton).toBeDisabled();
  await expect(page.getByText('Fix the hyperparameters marked in red')).toBeVisible();
  // Ctrl+Enter does nothing while the form is invalid
  await page.locator('body').press('Control+Enter');
  await expect(u.phase).toHaveText('Ready');
  await hidden.scrollIntoViewIfNeeded();
  await studio.screenshot('08-invalid-hyperparameters');

  await setField(hidden, '64');
  await setField(page.getByLabel('Learning rate'), '0.1');
  await setField(page.getByLabel('Validation fraction'), '0.1');
  await expect(u.hyperparameters.locator('.field-error')).toHaveCount(0);
  await expect(u.startButton).toBeEnabled();
  // the preset menu shows the match (or Custom), and a preset fills the form
  await page.getByLabel('Preset').selectOption('lstm-128-batch-16');
  await expect(page.getByLabel('Model type')).toHaveValue('lstm');
  await expect(hidden).toHaveValue('128');
  await expect(page.getByLabel('Batch size')).toHaveValue('16');
});

test('prime characters the model does not know are highlighted', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  await pickCorpus(page, dialogs, corpora.good);
  // with a stop set, the status shows an ETA
  await page.getByLabel('Stop after').selectOption('iterations');
  await setField(page.getByLabel('Iterations', { exact: true }), '200000');
  await u.startButton.click();
  await chartGrowsBeyond(page, 2);
  await expect(page.locator('[data-stat="eta"]')).toHaveText(/^\d+:\d\d/);
  await u.pauseButton.click();
  await expect(u.phase).toHaveText('Paused');

  await u.sampler.getByLabel('Prime text').fill('Zoë and the fox');
  // flagged as typed, before Generate
  await expect(u.sampler.getByRole('alert')).toContainText('The model does not know these 2 characters');
  await u.generateButton.click();
  const warning = u.sampler.getByRole('alert');
  await expect(warning).toContainText('The model does not know these 2 characters');
  await expect(warning).toContainText('“Z” (U+005A)');
  await expect(warning).toContainText('“ë” (U+00EB)');
  await expect(warning.locator('mark')).toHaveText(['Z', 'ë']);
  await expect(u.sampler.getByLabel('Prime text')).toHaveAttribute('aria-invalid', 'true');
  await studio.screenshot('09-unknown-prime-characters');

  // editing the prime clears the warning, and known characters sample normally
  await u.sampler.getByLabel('Prime text').fill('and the fox');
  await expect(warning).toHaveCount(0);
  expect((await generate(page)).length).toBe(500);
  // Escape in a text field is the field's; outside any control it asks before stopping, and never stops by itself
  await u.sampler.getByLabel('Prime text').press('Escape');
  await expect(u.phase).toHaveText('Paused');
  await u.sampler.getByLabel('Prime text').blur();
  await page.locator('body').press('Escape');
  const ask = u.toasts.getByRole('alertdialog', { name: 'Stop training?' });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('button', { name: 'Keep training' })).toBeFocused();
  await studio.screenshot('23-escape-asks');
  await page.keyboard.press('Escape');          // a second Escape dismisses the question
  await expect(ask).toHaveCount(0);
  await expect(u.phase).toHaveText('Paused');
  await page.locator('body').press('Escape');
  await page.keyboard.press('Enter');           // Enter takes the focused, safe answer
  await expect(ask).toHaveCount(0);
  await expect(u.phase).toHaveText('Paused');
  await page.locator('body').press('Escape');
  await ask.getByRole('button', { name: 'Stop' }).click();
  await expect(u.phase).toHaveText('Stopped');
});

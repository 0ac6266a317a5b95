// The keyboard keeps its place (issue 18, finding 12): after Open… the focus is on the new report, not the page;
// Ctrl+Enter that cannot start says why beside Start and takes the focus to what must change; starting leaves no
// locked field focused or selected; Ctrl+Enter in the sampler with no model says, at the sampler, what to do.
// Over the real backend and worker.
import { ui } from './harness/app.js';
import type { Page } from '@playwright/test';
import { expect, test } from './harness/studio.js';

/** The focused element's tag and id, and the page's selected text (a string: the root typecheck has no DOM types). */
const focusState = (page: Page) => page.evaluate(`(() => {
  const el = document.activeElement;
  return { tag: el ? el.tagName : '', id: el ? el.id : '', selection: String(window.getSelection() ?? '') };
})()`) as Promise<{ tag: string; id: string; selection: string }>;

test('keyboard: Open… lands on the report, a refused Start says why and goes to the field, the sampler says what to do', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  const open = u.corpus.getByRole('button', { name: 'Open…' });
  const refusal = page.getByTestId('start-refusal');

  // ---- nothing to train on: Ctrl+Enter says so and goes to Open… ----
  await page.locator('body').press('Control+Enter');
  await expect(refusal).toHaveText('Not started: open a corpus first (Open… in the Corpus panel).');
  await expect(open).toBeFocused();
  await expect(u.phase).toHaveText('Ready');

  // ---- the sampler with no model: Ctrl+Enter in the prime says, there, what to do ----
  const sampleRefusal = u.sampler.getByTestId('sample-refusal');
  await expect(sampleRefusal).toHaveCount(0);
  await u.sampler.getByLabel('Prime text').press('Control+Enter');
  await expect(sampleRefusal).toHaveText('Nothing to sample from yet: open a checkpoint (Open… under Checkpoints) or start training, then Generate.');
  await expect(u.sampler.getByLabel('Prime text')).toBeFocused();
  await studio.screenshot('keyboard-01-nothing-to-start-or-sample');

  // ---- Open… by keyboard: a cancelled dialog gives Open… its focus back; a read file gives it to the report ----
  dialogs.willOpen(null);
  await open.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => dialogs.opened.length).toBe(1);
  await expect(open).toBeFocused();
  dialogs.willOpen(corpora.empty);
  await page.keyboard.press('Enter');
  await expect(u.corpus.getByRole('alert')).toHaveAttribute('data-code', 'corpus-empty');
  await expect(open).toBeFocused();
  dialogs.willOpen(corpora.good);
  await page.keyboard.press('Enter');
  await expect(u.report).toContainText('tiny-fables.txt');
  await expect(u.report).toBeFocused();
  expect((await focusState(page)).tag).toBe('DIV');
  // the refusal was about the missing corpus: with one open it is gone
  await expect(refusal).toHaveCount(0);
  // Tab goes on from the report to what follows it, not back to the top of the page
  await page.keyboard.press('Tab');
  await expect(u.corpus.getByRole('button', { name: 'Fold the report' })).toBeFocused();
  await studio.screenshot('keyboard-02-focus-on-report');

  // ---- wrong settings: Ctrl+Enter names the first wrong field and focuses it, in the form's order ----
  await page.getByLabel('Learning rate').fill('fast');
  await u.hyperparameters.getByText('More training settings').click();
  await page.getByLabel('Validation fraction').fill('0.9');
  await page.getByLabel('Validation fraction').blur();
  await page.locator('body').press('Control+Enter');
  await expect(refusal).toHaveText('Not started: Learning rate must be a number above 0 and at most 10.');
  await expect(page.getByLabel('Learning rate')).toBeFocused();
  await expect(u.phase).toHaveText('Ready');
  await studio.screenshot('keyboard-03-start-refused-focus-on-field');
  await page.getByLabel('Learning rate').fill('0.1');
  await page.getByLabel('Learning rate').press('Control+Enter');
  await expect(refusal).toHaveText('Not started: Validation fraction must be a number from 0 to 0.5.');
  await expect(page.getByLabel('Validation fraction')).toBeFocused();
  await page.getByLabel('Validation fraction').fill('0.1');
  await expect(refusal).toHaveCount(0);
  await expect(u.startButton).toBeEnabled();

  // ---- Ctrl+Enter from a field with its text selected: training starts, the focus goes to Pause and the locked
  // field keeps no selection ----
  const hidden = page.getByLabel('Hidden size');
  await hidden.fill('32');
  await hidden.selectText();
  expect((await focusState(page)).id).toBe('hp-hiddenSize');
  await hidden.press('Control+Enter');
  await expect(u.phase).toHaveText('Training', { timeout: 30_000 });
  await expect(hidden).toBeDisabled();
  await expect(u.pauseButton).toBeFocused();
  const after = await focusState(page);
  expect(after.selection, 'no text stays selected on the locked form').toBe('');
  expect(await hidden.evaluate((el) => {
    const input = el as unknown as { selectionStart: number; selectionEnd: number; ownerDocument: { activeElement: unknown } };
    return input.selectionStart === input.selectionEnd || input.ownerDocument.activeElement !== el;
  }), 'the locked field holds no selection, or is not focused (an unfocused field shows none)').toBe(true);
  await studio.screenshot('keyboard-04-started-focus-on-pause');

  // ---- the sampler with a model but a wrong field: said, and the field focused ----
  await expect(sampleRefusal).toHaveCount(0); // a model now exists: the old refusal no longer holds
  await u.sampler.getByLabel('Temperature').fill('hot');
  await u.sampler.getByLabel('Prime text').press('Control+Enter');
  await expect(sampleRefusal).toContainText('Nothing sampled: Temperature must be');
  await expect(u.sampler.getByLabel('Temperature')).toBeFocused();
  await u.sampler.getByLabel('Temperature').fill('0.8');
  await expect(sampleRefusal).toHaveCount(0);

  await u.stopButton.click();
  await expect(u.phase).toHaveText('Stopped');
});

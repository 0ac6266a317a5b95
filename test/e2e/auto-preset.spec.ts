// Auto in the app, over the real backend and worker: on the first launch it is the default for a newly opened
// text (main measures this machine in the worker, core's rule chooses), the form takes its choice and shows
// its one-line reason, it keeps the stop and sampling like every preset, and a run trains with it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

// a real text every Debian system has (base-files): about 35k characters of legal prose
const GPL = '/usr/share/common-licenses/GPL-3';
const REASON = /^Auto: 3\dk chars, vocabulary \d+, (\d+) s, ~[\d.]+[kM]? chars\/s here → GRU (\d+), dropout (0\.2|0\.35), EMA 0\.999, Adam ([\d.]+) cosine, batch 16, seq 50 \(~[\d.]+ passes over the text\)$/;

test.describe('first launch', () => {
  test.use({ firstLaunch: true });

  test('Auto is the default for a newly opened text: the form takes its choice and says why in one line', async ({ studio }) => {
    const { page, dialogs, folder, backend } = studio;
    const u = ui(page);
    const corpus = join(folder, 'gpl-3.txt');
    writeFileSync(corpus, readFileSync(GPL, 'utf8'));
    await pickCorpus(page, dialogs, corpus);
    const note = page.getByTestId('preset-note');
    // the first choice measures this machine (a few training steps in the worker): a state to wait for, not a time
    await expect(note).toHaveText(REASON, { timeout: 60_000 });
    // dropout 0.2 on a small text, 0.35 where the budget buys 40 passes or more (on a fast machine, a minute does)
    const [, seconds, hidden, dropout, rate] = REASON.exec((await note.textContent())!)!;
    expect(seconds, 'with Stop after "Never", Auto sizes the model to one minute and sets it').toBe('60');
    await expect(page.getByLabel('Preset')).toHaveValue('auto');
    await expect(page.getByLabel('Model type')).toHaveValue('gru');
    await expect(page.getByLabel('Hidden size')).toHaveValue(hidden);
    await expect(page.getByLabel('Learning rate')).toHaveValue(rate);
    await expect(page.getByLabel('Optimizer')).toHaveValue('adam');
    await expect(page.getByLabel('Dropout')).toHaveValue(dropout);
    await expect(page.getByLabel('Weight average')).toHaveValue('0.999');
    await expect(page.getByLabel('Stop after')).toHaveValue('minutes');
    await expect(page.getByLabel('Minutes', { exact: true })).toHaveValue('1');
    await expect(page.getByLabel('Sample every')).toHaveValue('1000');
    await setField(page.getByLabel('Sample every'), '300');   // a run's own setting: Auto keeps it

    // another preset, then Auto again: its own fields change, the stop and sampling stay
    await page.getByLabel('Preset').selectOption('gru-128-batch-16');
    await expect(page.getByLabel('Dropout')).toHaveValue(dropout);          // a preset sets only its own fields
    await expect(page.getByLabel('Learning rate')).toHaveValue('0.005');
    await expect(note).not.toHaveText(/^Auto/);
    await page.getByLabel('Preset').selectOption('auto');
    await expect(note).toHaveText(REASON);
    await expect(page.getByLabel('Learning rate')).toHaveValue(rate);
    await expect(page.getByLabel('Sample every')).toHaveValue('300');

    // a longer budget: Auto is asked again for it
    await setField(page.getByLabel('Minutes', { exact: true }), '10');
    await expect(note).toHaveText(REASON);
    await expect(note).toHaveText(/, 600 s, /);
    const longer = REASON.exec((await note.textContent())!)!;
    expect(longer[1]).toBe('600');
    await expect(page.getByLabel('Dropout')).toHaveValue(longer[3]);
    await expect(page.getByLabel('Preset')).toHaveValue('auto');

    // Start trains what the form shows
    await u.startButton.click();
    await expect(u.phase).toHaveText('Training', { timeout: 60_000 });
    const h = (await backend.handle('training:status', null)).hyperparameters!;
    expect([h.model.cell, String(h.model.hiddenSize), h.training.dropout, h.training.ema, h.run.lrSchedule]).toEqual(['gru', longer[2], Number(longer[3]), 0.999, 'cosine']);
    expect(h.run.stopAfter).toEqual({ kind: 'minutes', value: 10 });
    await u.stopButton.click();
    await expect(u.phase).toHaveText('Stopped', { timeout: 60_000 });
  });
});

test('someone who has settings keeps them when opening a text: Auto waits to be chosen', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  await pickCorpus(page, dialogs, corpora.good);
  await expect(ui(page).report).toContainText(/Characters|chars/);
  await expect(page.getByLabel('Preset')).toHaveValue('seed');
  await expect(page.getByLabel('Hidden size')).toHaveValue('100');
  await expect(page.getByLabel('Preset').locator('option[value="auto"]')).toBeEnabled();
});

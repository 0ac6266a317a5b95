// Overfitting said out loud (issue 18, finding 5), on a real run: a GRU far too big for a 1.5 KB text memorises
// its training part within a few hundred iterations while its validation loss climbs. The note says so in core's
// words (the CLI prints the same line), and its buttons do what they say: Keep training lets the run go on without
// the note, and Stop and save the best model stops it and saves the weights of the lowest validation loss.
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

/** About 1,500 characters of word salad over a small vocabulary (deterministic): easy to memorise, hard to generalise. */
function tinyText(): string {
  const words = ['the', 'quick', 'brown', 'fox', 'jumps', 'over', 'a', 'lazy', 'dog', 'and', 'then', 'runs', 'far',
    'away', 'into', 'green', 'hills', 'where', 'rivers', 'sing', 'softly', 'under', 'an', 'old', 'moon'];
  let state = 777;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  let text = '';
  while (text.length < 1500) text += words[Math.floor(next() * words.length)] + (next() < 0.15 ? '.\n' : ' ');
  return text;
}

const NOTE_LINE = /^Overfitting: validation loss (\d+\.\d{3}) nats\/char is (\d+)% above its best, (\d+\.\d{3}) at iteration ([\d,]+), while training loss fell to (\d+\.\d{3})\. Stop and keep the best model, or train a smaller model or on more text\.$/;

test('a run that overfits is told so, with Keep training and Stop and save the best model that work', async ({ studio }) => {
  const { page, dialogs, folder } = studio;
  const u = ui(page);
  const corpus = join(folder, 'tiny-words.txt');
  await writeFile(corpus, tinyText(), 'utf8');

  await pickCorpus(page, dialogs, corpus);
  await expect(u.report).toContainText('tiny-words.txt');
  await page.getByLabel('Model type').selectOption('gru');
  await setField(page.getByLabel('Hidden size'), '256');
  await page.getByLabel('Optimizer').selectOption('adam');
  await setField(page.getByLabel('Learning rate'), '0.01');
  await u.hyperparameters.getByText('More training settings').click();
  await setField(page.getByLabel('Validation fraction'), '0.3');
  await page.getByLabel('Keep best (the weights of the lowest validation loss)').check();
  await setField(page.getByLabel('Sample every'), '50');
  await setField(page.getByLabel('Sample length'), '0'); // validation only: a measurement every 50 iterations
  await expect(u.startButton).toBeEnabled();

  // ---- the first run: the note, its figures, and Keep training ----
  await u.startButton.click();
  const note = page.getByTestId('overfitting-note');
  await expect(note).toBeVisible({ timeout: 60_000 });
  // paused, so the figures hold still while they are read
  await u.pauseButton.click();
  await expect(u.phase).toHaveText('Paused');
  await expect(note).toBeVisible();
  const line = (await note.locator('p').textContent())!.trim();
  const m = NOTE_LINE.exec(line);
  expect(m, `the note's line: "${line}"`).not.toBeNull();
  const [, latest, percent, best, bestAt, trainNow] = m!;
  expect(Number(percent)).toBeGreaterThanOrEqual(10);                 // core's rule: 10% above the best
  expect(Number(latest)).toBeGreaterThan(Number(best));
  expect(Number(trainNow)).toBeGreaterThan(0);
  await expect(note.getByRole('button')).toHaveText(['Stop training', 'Stop and save the best model…', 'Keep training']);
  // one source for the best validation: the stats show the note's best
  await expect(page.locator('[data-stat="best-val"]')).toContainText(best);
  await studio.screenshot('overfitting-01-note');

  await note.getByRole('button', { name: 'Keep training' }).click();
  await expect(note).toHaveCount(0);
  await expect(u.phase).toHaveText('Paused');   // the note's Keep training changes nothing of the run
  await u.resumeButton.click();
  await expect(u.phase).toHaveText('Training');
  await u.stopButton.click();
  await expect(u.phase).toHaveText('Stopped');
  await expect(note).toHaveCount(0); // kept dismissed for this run

  // ---- a second run: Stop and save the best model ----
  await u.startNewButton.click();
  await expect(u.phase).toHaveText('Training');
  await expect(note).toBeVisible({ timeout: 60_000 });
  const again = NOTE_LINE.exec((await note.locator('p').textContent())!.trim());
  expect(again).not.toBeNull();
  const savedTo = join(folder, 'best-of-run.ckpt');
  dialogs.willSave(savedTo);
  await note.getByRole('button', { name: 'Stop and save the best model…' }).click();
  await expect(u.phase).toHaveText('Stopped');
  await expect(u.toasts).toContainText('Saved the best model, from iteration');
  const toast = (await u.toasts.textContent()) ?? '';
  const savedAt = Number(/from iteration ([\d,]+)/.exec(toast)![1].replace(/,/g, ''));
  // the saved model is the best the note named (or a later, better one measured before the stop arrived)
  expect(savedAt).toBeGreaterThanOrEqual(Number(again![4].replace(/,/g, '')));
  expect((await stat(savedTo)).size).toBeGreaterThan(10_000);
  // stopped: the note may stay to be read, but offers no Stop any more
  if (await note.count()) await expect(note.getByRole('button', { name: 'Stop training' })).toHaveCount(0);
  await studio.screenshot('overfitting-02-stopped-and-saved');

  // ---- another text opened: Continue says, before it is pressed, that it would go on on a different text ----
  await pickCorpus(page, dialogs, studio.corpora.good);
  await expect(u.report).toContainText('tiny-fables.txt');
  await expect(u.startButton).toHaveText('▶ Continue');
  await expect(page.getByTestId('other-text')).toHaveText(
    'on tiny-fables.txt, not tiny-words.txt, the text it trained on: its validation then measures another text');
  await studio.screenshot('overfitting-03-continue-on-other-text');
  // the text it trained on again: nothing to say
  await pickCorpus(page, dialogs, corpus);
  await expect(u.report).toContainText('tiny-words.txt');
  await expect(page.getByTestId('other-text')).toHaveCount(0);
});

// A showcase, not a check of the app: with CHAR_RNN_SHOWCASE_MODEL (a checkpoint trained on
// CHAR_RNN_SHOWCASE_CORPUS, e.g. ../shared/corpora/kafka-story.txt) it opens both, finds the most
// interesting unit on a passage with dialogue and saves a screenshot of it. Skipped otherwise.
import { readFile } from 'node:fs/promises';
import { pickCorpus, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

const model = process.env.CHAR_RNN_SHOWCASE_MODEL;
const corpus = process.env.CHAR_RNN_SHOWCASE_CORPUS;

test('showcase: an interesting unit of a model trained on a real text', async ({ studio }) => {
  test.skip(!model || !corpus, 'set CHAR_RNN_SHOWCASE_MODEL and CHAR_RNN_SHOWCASE_CORPUS to make the showcase screenshot');
  const { page, dialogs } = studio;
  const u = ui(page);
  dialogs.willOpen(model!);
  await u.checkpoints.getByRole('button', { name: 'Open…' }).click();
  await expect(u.checkpoints).toContainText('Opened');
  await pickCorpus(page, dialogs, corpus!);
  await expect(u.report).toBeVisible();

  // a passage with dialogue: from a little before the 40th quotation mark, 2,500 characters
  const text = await readFile(corpus!, 'utf8');
  let at = 0;
  for (let q = 0; q < 40; q++) at = text.indexOf('"', at + 1);
  const passage = text.slice(Math.max(0, at - 300), at + 2200);

  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  const view = page.getByRole('region', { name: 'Inspect' });
  await view.getByLabel('Text to inspect').fill(passage);
  await view.getByRole('button', { name: 'Score text' }).click();
  await expect(view.getByTestId('mean-bits')).toContainText('bits/char', { timeout: 30_000 });
  await view.getByRole('button', { name: 'Find interesting units' }).click();
  const table = view.getByRole('table', { name: 'Interesting units' });
  await expect(table.locator('tbody tr').first()).toBeVisible({ timeout: 60_000 });
  const rows = await table.locator('tbody tr').allTextContents();
  console.log(`[showcase] interesting units:\n${rows.map((r) => r.replace(/\s+/g, ' ').trim()).join('\n')}`);
  const quoteRow = table.locator('tbody tr').filter({ hasText: 'inside quotes' }).first();
  const row = (await quoteRow.count()) > 0 ? quoteRow : table.locator('tbody tr').first();
  await row.getByRole('button', { name: 'Show' }).click();
  await expect(view.getByRole('radio', { name: /^Unit / })).toBeChecked();
  await studio.screenshot('inspect-showcase-units-table');
  await view.getByTestId('mean-bits').evaluate((e) => (e as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' }));
  await view.getByTestId('heat-text').locator('span.c').nth(302).hover();
  await studio.screenshot('inspect-showcase-unit');
});

// The Inspect view over the real backend and worker: surprisal heat map with hover predictions,
// hidden units and "find interesting units", the copy detector on live and pasted samples, the temperature strip.
import { goodText } from './harness/corpora.js';
import { openWithLiveSamples, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('inspect a model in training: surprisal, hidden units, copies and temperatures', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);

  // ---- a model with a live sample, paused ----
  await openWithLiveSamples(page, dialogs, corpora.good, 'tiny-fables.txt');
  await page.locator('body').press('Control+Enter');
  await expect(u.phase).toHaveText('Training');
  await expect(u.liveSamples.getByRole('heading', { name: /^iter / }).nth(1)).toBeVisible({ timeout: 30_000 });
  await page.locator('body').press('Control+p');
  await expect(u.phase).toHaveText('Paused');

  // ---- surprisal of a corpus excerpt ----
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  const view = page.getByRole('region', { name: 'Inspect' });
  await expect(view).toContainText('Model: the model in training');
  await view.getByRole('button', { name: 'Score text' }).click();
  const mean = view.getByTestId('mean-bits');
  await expect(mean).toContainText('bits/char', { timeout: 20_000 });
  const bits = Number((await mean.locator('strong').textContent())!);
  expect(bits).toBeGreaterThan(0.5);
  expect(bits).toBeLessThan(6); // a model in training beats uniform over ~40 characters (5.3 bits) by now
  const excerpt = await view.getByLabel('Text to inspect').inputValue();
  expect(excerpt.length).toBeGreaterThan(1000);
  const heat = view.getByTestId('heat-text');
  await expect(heat.locator('span.c')).toHaveCount(3000); // the excerpt's length (its CR LF shows as LF in the text box)
  await expect(view.getByRole('figure', { name: 'Surprisal, bits' })).toContainText('8+');
  // shades differ: the map is not one colour
  const shades = await heat.locator('span.c').evaluateAll((spans) => new Set(spans.slice(1, 400).map((s) => (s as unknown as { style: { background: string } }).style.background)).size);
  expect(shades).toBeGreaterThan(20);
  await heat.locator('span.c').nth(12).hover();
  const readout = view.getByTestId('heat-readout');
  await expect(readout).toContainText(/\d+\.\d\d bits/);
  await expect(readout.locator('.pred')).toHaveCount(5);
  await studio.screenshot('inspect-01-surprisal');

  // ---- a pasted text, hidden units ----
  await view.getByLabel('Text to inspect').fill('The quick brown fox runs far away into green hills. '.repeat(6));
  await view.getByRole('button', { name: 'Score text' }).click();
  await expect(view.getByTestId('mean-bits')).toContainText('over 311 predicted characters');
  await view.getByRole('button', { name: 'Find interesting units' }).click();
  const table = view.getByRole('table', { name: 'Interesting units' });
  await expect(table.locator('tbody tr')).toHaveCount(12, { timeout: 20_000 });
  await expect(table).toContainText(/inside quotes|inside brackets|position in the line|after a space|start of a word/);
  const first = (await table.locator('tbody tr').first().locator('td').first().textContent())!.trim(); // "h 0:17"
  await table.locator('tbody tr').first().getByRole('button', { name: 'Show' }).click();
  await expect(view.getByRole('figure', { name: `Activation of ${first}` })).toBeVisible();
  await expect(view.getByRole('radio', { name: `Unit ${first}` })).toBeChecked();
  await heat.locator('span.c').nth(20).hover();
  await expect(readout).toContainText(`${first} = `);
  await studio.screenshot('inspect-02-units');

  // ---- copies: a pasted sample with a known copied span, then the last live sample ----
  const line = goodText().split('\r\n')[0].slice(0, 40);
  await view.getByLabel('Sample to check').fill(`${line}XQXQXQXQXQ`);
  await setField(view.getByLabel('Minimum copied length'), '20');
  await view.getByRole('button', { name: 'Check copies' }).click();
  const summary = view.getByTestId('copy-summary');
  await expect(summary).toContainText('copied from tiny-fables.txt');
  await expect(summary).toContainText('longest span 40 characters');
  await expect(summary).toContainText('80.0%');
  await expect(view.getByTestId('copy-text').locator('mark')).toHaveText(line);
  await studio.screenshot('inspect-03-copies');
  await view.getByRole('button', { name: 'Last live sample', exact: true }).click();
  await view.getByRole('button', { name: 'Check copies' }).click();
  await expect(summary).not.toContainText('longest span 40 characters');
  await expect(summary).toContainText(/\d+\.\d% copied from tiny-fables\.txt ·\s+longest span \d+ characters/);

  // ---- temperature strip ----
  await view.getByRole('button', { name: 'Sample', exact: true }).click();
  const strips = view.getByTestId('strip-text');
  await expect(strips).toHaveCount(4, { timeout: 20_000 });
  const texts = await strips.allTextContents();
  for (const t of texts) expect(t.length).toBe('The '.length + 200);
  expect(new Set(texts).size).toBeGreaterThan(1);
  await view.getByRole('figure').filter({ hasText: 'T = 0.5' }).scrollIntoViewIfNeeded();
  await studio.screenshot('inspect-04-temperatures');

  // the training view is still there
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(u.phase).toHaveText('Paused');
});

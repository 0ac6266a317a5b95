// An automated accessibility pass with axe-core (issue 18, finding 7): no serious or critical violation,
// colour contrast included, on Train and on Inspect (heat map shown), in the light and the dark theme.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

interface Violation {
  id: string;
  impact?: string | null;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe's serious and critical findings on the page as it is, one line each (rule, impact, where). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results: { violations: Violation[] } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`));
}

test('Train and Inspect have no serious or critical axe violations, in the light and the dark theme', async ({ studio }) => {
  test.setTimeout(420_000);
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report).toContainText('tiny-fables.txt');
  await setField(page.getByLabel('Sample every'), '200');
  await page.getByLabel('Stop after').selectOption('iterations');
  await setField(page.getByLabel('Iterations', { exact: true }), '400');
  await u.startButton.click();
  await expect(u.phase).toHaveText('Stopped', { timeout: 120_000 });
  // a sample and a field error on screen, so their colours are checked too
  await u.generateButton.click();
  await expect(u.generateButton).toHaveText('Generate', { timeout: 30_000 });
  // the text says what made it (finding 9)
  await expect(page.getByTestId('sample-label')).toHaveText('From the last trained model (iteration 400) · temperature 0.8 · seed 42');
  // Top-k's range is the model's vocabulary, not the engine's largest
  await setField(u.sampler.getByLabel('Top-k'), '500');
  await expect(u.sampler.locator('#sampler-topk-error')).toHaveText('Top-k must be a whole number from 0 to 48 (0 = off): this model knows 48 characters');
  await setField(u.sampler.getByLabel('Top-k'), '0');
  // an error under Temperature leaves Length where it was (finding 9)
  const lengthTop = (await u.sampler.getByLabel('Length').boundingBox())!.y;
  await setField(u.sampler.getByLabel('Temperature'), '0');
  await expect(u.sampler.locator('#sampler-temperature-error')).toBeVisible();
  expect((await u.sampler.getByLabel('Length').boundingBox())!.y).toBe(lengthTop);

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(u.loss).toBeVisible();
    await studio.screenshot(`60-axe-train-${scheme}`);
    expect(await seriousViolations(page), `Train, ${scheme} theme`).toEqual([]);

    await page.getByRole('button', { name: 'Inspect', exact: true }).click();
    const view = page.getByRole('region', { name: 'Inspect' });
    if (scheme === 'light') {
      // a short text: axe checks every shaded character, and a whole corpus excerpt takes minutes under load
      await view.getByLabel('Text to inspect').fill('The quick brown fox runs far away into green hills.\nThen the lazy dog sings softly under an old moon!');
      await view.getByRole('button', { name: 'Score text' }).click();
      await expect(view.getByTestId('mean-bits')).toContainText('bits/char', { timeout: 30_000 });
    }
    await expect(view.getByTestId('heat-text')).toBeVisible();
    await studio.screenshot(`61-axe-inspect-${scheme}`);
    expect(await seriousViolations(page), `Inspect, ${scheme} theme`).toEqual([]);
  }
  // the dark theme's heat map box is dark, not the white it used to stay
  const box = await page.evaluate(`getComputedStyle(document.querySelector('[data-testid="heat-text"]')).backgroundColor`);
  expect(box).not.toBe('rgb(255, 255, 255)');
});

// Inspect's typed fields are checked where they are typed, as the Train form's are (issue 18, finding 3); a
// failed score takes the old heat map away (finding 4); every shaded character reads at 4.5:1 (finding 7);
// and the keyboard reaches the read-out (finding 12).
import { trainShortRun } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('Inspect checks its fields as they are typed and never shows a stale heat map', async ({ studio }) => {
  test.setTimeout(300_000);
  const { page, dialogs, corpora } = studio;
  await trainShortRun(page, dialogs, corpora.good, 400);
  await page.getByRole('button', { name: 'Inspect', exact: true }).click();
  const view = page.getByRole('region', { name: 'Inspect' });
  await view.getByRole('button', { name: 'Score text' }).click();
  await expect(view.getByTestId('mean-bits')).toContainText('bits/char', { timeout: 30_000 });

  // ---- a unit beyond the model's size: said beside the field, in its words; nothing is sent ----
  const unit = view.getByRole('textbox', { name: 'Unit', exact: true });
  await unit.fill('999');
  await expect(unit).toHaveAttribute('aria-invalid', 'true');
  const unitError = view.locator('#inspect-unit-error');
  await expect(unitError).toHaveText('Unit must be a whole number from 0 to 99'); // the model's own size: 100 units per layer
  await expect(view.getByRole('button', { name: 'Show unit' })).toBeDisabled();
  await unit.fill('abc');
  await expect(unitError).toContainText('Unit must be a whole number');
  await unit.fill('7');
  await expect(unitError).toHaveCount(0);
  await view.getByRole('button', { name: 'Show unit' }).click();
  await expect(view.getByRole('radio', { name: 'Unit h 0:7' })).toBeChecked();

  // ---- temperatures with a word among them: the error names it, next to the field ----
  const temperatures = view.getByLabel('Temperatures');
  await temperatures.fill('0.2, abc, 5');
  await expect(temperatures).toHaveAttribute('aria-invalid', 'true');
  await expect(view.locator('#strip-temperatures-error')).toHaveText('“abc” is not a temperature: each must be a number above 0 and at most 100');
  await expect(view.getByRole('button', { name: 'Sample', exact: true })).toBeDisabled();
  await view.getByLabel('Strip length').fill('0');
  await expect(view.locator('#strip-length-error')).toHaveText('Length must be a whole number from 1 to 2,000');
  await view.getByLabel('Minimum copied length').fill('5');
  await expect(view.locator('#copy-min-length-error')).toHaveText('Min. length must be a whole number from 12 to 10,000');
  await studio.screenshot('70-inspect-field-errors');
  // none of these became a request: no internal error anywhere
  await expect(page.getByText('The app sent a request it should not have')).toHaveCount(0);
  await expect(view.getByRole('alert')).toHaveCount(0);
  await temperatures.fill('0.5, 1');
  await view.getByLabel('Strip length').fill('40');
  await view.getByRole('button', { name: 'Sample', exact: true }).click();
  await expect(view.getByTestId('strip-text')).toHaveCount(2, { timeout: 30_000 });

  // ---- every shaded character reads at 4.5:1 or better (text colour chosen per cell) ----
  await view.getByRole('radio', { name: 'Surprisal' }).check();
  const worst = await page.evaluate(`(() => {
    const lum = (rgb) => {
      const c = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map((v) => { const s = Number(v) / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    let worst = Infinity;
    for (const cell of document.querySelectorAll('[data-testid="heat-text"] .c')) {
      const style = getComputedStyle(cell);
      if (style.backgroundColor === 'rgba(0, 0, 0, 0)') continue;
      const [a, b] = [lum(style.backgroundColor), lum(style.color)].sort((x, y) => y - x);
      worst = Math.min(worst, (a + 0.05) / (b + 0.05));
    }
    return worst;
  })()`) as number;
  expect(worst, 'the lowest contrast of a shaded character').toBeGreaterThanOrEqual(4.5);

  // ---- the keyboard reaches the read-out: arrows move along the text ----
  const heat = view.getByTestId('heat-text');
  await heat.focus();
  await page.keyboard.press('Home');
  await expect(view.getByTestId('heat-readout')).toContainText('the first character');
  await page.keyboard.press('ArrowRight');
  await expect(view.getByTestId('heat-readout')).toContainText('bits');
  await expect(view.getByTestId('heat-readout')).toContainText('expected:');
  await studio.screenshot('71-inspect-keyboard-readout');

  // ---- a text the model cannot read (every character unknown: skipped, nothing left to score): the error,
  // and no old heat map or figure under it ----
  await view.getByLabel('Text to inspect').fill('Ωμέγα☃');
  await view.getByRole('button', { name: 'Score text' }).click();
  await expect(view.getByRole('alert')).toBeVisible({ timeout: 30_000 });
  await expect(view.getByTestId('mean-bits')).toHaveCount(0);
  await expect(view.getByTestId('heat-text')).toHaveCount(0);
  await studio.screenshot('72-inspect-error-no-stale-heat-map');
});

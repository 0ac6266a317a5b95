// Every control has an accessible name, the keyboard reaches all of them in a sensible order, and
// focus is visible.
import { pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('every control is labelled, reachable by keyboard, and shows its focus', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report).toBeVisible();
  await page.getByLabel('Stop after').selectOption('minutes');

  // every control shown (the folded "More training settings" are checked once opened, below)
  const controls = page.locator('button, input, select, textarea, summary, [tabindex="0"]').filter({ visible: true });
  const count = await controls.count();
  expect(count).toBeGreaterThan(30);
  for (let i = 0; i < count; i++) await expect(controls.nth(i)).toHaveAccessibleName(/\S/);
  await u.hyperparameters.getByText('More training settings').click();
  const more = u.hyperparameters.locator('details input');
  expect(await more.count()).toBe(9); // batch, seed, clip, clip norm, validation fraction, dropout, weight average, threads, keep best
  for (let i = 0; i < 9; i++) await expect(more.nth(i)).toHaveAccessibleName(/\S/);

  // Tab from the top: every enabled control comes up once, in reading order (left, middle, right)
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  const visited: string[] = [];
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    const step = await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { name: '', again: false };
      const seen = (window.__tabSeen ??= new WeakSet());
      const again = seen.has(el);
      seen.add(el);
      const label = el.labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '';
      return { name: el.tagName.toLowerCase() + ':' + label.trim().replace(/\\s+/g, ' ').slice(0, 40), again };
    })()`) as { name: string; again: boolean };
    if (step.again) break;
    visited.push(step.name);
  }
  const at = (pattern: RegExp) => visited.findIndex((v) => pattern.test(v));
  for (const expected of [/^button:Open…/, /^input:Hidden size/, /^input:Minutes/, /^button:▶ Start/, /^button:nats/, /^textarea:Prime text/, /^input:Sampling seed/, /^button:New seed/, /^select:Export format/]) {
    expect(at(expected), `Tab reaches ${expected}`).toBeGreaterThanOrEqual(0);
  }
  expect(at(/^input:Hidden size/)).toBeLessThan(at(/^button:▶ Start/));
  expect(at(/^button:▶ Start/)).toBeLessThan(at(/^textarea:Prime text/));
  expect(visited.filter((v) => v === 'button:Open…')).toHaveLength(2); // the corpus's and the checkpoints'
  console.log(`[keyboard] Tab visits ${visited.length} controls`);

  // focus from the keyboard is drawn
  await u.startButton.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(`getComputedStyle(document.activeElement).outlineStyle`);
  expect(outline).not.toBe('none');
  await setField(page.getByLabel('Minutes'), '30');
  await u.startButton.focus();
  await studio.screenshot('13-keyboard-focus');
});

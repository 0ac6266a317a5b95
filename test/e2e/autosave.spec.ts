// A run the app quit in the middle of: on the next launch a banner offers its autosave, and resuming it
// carries on training from where it stopped. Menu commands and the Space shortcut drive it here.
import { chartGrowsBeyond, chartPoints, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('an autosave left by the last session can be resumed from the banner', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  dialogs.willOpen(corpora.good);
  await u.corpus.getByRole('button', { name: 'Open…' }).click();
  await expect(u.startButton).toBeEnabled();
  studio.backend.sendMenuCommand('start');
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, 20);
  // Space pauses when no control has the focus
  await page.locator('body').press(' ');
  await expect(u.phase).toHaveText('Paused');
  const iteration = Number((await page.locator('[data-stat="iteration"]').textContent())?.replace(/,/g, ''));

  // quitting autosaves; the next launch finds it
  await studio.restartBackend({ waitForAutosave: true });
  const banner = page.getByRole('region', { name: 'Autosave available' });
  await expect(banner).toBeVisible();
  await studio.screenshot('10-autosave-banner');
  await banner.getByRole('button', { name: 'Resume from autosave' }).click();
  await expect(banner).toBeHidden();
  await expect(u.phase).toHaveText('Paused');
  await expect(page.getByRole('status').filter({ hasText: 'Restored the autosave' })).toContainText(`iteration ${iteration}`);
  // the window shows what is training: the run's corpus and settings
  await expect(u.report).toContainText('tiny-fables.txt');
  await expect(page.getByLabel('Hidden size')).toHaveValue('100');

  // the menu's Resume carries on from the autosaved iteration
  const before = await chartPoints(page);
  studio.backend.sendMenuCommand('resume');
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, before + 5);
  await expect.poll(async () => Number((await page.locator('[data-stat="iteration"]').textContent())?.replace(/,/g, '')))
    .toBeGreaterThan(iteration);
  studio.backend.sendMenuCommand('stop');
  await expect(u.phase).toHaveText('Stopped');
});

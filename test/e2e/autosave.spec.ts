// A run the app quit in the middle of: on the next launch a banner offers its autosave, and resuming it
// carries on training from where it stopped, with the chart's earlier history; a window reloaded mid-run
// shows the chart so far. Menu commands and the Space shortcut drive it here.
import { chartGrowsBeyond, chartPoints, pickCorpus, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

test('an autosave left by the last session can be resumed from the banner', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.startButton).toBeEnabled();
  studio.backend.sendMenuCommand('start');
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, 20);
  // Space pauses when no control has the focus
  await page.locator('body').press(' ');
  await expect(u.phase).toHaveText('Paused');
  const iteration = Number((await page.locator('[data-stat="iteration"]').textContent())?.replace(/,/g, ''));
  const pointsBeforeQuit = await chartPoints(page);

  // quitting autosaves; the next launch finds it, and the reloaded page starts with an empty chart
  await studio.restartBackend({ expectAutosave: true });
  const banner = page.getByRole('region', { name: 'Autosave available' });
  await expect(banner).toBeVisible();
  // which corpus, which iteration, when, and at what loss
  await expect(banner).toContainText(`Autosave of tiny-fables.txt at iteration ${iteration.toLocaleString('en-US')}, saved `);
  await expect(banner).toContainText(/loss \d\.\d{3} nats/);
  expect(await chartPoints(page)).toBe(0);
  await studio.screenshot('10-autosave-banner');
  await banner.getByRole('button', { name: 'Resume from autosave' }).click();
  await expect(banner).toBeHidden();
  await expect(u.phase).toHaveText('Paused');
  await expect(page.getByRole('status').filter({ hasText: 'Restored the autosave' })).toContainText(`iteration ${iteration}`);
  // the window shows what is training: the run's corpus and settings
  await expect(u.report).toContainText('tiny-fables.txt');
  await expect(page.getByLabel('Hidden size')).toHaveValue('100');

  // the chart holds the autosave's whole history: every point the last session had drawn, up to its last iteration
  const saved = await studio.backend.handle('training:history', null);
  expect(saved.at(-1)?.iter).toBe(iteration);
  expect(saved.length).toBeGreaterThanOrEqual(pointsBeforeQuit);
  await expect.poll(() => chartPoints(page), { message: 'the restored chart should show the earlier history' }).toBe(saved.length);
  // and the figures of where it left off, from the same progress event
  await expect(page.locator('[data-stat="loss"]')).toContainText(/^\d+\.\d{3}/);
  await studio.screenshot('11-autosave-restored-chart');

  // the menu's Resume carries on from the autosaved iteration, on the same curve
  const before = await chartPoints(page);
  studio.backend.sendMenuCommand('resume');
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, before + 5);
  await expect.poll(async () => Number((await page.locator('[data-stat="iteration"]').textContent())?.replace(/,/g, '')))
    .toBeGreaterThan(iteration);

  // a window reloaded mid-run fetches the chart so far (paused here, so no new point can make up for a missing one)
  studio.backend.sendMenuCommand('pause');
  await expect(u.phase).toHaveText('Paused');
  const sofar = await studio.backend.handle('training:history', null);
  expect(sofar.length).toBeGreaterThan(before + 5);
  // the training time went on from the autosave's (each point records it): it never steps back to zero
  const savedMs = saved.at(-1)?.elapsedMs ?? NaN;
  expect(savedMs).toBeGreaterThan(0);
  const times = sofar.map((p) => p.elapsedMs ?? NaN);
  expect(times.every((t, i) => i === 0 || t >= times[i - 1]), 'training times only grow across the restore').toBe(true);
  expect(times.at(-1)!).toBeGreaterThan(savedMs);
  await page.reload();
  await expect(u.phase).toHaveText('Paused');
  await expect.poll(() => chartPoints(page), { message: 'the reloaded chart should show the run so far' }).toBe(sofar.length);
  // and keeps following the run
  studio.backend.sendMenuCommand('resume');
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, sofar.length);
  studio.backend.sendMenuCommand('stop');
  await expect(u.phase).toHaveText('Stopped');
});

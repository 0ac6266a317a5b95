// A .ckpt handed to the app by the OS (file manager, argv, a second launch, File › Open Recent) opens in the
// window through main's token, as the Open… dialog would; a running model is never replaced by it.
import { chartGrowsBeyond, pickCorpus, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';
import { join } from 'node:path';

test('a checkpoint from the file manager opens in the app', async ({ studio }) => {
  const { page, dialogs, corpora, folder } = studio;
  const u = ui(page);
  await pickCorpus(page, dialogs, corpora.good);
  await u.startButton.click();
  await chartGrowsBeyond(page, 20);
  const saved = join(folder, 'from-the-shell.ckpt');
  await u.stopButton.click();
  await expect(u.phase).toHaveText('Stopped');
  dialogs.willSave(saved);
  await u.checkpoints.getByRole('button', { name: 'Save as…' }).click();
  await expect(u.toasts).toContainText('Saved from-the-shell.ckpt');

  studio.backend.openCheckpointFromShell(saved);
  await expect(u.toasts).toContainText('Opened from-the-shell.ckpt');
  await expect(u.sampler).toContainText('From checkpoint from-the-shell.ckpt');
  // File › Open Recent lists it (main keeps the recent files)
  expect((await studio.backend.recentCheckpoints()).map((c) => c.fileName)).toContain('from-the-shell.ckpt');
  await studio.screenshot('40-opened-from-shell');
  await studio.backend.clearRecent();
  expect(await studio.backend.recentCheckpoints()).toEqual([]);
});

// The main path through the app, against the real backend and worker: pick a corpus, train, pause, sample,
// resume, stop, save and export a checkpoint, open it again and continue the same loss curve.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_HISTORY_POINTS } from '../../core/history.js';
import { chartGrowsBeyond, chartPoints, generate, pickCorpus, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

interface LongTask { start: number; duration: number }

test('train, pause, sample, resume, stop, save, export and continue from the checkpoint', async ({ studio }) => {
  const { page, dialogs, corpora, folder } = studio;
  const u = ui(page);

  // ---- the corpus, through the Open… dialog ----
  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report).toContainText('tiny-fables.txt');
  await expect(u.report).toContainText('CRLF');
  await expect(u.report.getByLabel('Warnings')).toContainText('CR LF');
  await expect(page.getByRole('banner')).toContainText('tiny-fables.txt');
  // live samples sooner than the seed's 1000 iterations, so this test sees some
  await setField(page.getByLabel('Sample every'), '300');
  await setField(page.getByLabel('Sample length'), '120');
  await page.getByRole('complementary', { name: 'Corpus and hyperparameters' }).evaluate((column) => { (column as unknown as { scrollTop: number }).scrollTop = 0; });
  await studio.screenshot('01-corpus-report');

  // ---- start (Ctrl+Enter), and watch the chart grow ----
  await expect(u.startButton).toBeEnabled();
  await page.locator('body').press('Control+Enter');
  await expect(u.phase).toHaveText('Training');
  const first = await chartGrowsBeyond(page, 0);
  const second = await chartGrowsBeyond(page, first);
  expect(second).toBeGreaterThan(first);
  await expect(u.liveSamples.getByRole('heading', { name: /^iter / }).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('[data-stat="speed"]')).not.toHaveText('—');
  await expect(page.getByLabel('Hidden size')).toBeDisabled();

  // ---- renderer long tasks over ~5 s of training at full speed ----
  await page.evaluate(() => { (globalThis as unknown as { __studioLongTasks: LongTask[] }).__studioLongTasks.length = 0; });
  const pointsBefore = await chartPoints(page);
  await page.waitForTimeout(5000);
  const longTasks = await page.evaluate(() => (globalThis as unknown as { __studioLongTasks: LongTask[] }).__studioLongTasks);
  const pointsAfter = await chartPoints(page);
  const maxLongTask = longTasks.reduce((m, t) => Math.max(m, t.duration), 0);
  console.log(`[long tasks] ${longTasks.length} over 50 ms in 5 s of training; max ${maxLongTask.toFixed(0)} ms; chart ${pointsBefore} → ${pointsAfter} points`);
  expect(maxLongTask, 'no renderer task over 500 ms while training').toBeLessThan(500);
  await studio.screenshot('02-training');

  // ---- pause (Ctrl+P) and sample twice with the same seed ----
  await page.locator('body').press('Control+p');
  await expect(u.phase).toHaveText('Paused');
  await expect(u.resumeButton).toBeEnabled();
  await expect(u.sampler).toContainText('From the model in training');
  await u.sampler.getByLabel('Prime text').fill('The ');
  await setField(u.sampler.getByLabel('Length'), '160');
  await setField(u.sampler.getByLabel(/^Sampling seed/), '1234');
  const once = await generate(page);
  const twice = await generate(page);
  expect(once.length).toBe(160);
  expect(twice).toBe(once);
  // copy and save take the prime with the text
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await u.sampler.getByRole('button', { name: 'Copy' }).click();
  await expect(u.toasts).toContainText('Copied to the clipboard');
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`The ${once}`);
  dialogs.willSave(join(folder, 'sample.txt'));
  await u.sampler.getByRole('button', { name: 'Save…' }).click();
  await expect(u.toasts).toContainText('sample.txt');
  expect(await readFile(join(folder, 'sample.txt'), 'utf8')).toBe(`The ${once}`);
  await u.sampler.getByRole('button', { name: 'New seed' }).click();
  await expect(u.sampler.getByLabel(/^Sampling seed/)).not.toHaveValue('1234');
  await studio.screenshot('03-paused-sampled');

  // ---- resume: the chart carries on, with a pause marker ----
  const atPause = await chartPoints(page);
  await u.resumeButton.click();
  await expect(u.phase).toHaveText('Training');
  await chartGrowsBeyond(page, atPause);
  // sampling works while the model trains, too
  expect(await generate(page)).toHaveLength(160);

  // ---- stop ----
  await u.stopButton.click();
  await expect(u.phase).toHaveText('Stopped');
  const iterationText = await page.locator('[data-stat="iteration"]').textContent();
  const stoppedAt = Number(iterationText?.replace(/,/g, ''));
  expect(stoppedAt).toBeGreaterThan(0);

  // ---- save, export (native and safetensors), chart as CSV and PNG ----
  dialogs.willSave();
  await u.checkpoints.getByRole('button', { name: 'Save as…' }).click();
  await expect(u.toasts).toContainText(`Saved tiny-fables-iter${stoppedAt}.ckpt`);
  const recentCheckpoint = u.checkpoints.getByRole('list').getByRole('button', { name: new RegExp(`tiny-fables-iter${stoppedAt}\\.ckpt`) });
  await expect(recentCheckpoint).toContainText(`iter ${stoppedAt.toLocaleString('en-US')}`);
  const exported = join(folder, 'exported.ckpt');
  dialogs.willSave(exported);
  await u.checkpoints.getByRole('button', { name: 'Export…' }).click();
  await expect(u.toasts).toContainText('Exported checkpoint to exported.ckpt');
  dialogs.willSave(join(folder, 'exported.safetensors'));
  await u.checkpoints.getByLabel('Export format').selectOption('safetensors');
  await u.checkpoints.getByRole('button', { name: 'Export…' }).click();
  await expect(u.toasts).toContainText('Exported safetensors');
  expect((await readFile(join(folder, 'exported.safetensors'))).length).toBeGreaterThan(1000);
  // a web page and ONNX through the same Export… (issue 16; test/e2e/share-page.spec.ts opens a page)
  dialogs.willSave(join(folder, 'exported.html'));
  await u.checkpoints.getByLabel('Export format').selectOption('html');
  await u.checkpoints.getByRole('button', { name: 'Export…' }).click();
  await expect(u.toasts).toContainText('Exported web page');
  await expect.poll(() => readFile(join(folder, 'exported.html'), 'utf8').catch(() => '')).toContain('Trained on <b>tiny-fables');
  dialogs.willSave(join(folder, 'exported.onnx'));
  await u.checkpoints.getByLabel('Export format').selectOption('onnx');
  await u.checkpoints.getByRole('button', { name: 'Export…' }).click();
  await expect(u.toasts).toContainText('Exported ONNX model');
  expect((await readFile(join(folder, 'exported.onnx'))).subarray(4, 19).toString()).toBe('char-rnn-studio');

  dialogs.willSave(join(folder, 'loss.csv'));
  await u.loss.getByRole('button', { name: 'CSV' }).click();
  await expect(u.toasts).toContainText('Saved');
  // the checkpoint's "Saved …" toast may still be up: wait for the file itself
  await expect.poll(() => readFile(join(folder, 'loss.csv'), 'utf8').then((t) => t.length > 0, () => false)).toBe(true);
  const csv = (await readFile(join(folder, 'loss.csv'), 'utf8')).trim().split('\n');
  expect(csv[0]).toBe('iteration,train_loss_nats,val_loss_nats,train_loss_bits,val_loss_bits,raw_train_loss_nats');
  // the raw training loss is recorded for every point of the live run
  expect(csv.slice(1).filter((line) => line.split(',')[5] !== '').length).toBeGreaterThan(csv.length / 2);
  const csvIters = csv.slice(1).map((line) => Number(line.split(',')[0]));
  expect(csvIters.every((it, i) => i === 0 || it > csvIters[i - 1])).toBe(true);
  dialogs.willSave(join(folder, 'loss.png'));
  await u.loss.getByRole('button', { name: 'PNG' }).click();
  await expect(u.toasts).toContainText('loss.png');
  expect((await readFile(join(folder, 'loss.png'))).subarray(1, 4).toString()).toBe('PNG');

  // ---- a fresh window opens the exported checkpoint: the chart shows its history and continues ----
  await page.reload();
  await expect(u.phase).toBeVisible();
  // the window comes back with the model main holds, and its chart (issue 18: the state never contradicts itself)
  await expect.poll(() => chartPoints(page)).toBeGreaterThan(0);
  dialogs.willOpen(exported);
  await u.checkpoints.getByRole('button', { name: 'Open…' }).click();
  await expect(u.toasts).toContainText('Opened exported.ckpt');
  const restored = await chartGrowsBeyond(page, 0);
  // a checkpoint keeps at most MAX_HISTORY_POINTS, downsampled: on a fast machine the live chart holds more
  expect(restored).toBeGreaterThan(Math.min(csvIters.length, MAX_HISTORY_POINTS) / 2);
  await expect(u.sampler).toContainText('From checkpoint exported.ckpt');
  expect(await generate(page)).toHaveLength(500); // a fresh window: the sampler's default length

  await pickCorpus(page, dialogs, corpora.good);
  await expect(u.report).toBeVisible();
  await expect(u.startButton).toHaveText('▶ Continue');
  await u.startButton.click();
  await expect(u.phase).toHaveText('Training');
  // the sampler's caption follows the model (issue 18): the checkpoint is now the model in training; the text
  // generated before keeps its own label, which names the checkpoint that made it
  await expect(u.sampler.getByText(/^From the model in training \(iteration [\d,]+\)$/)).toBeVisible();
  await expect(u.sampler).not.toContainText('From checkpoint exported.ckpt');
  await expect(page.getByTestId('sample-label')).toHaveText('Generated by checkpoint exported.ckpt · temperature 0.8 · seed 42');
  await chartGrowsBeyond(page, restored + 5);
  await expect.poll(async () => Number((await page.locator('[data-stat="iteration"]').textContent())?.replace(/,/g, '')))
    .toBeGreaterThan(stoppedAt);
  await studio.screenshot('04-checkpoint-continued');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(400);
  await studio.screenshot('05-dark-theme');
  await page.emulateMedia({ colorScheme: 'light' });

  await u.stopButton.click();
  await expect(u.phase).toHaveText('Stopped');

  // bits instead of nats: the status follows the chart's unit
  const natsLoss = Number.parseFloat((await page.locator('[data-stat="best-val"]').textContent()) ?? '');
  await u.loss.getByRole('button', { name: 'bits' }).click();
  await expect(page.locator('[data-stat="best-val"]')).toContainText('bits');
  const bitsLoss = Number.parseFloat((await page.locator('[data-stat="best-val"]').textContent()) ?? '');
  expect(bitsLoss).toBeCloseTo(natsLoss / Math.LN2, 2);
  await u.loss.getByRole('button', { name: 'nats' }).click();
});

// Locators and small waits for the app's UI, so the specs read as what a person does.
import { expect, type Locator, type Page } from '@playwright/test';

export function ui(page: Page) {
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  return {
    corpus: region('Corpus'),
    hyperparameters: region('Hyperparameters'),
    sampler: region('Sampler'),
    checkpoints: region('Checkpoints'),
    liveSamples: region('Live samples'),
    loss: region('Loss'),
    /** Transient notices over the page (Saved …, Copied, Stop training?). */
    toasts: region('Notices'),
    report: page.getByLabel('Corpus report'),
    phase: page.getByRole('status', { name: 'Training state' }),
    startButton: page.getByRole('button', { name: /^▶ (Start|Continue)$/ }),
    startNewButton: page.getByRole('button', { name: 'Start new' }),
    pauseButton: page.getByRole('button', { name: /Pause$/ }),
    resumeButton: page.getByRole('button', { name: /^▶ Resume$/ }),
    stopButton: page.getByRole('button', { name: /Stop$/ }),
    chartBox: page.locator('[data-points]'),
    sampleOutput: page.getByTestId('sample-text'),
    generateButton: page.getByRole('button', { name: /^(Generate|Sampling…)$/ }),
  };
}

/** Pick a file through the corpus panel's Open… button, the scripted dialog answering with `path`. */
export async function pickCorpus(page: Page, dialogs: { willOpen(path: string | null): void }, path: string | null): Promise<void> {
  dialogs.willOpen(path);
  await ui(page).corpus.getByRole('button', { name: 'Open…' }).click();
}

/** Open `corpus` (its report naming `fileName`) and ask for a 200-character live sample every 200 iterations. */
export async function openWithLiveSamples(page: Page, dialogs: { willOpen(path: string | null): void }, corpus: string, fileName: string): Promise<void> {
  await pickCorpus(page, dialogs, corpus);
  await expect(ui(page).report).toContainText(fileName);
  await setField(page.getByLabel('Sample every'), '200');
  await setField(page.getByLabel('Sample length'), '200');
}

/** How many points the loss chart holds right now. */
export async function chartPoints(page: Page): Promise<number> {
  return Number(await page.locator('[data-points]').getAttribute('data-points'));
}

/** Wait until the chart holds more than `than` points; returns the new count. */
export async function chartGrowsBeyond(page: Page, than: number, timeout = 20_000): Promise<number> {
  await expect.poll(() => chartPoints(page), { timeout, message: `the chart should grow beyond ${than} points` }).toBeGreaterThan(than);
  return chartPoints(page);
}

export async function setField(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.blur();
}

/** Run the sampler and return the generated text once it has finished streaming. */
export async function generate(page: Page): Promise<string> {
  const u = ui(page);
  await u.generateButton.click();
  await expect(u.generateButton).toHaveText('Generate', { timeout: 20_000 });
  return (await u.sampleOutput.textContent()) ?? '';
}

/**
 * The chart's read-out at its last point (the run paused, so the chart holds still): the pointer moves right
 * along the plot until the read-out reaches `lastIteration` (the plot ends a few pixels inside the canvas, and
 * Chart.js reports no hover outside it).
 */
export async function readoutAtLastPoint(page: Page, lastIteration: number): Promise<string> {
  const canvas = ui(page).loss.locator('canvas');
  const box = (await canvas.boundingBox())!;
  const readout = page.getByTestId('chart-readout');
  const iterationOf = (text: string) => Number(/Iteration ([\d,]+)/.exec(text)?.[1].replace(/,/g, '') ?? 0);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // walk to the right edge and keep the read-out of the highest iteration: the last point. Stopping at the first
  // one near the end read a neighbour six iterations before it on one axis and the last point on another.
  let last = '';
  for (const offset of [40, 30, 24, 18, 14, 10, 7, 4, 2]) {
    await page.mouse.move(box.x + box.width - offset, box.y + box.height / 2);
    await page.waitForTimeout(150);
    const text = (await readout.textContent()) ?? '';
    if (iterationOf(text) > iterationOf(last)) last = text;
  }
  if (iterationOf(last) >= lastIteration) return last;
  throw new Error(`the chart's read-out never reached iteration ${lastIteration}: "${last}"`);
}

/**
 * Open the good corpus and train a short run that stops by itself after `iterations` (no interaction while it
 * trains: under heavy load Chromium's input can stall for many seconds while the chart redraws).
 */
export async function trainShortRun(page: Page, dialogs: { willOpen(path: string | null): void }, corpus: string, iterations: number, sampleEvery = 200): Promise<void> {
  const u = ui(page);
  await pickCorpus(page, dialogs, corpus);
  await expect(u.report).toContainText(/Characters|chars/);
  await setField(page.getByLabel('Sample every'), String(sampleEvery));
  await page.getByLabel('Stop after').selectOption('iterations');
  await setField(page.getByLabel('Iterations', { exact: true }), String(iterations));
  await u.startButton.click();
  await expect(u.phase).toHaveText('Stopped', { timeout: 150_000 });
}

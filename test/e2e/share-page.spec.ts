// The shared web page (issue 16): a trained model exported to .html, opened from file:// with every
// request blocked, gives through its own form and through window.charRnn.sample exactly the text
// `char-rnn sample` prints for the same seed. Screenshots of both themes go to test-results/share-page/.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { generatedCorpus, ok, runCli } from '../helpers/cli-run.js';

const SHOTS = resolve('test-results/share-page');

/** What the page gives a script (the project's lib settings carry no DOM types). */
interface PageGlobals {
  charRnn: { info: object; sample(options: object): string };
  getComputedStyle(el: unknown): { backgroundColor: string };
  document: { body: unknown; documentElement: { scrollWidth: number; clientWidth: number } };
}
let dir = '';
let pageUrl = '';
let html = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-share-'));
  const corpus = join(dir, 'stories.txt'), model = join(dir, 'model.ckpt'), out = join(dir, 'Stories bot.html');
  await writeFile(corpus, generatedCorpus(6000));
  ok(await runCli(['train', corpus, '--model', 'lstm', '--hidden', '32', '--layers', '2', '--iterations', '200',
    '--print-every', '0', '--sample-every', '100', '--out', model]), 'train');
  ok(await runCli(['export', model, out, '--text-name', 'stories.txt']), 'export');
  html = await readFile(out, 'utf8');
  pageUrl = pathToFileURL(out).href;
  process.env.SHARE_MODEL = model;
});

test.afterAll(() => rm(dir, { recursive: true, force: true }));

/** `char-rnn sample` on the same checkpoint: its stdout, which a pipe gets without a final newline. */
async function cliSample(args: string[]): Promise<string> {
  const run = await runCli(['sample', process.env.SHARE_MODEL!, ...args]);
  ok(run, `sample ${args.join(' ')}`);
  return run.stdout;
}

/** Open the page offline: every request but the page's own file is aborted and recorded, and so is every console error. */
async function openOffline(page: Page): Promise<{ requests: string[]; errors: string[] }> {
  const requests: string[] = [], errors: string[] = [];
  await page.context().route((url) => url.href !== pageUrl, (route) => { requests.push(route.request().url()); return route.abort(); });
  page.on('request', (r) => { if (r.url() !== pageUrl) requests.push(r.url()); });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.context().setOffline(true);
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'charRnn' in globalThis);
  return { requests, errors };
}

test('the page samples exactly as char-rnn sample does, offline, through its form and window.charRnn', async ({ page }) => {
  const { requests, errors } = await openOffline(page);
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).charRnn.info)).toEqual(
    { cell: 'lstm', hiddenSize: 32, layers: 2, vocabSize: expect.any(Number), iteration: 200, kernels: 'wasm' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stories bot');
  await expect(page.locator('header')).toContainText('Trained on stories.txt');
  await expect(page.locator('header')).toContainText(/validation loss \d\.\d{4} nats\/char/);

  const settings = [
    { prime: 'The ', length: 300, temperature: 0.8, topK: 0, seed: 7 },
    { prime: '', length: 250, temperature: 1.3, topK: 5, seed: 7 },
    { prime: 'Dog', length: 200, temperature: 1, topK: 0, seed: 123456 },
  ];
  for (const s of settings) {
    const want = await cliSample(['--seed', String(s.seed), '--length', String(s.length), '--temperature', String(s.temperature),
      '--top-k', String(s.topK), ...(s.prime ? ['--prime', s.prime] : [])]);
    expect(want.length).toBe(s.prime.length + s.length);
    expect(await page.evaluate((o) => (globalThis as unknown as PageGlobals).charRnn.sample(o), s), `window.charRnn.sample ${JSON.stringify(s)}`).toBe(want);
  }

  // through the page's own controls
  const want = await cliSample(['--seed', '7', '--length', '400', '--temperature', '0.9', '--top-k', '10', '--prime', 'The ']);
  await page.getByLabel('Start with').fill('The ');
  await page.getByLabel('Length').fill('400');
  await page.getByLabel('Temperature').fill('0.9');
  await page.getByLabel('Top-k').fill('10');
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.locator('#output')).toBeVisible();
  expect(await page.locator('#output').textContent()).toBe(want);

  // a bad setting is one line on the page, and the last text stays
  await page.getByLabel('Temperature').fill('0');
  await page.getByRole('button', { name: 'Generate' }).click();
  await expect(page.locator('#status')).toContainText(/temperature/i);
  expect(await page.locator('#output').textContent()).toBe(want);

  expect(requests, 'the page made no request').toEqual([]);
  expect(errors, 'no console error or CSP violation').toEqual([]);
});

test('the page is self-contained: a strict CSP by hash, no external reference, code and markup within 60 KB', async () => {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
  expect(html).not.toMatch(/\b(src|href)=/);
  const model = JSON.parse(/<script type="application\/json" id="char-rnn-model">([^<]*)<\/script>/.exec(html)![1]);
  const codeAndMarkup = Buffer.byteLength(html) - Buffer.byteLength(model.weights);
  console.log(`[share-page] ${Buffer.byteLength(html)} bytes: weights ${model.weights.length} (base64), code and markup ${codeAndMarkup}`);
  expect(codeAndMarkup).toBeLessThanOrEqual(60 * 1024);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots, ${scheme}: a phone and a desktop window`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 390, height: 844 });
    await openOffline(page);
    await page.getByLabel('Start with').fill('The ');
    await page.getByLabel('Seed', { exact: true }).fill('7');
    await page.getByRole('button', { name: 'Generate' }).click();
    await expect(page.locator('#output')).toBeVisible();
    const background = await page.evaluate(() => { const w = globalThis as unknown as PageGlobals; return w.getComputedStyle(w.document.body).backgroundColor; });
    expect(background).toBe(scheme === 'dark' ? 'rgb(21, 23, 26)' : 'rgb(251, 250, 247)');
    const overflow = await page.evaluate(() => { const d = (globalThis as unknown as PageGlobals).document.documentElement; return d.scrollWidth - d.clientWidth; });
    expect(overflow, 'nothing wider than a phone').toBe(0);
    await page.screenshot({ path: join(SHOTS, `phone-${scheme}.png`), fullPage: true });
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.screenshot({ path: join(SHOTS, `desktop-${scheme}.png`) });
  });
}

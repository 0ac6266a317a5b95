// The real desktop app under Playwright's _electron: a locked-down window, window.api over IPC, training
// in a utility process, the menu, and a quit that autosaves. Skipped, with the reason, without a binary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { Hyperparameters, StudioApi, TrainingStatus } from '../../main/contract/api.js';
import { findElectronBinary } from './electron-binary.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const binary = findElectronBinary();

type PageGlobals = { api: StudioApi; require?: unknown; process?: unknown; open(url: string): unknown; location: { href: string } };

test.describe('Char-RNN Studio (Electron)', () => {
  test.skip(!binary.found, binary.found ? '' : binary.reason);

  let app: ElectronApplication;
  let page: Page;
  let folder: string;

  test.beforeAll(async () => {
    if (!binary.found) return;
    for (const [label, args] of [['main', ['scripts/build-main.mjs']], ['renderer', ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts']]] as const) {
      const r = spawnSync(process.execPath, [...args], { cwd: REPO, stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`building the ${label} failed`);
    }
    folder = mkdtempSync(join(tmpdir(), 'studio-electron-'));
    app = await _electron.launch({
      executablePath: binary.path,
      args: [REPO],
      env: { ...process.env, CHAR_RNN_USER_DATA: join(folder, 'user-data') },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    if (!binary.found) return;
    await app?.close().catch(() => {});
    rmSync(folder, { recursive: true, force: true });
  });

  test('one window, locked down: isolated, sandboxed, no Node, served from app://', async () => {
    expect(page.url()).toBe('app://studio/index.html');
    const windows = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => ({ visible: w.isVisible(), pid: w.webContents.getOSProcessId() })));
    expect(windows).toHaveLength(1);
    expect(windows[0].visible).toBe(true);
    const page_ = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals & { Buffer?: unknown; module?: unknown };
      let evalBlocked = false;
      try { (0, eval)('1'); } catch { evalBlocked = true; }
      return {
        node: [typeof g.require, typeof g.process, typeof g.Buffer, typeof g.module],
        api: Object.keys(g.api).sort(),
        popup: g.open('https://example.com') === null, evalBlocked,
      };
    });
    expect(page_.node, 'no Node in the page (nodeIntegration off, context isolated)').toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
    expect(page_.api).toContain('startTraining');
    expect(page_.api).not.toContain('invoke');
    expect(page_.popup).toBe(true);
    expect(page_.evalBlocked).toBe(true);
    await page.evaluate(() => { (globalThis as unknown as PageGlobals).location.href = 'https://example.com/'; });
    await page.waitForTimeout(300);
    expect(page.url()).toBe('app://studio/index.html');
  });

  test('window.api trains in the utility process, samples, and refuses bad input', async () => {
    const corpus = join(folder, 'corpus.txt');
    writeFileSync(corpus, 'the cat sat on the mat and the dog ran to the sea. '.repeat(200));
    // the native Open dialog answers with the corpus: the page then names it by the token main hands out
    await app.evaluate(({ dialog }, path) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [path] })) as unknown as typeof dialog.showOpenDialog;
    }, corpus);
    const outcome = await page.evaluate(async () => {
      const api = (globalThis as unknown as PageGlobals).api;
      const report = (await api.openCorpus())!;
      const corpusToken = report.token;
      const settings = await api.getSettings();
      const base = settings.hyperparameters;
      const h: Hyperparameters = { model: { ...base.model, hiddenSize: 8 }, training: { ...base.training, seqLength: 10 },
        run: { ...base.run, sampleEvery: 50, stopAfter: { kind: 'iterations', value: 200 } } };
      const refused = await api.startTraining(corpusToken, { ...h, training: { ...h.training, learningRate: Number.NaN } }).then(() => null, (e: Error) => JSON.parse(e.message.slice(e.message.indexOf('{"code"'))));
      await api.startTraining(corpusToken, h);
      let status: TrainingStatus = await api.status();
      for (let i = 0; i < 200 && status.phase !== 'stopped'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = await api.status();
      }
      const sample = await api.sample({ prime: 'the ', length: 30, temperature: 1, topK: 0, argmax: false, seed: 3 });
      return { characters: report.characters, refused, status, sample: sample.text };
    });
    expect(outcome.characters).toBe(10200);
    expect(outcome.refused.code).toBe('invalid-request');
    expect(outcome.status.phase).toBe('stopped');
    expect(outcome.status.iteration).toBe(200);
    expect(outcome.sample).toHaveLength(30);
  });

  test('the menu offers the commands with accelerators', async () => {
    const items = await app.evaluate(({ Menu }) =>
      Menu.getApplicationMenu()!.items.flatMap((m) => m.submenu?.items ?? []).filter((i) => i.accelerator).map((i) => `${i.label} ${i.accelerator}`));
    for (const expected of ['Open Corpus… CmdOrCtrl+O', 'Save Checkpoint… CmdOrCtrl+S', 'Start CmdOrCtrl+Enter', 'Pause CmdOrCtrl+P', 'Stop CmdOrCtrl+.', 'Sample CmdOrCtrl+G']) {
      expect(items).toContain(expected);
    }
  });

  test('Help and File › Open Recent are in the menu; DevTools only unpackaged', async () => {
    const menu = await app.evaluate(({ app: a, Menu }) => {
      const top = Menu.getApplicationMenu()!.items;
      const labels = (items: Electron.MenuItem[]): string[] => items.flatMap((i) => [i.label, ...(i.submenu ? labels(i.submenu.items) : [])]);
      return { packaged: a.isPackaged, labels: labels(top), roles: top.flatMap((m) => m.submenu?.items.map((i) => i.role ?? '') ?? []) };
    });
    for (const label of ['Keyboard Shortcuts', 'README', 'Open Recent', 'Clear Recent']) expect(menu.labels).toContain(label);
    expect(menu.roles.map((r) => String(r).toLowerCase()).includes('toggledevtools')).toBe(!menu.packaged);
  });

  test('quitting autosaves the model, so the next start can restore it', async () => {
    await app.close();
    expect(existsSync(join(folder, 'user-data', 'autosave', 'latest.json'))).toBe(true);
  });
});

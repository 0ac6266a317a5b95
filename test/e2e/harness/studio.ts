// The end-to-end harness: the built renderer served from 127.0.0.1, window.api from the preload's createApi,
// and behind it the REAL backend (createBackend) with the REAL worker forked with child_process
// (serialization 'advanced'). Only the window chrome is replaced: file dialogs return paths the test chose.
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { test as base, expect, type Page } from '@playwright/test';
import { createBackend, type Backend } from '../../../main/backend.js';
import { defaultHyperparameters } from '../../../main/contract/defaults.js';
import type { OpenFileOptions, SaveFileOptions } from '../../../main/services/dialogs.js';
import { sourceForkWorker } from '../../../main/services/node-fork.js';
import { writeCorpora, type Corpora } from './corpora.js';
import { serveDirectory, type StaticServer } from './server.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const RENDERER_DIR = join(REPO, 'dist/renderer');
export const SCREENSHOT_DIR = join(REPO, 'test-results/screenshots');

/** File dialogs: each open or save takes the next answer the test queued; with none queued, it is cancelled. */
export class ScriptedDialogs {
  readonly opened: OpenFileOptions[] = [];
  readonly saved: SaveFileOptions[] = [];
  private readonly openAnswers: (string | null)[] = [];
  private readonly saveAnswers: (string | null)[] = [];

  constructor(private readonly saveFolder: string) {}

  /** The next Open dialog picks this file. */
  willOpen(path: string | null): void {
    this.openAnswers.push(path);
  }

  /** The next Save dialog picks this path (default: its suggested name in the test's folder). */
  willSave(path?: string | null): void {
    this.saveAnswers.push(path === undefined ? '' : path);
  }

  async openFile(options: OpenFileOptions): Promise<string | null> {
    this.opened.push(options);
    return this.openAnswers.shift() ?? null;
  }

  async saveFile(options: SaveFileOptions): Promise<string | null> {
    this.saved.push(options);
    const answer = this.saveAnswers.shift();
    if (answer === undefined || answer === null) return null;
    return answer === '' ? join(this.saveFolder, options.defaultName) : answer;
  }
}

export interface Studio {
  page: Page;
  /** The backend behind the page now (restartBackend replaces it). */
  readonly backend: Backend;
  dialogs: ScriptedDialogs;
  corpora: Corpora;
  folder: string;
  /**
   * Quit and start the backend again on the same user-data folder (as the app does on its next launch),
   * then reload the page. With expectAutosave, quitting must have recorded an autosave by the time
   * dispose() resolves.
   */
  restartBackend(options?: { expectAutosave?: boolean }): Promise<void>;
  /** Let a dropped file named `name` resolve to `path` (what webUtils.getPathForFile does in the app). */
  allowDrop(name: string, path: string): Promise<void>;
  screenshot(name: string): Promise<string>;
}

async function bundleBridge(): Promise<string> {
  const result = await build({
    entryPoints: [join(REPO, 'test/e2e/harness/page-bridge.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

export const test = base.extend<{ studio: Studio; firstLaunch: boolean }, { server: StaticServer; bridgeScript: string }>({
  /**
   * false (the default): the app starts with the seed's settings stored, as someone who has used it; a newly
   * opened text keeps them. true: the first launch, where Auto is the default for a newly opened text.
   */
  firstLaunch: [false, { option: true }],

  server: [async ({}, use) => {
    const server = await serveDirectory(RENDERER_DIR);
    await use(server);
    await server.close();
  }, { scope: 'worker' }],

  bridgeScript: [async ({}, use) => { await use(await bundleBridge()); }, { scope: 'worker' }],

  studio: async ({ page, server, bridgeScript, firstLaunch }, use, testInfo) => {
    const folder = await mkdtemp(join(tmpdir(), 'studio-e2e-'));
    const corpora = await writeCorpora(join(folder, 'corpora'));
    const dialogs = new ScriptedDialogs(folder);
    const userDataDir = join(folder, 'user-data');
    if (!firstLaunch) {
      await mkdir(userDataDir, { recursive: true });
      await writeFile(join(userDataDir, 'settings.json'), JSON.stringify({
        version: 1, hyperparameters: defaultHyperparameters(), hyperparametersChosen: true, recent: { corpora: [], checkpoints: [] }, windowBounds: null,
      }));
    }
    const launch = () => createBackend({
      userDataDir,
      dialogs,
      forkWorker: sourceForkWorker(),
      log: (message) => console.log(`[backend] ${message}`),
    });
    // The backend's events reach the page in batches, one page.evaluate at a time: an evaluate per event (progress
    // 20 a second, live samples, statuses) can arrive faster than a busy page runs them, and a backlog then holds
    // back the status that ends a run. In the app, Electron's IPC carries them; nothing is dropped here either.
    type Emitted = [channel: string, payload: unknown];
    let queued: Emitted[] = [];
    let delivering = false;
    const deliver = () => {
      if (delivering || queued.length === 0) return;
      const batch = queued;
      queued = [];
      delivering = true;
      page.evaluate((events) => (globalThis as unknown as { __studioEmit(e: Emitted[]): void }).__studioEmit(events), batch)
        .catch(() => { /* the page is closing or reloading */ })
        .finally(() => { delivering = false; deliver(); });
    };
    const forward = (b: Backend) => b.onAny((channel, payload) => {
      queued.push([channel, payload]);
      deliver();
    });
    let backend = launch();
    let stopForwarding = forward(backend);

    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });

    await page.exposeBinding('__studioInvoke', (_source, channel: string, arg: unknown) => backend.invoke(channel, arg));
    await page.addInitScript({ content: bridgeScript });
    // CSP violations would be silent in the app; here they fail the test
    await page.addInitScript({ content: `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));` });

    await page.goto(server.url);
    await expect(page.getByRole('heading', { name: 'Char-RNN Studio' })).toBeVisible();

    await use({
      page,
      get backend() { return backend; },
      dialogs,
      corpora,
      folder,
      restartBackend: async (options = {}) => {
        stopForwarding();
        await backend.dispose(10_000);
        if (options.expectAutosave) {
          // no waiting: the next launch reads the record at once, as the app's does
          const record = join(userDataDir, 'autosave', 'latest.json');
          expect(await stat(record).then(() => true, () => false), 'dispose() resolves after the autosave is recorded').toBe(true);
        }
        backend = launch();
        stopForwarding = forward(backend);
        await page.reload();
        await expect(page.getByRole('heading', { name: 'Char-RNN Studio' })).toBeVisible();
      },
      allowDrop: (name, path) => page.evaluate(([n, p]) => {
        (globalThis as unknown as { __studioDroppedPaths: Record<string, string> }).__studioDroppedPaths[n] = p;
      }, [name, path] as const),
      screenshot: async (name) => {
        const path = join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path });
        await testInfo.attach(name, { path, contentType: 'image/png' });
        return path;
      },
    });

    stopForwarding();
    await backend.dispose(3000);
    await rm(folder, { recursive: true, force: true });
    expect(problems, 'no page errors, console errors or CSP violations').toEqual([]);
  },
});

export { expect };

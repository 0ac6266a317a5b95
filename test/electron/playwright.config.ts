// Playwright's _electron against the real app (dist/ built by the suite). Without an Electron binary the
// tests are skipped, and this config says so at the top of the output and the reporter at the bottom.
import { defineConfig } from '@playwright/test';
import { findElectronBinary, SKIP_NOTICE } from './electron-binary.js';

const binary = findElectronBinary();
if (!binary.found) process.stdout.write(SKIP_NOTICE(binary.reason));

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/electron-output',
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['./skip-reporter.ts']],
});

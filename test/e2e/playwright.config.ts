// Playwright for the renderer against the real backend and worker, in Debian's Chromium (no downloaded browsers).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/e2e-output',
  // one test at a time: each runs a training worker, and two cores are shared with the browser
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  // No retries: a test that passes only on its second try is a failure to look into.
  retries: 0,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['./summary-reporter.ts']],
  use: {
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    // Tracing is off unless asked for (E2E_TRACE=1): its recorder snapshots the whole DOM at every expect
    // retry, and with a page that changes 30 times a second while training it kept Chromium's main thread
    // saturated (the page drew 8-17 frames a second instead of 60). Events then backed up behind it and a run's
    // end reached the page minutes late: the "stays Training" failures. A failure still leaves a screenshot and
    // the page's aria snapshot (error-context.md).
    trace: process.env.E2E_TRACE ? 'retain-on-failure' : 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', // Debian's; set CHROMIUM_PATH elsewhere
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
});

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
  // One retry in CI. Known and not yet understood: in a full run, a short run that stops by itself has, now and
  // then, stayed "Training" in the page (seen once each in responsive-layout and inspect-fields, never when they
  // run alone). Playwright lists such a test as flaky, so it stays visible; the cause is an open finding.
  retries: process.env.CI ? 1 : 0,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['./summary-reporter.ts']],
  use: {
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', // Debian's; set CHROMIUM_PATH elsewhere
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
});

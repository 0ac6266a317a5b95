// The app's icons, rendered from build/icon.svg by Debian's Chromium (Playwright, no download): build/icon.png
// (1024 px, from which electron-builder makes the macOS .icns and Windows .ico) and build/icons/NxN.png for
// Linux. Run after changing the SVG: `node scripts/build-icons.mjs`; the PNGs are committed.
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const svg = readFileSync('build/icon.svg', 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  for (const [size, file] of [[1024, 'build/icon.png'], ...[16, 24, 32, 48, 64, 128, 256, 512].map((n) => [n, `build/icons/${n}x${n}.png`])]) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`);
    await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    console.log(`${file}`);
  }
} finally {
  await browser.close();
}

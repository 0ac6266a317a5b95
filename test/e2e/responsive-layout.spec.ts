// The layout at a small laptop's 1024×700, at 1280×800 and at 1920×1080 (issue 18, finding 1): every panel
// can be scrolled into view, nothing is cut off sideways, and no panel is squeezed into a scroll box
// shorter than the first screen of what it holds.
import type { Page } from '@playwright/test';
import { openWithLiveSamples, setField, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

const SIZES = [
  { width: 1024, height: 700, stacked: true },
  { width: 1280, height: 800, stacked: false },
  { width: 1920, height: 1080, stacked: false },
] as const;

/** A scroll box must show at least this much of its content (or all of it when it holds less). */
const FIRST_SCREEN_PX = 150;

/** Elements that scroll vertically but show less than the first screen of their content. */
function squeezedScrollBoxes(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      if (!/(auto|scroll)/.test(style.overflowY) || el.offsetParent === null) continue;
      if (el.scrollHeight <= el.clientHeight + 1) continue;
      if (el.clientHeight < Math.min(el.scrollHeight, ${FIRST_SCREEN_PX})) {
        out.push(el.tagName.toLowerCase() + '.' + el.className + ' shows ' + el.clientHeight + ' of ' + el.scrollHeight + ' px');
      }
    }
    return out;
  })()`);
}

/** Panels whose content is cut by their own hidden overflow (more content than box, with nothing to scroll). */
function clippedPanels(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('section, main, aside, .chart-area, .samples-area')) {
      if (el.offsetParent === null) continue;
      const style = getComputedStyle(el);
      const name = el.getAttribute('aria-label') ?? el.className;
      const cutsY = style.overflowY === 'hidden' || style.overflowY === 'clip';
      const cutsX = style.overflowX === 'hidden' || style.overflowX === 'clip';
      if (cutsY && el.scrollHeight > el.clientHeight + 1) out.push(name + ': ' + el.scrollHeight + ' > ' + el.clientHeight + ' px tall');
      if (cutsX && el.scrollWidth > el.clientWidth + 1) out.push(name + ': ' + el.scrollWidth + ' > ' + el.clientWidth + ' px wide');
    }
    if (document.documentElement.scrollWidth > window.innerWidth) out.push('the page scrolls sideways (' + document.documentElement.scrollWidth + ' px)');
    return out;
  })()`);
}

/** Whether the page itself scrolls (the panels stacked), or only the columns inside it. */
function pageScrolls(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollHeight > window.innerHeight');
}

test('at 1024×700, 1280×800 and 1920×1080 every panel is reachable and nothing is cut off', async ({ studio }) => {
  test.setTimeout(240_000);
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  await openWithLiveSamples(page, dialogs, corpora.good, 'tiny-fables.txt');
  // a run that ends by itself after a few live samples: the page holds still without a race against the clock
  await page.getByLabel('Stop after').selectOption('iterations');
  await setField(page.getByLabel('Iterations', { exact: true }), '700');
  await u.startButton.click();
  await expect(u.phase).toHaveText('Stopped', { timeout: 120_000 });
  await expect(u.liveSamples.getByRole('heading', { name: /^iter / })).toHaveCount(3);

  const panels = [
    { name: 'Corpus', locator: u.corpus },
    { name: 'Hyperparameters', locator: u.hyperparameters },
    { name: 'Training', locator: page.getByRole('region', { name: 'Training', exact: true }) },
    { name: 'Loss', locator: u.loss },
    { name: 'Live samples', locator: u.liveSamples },
    { name: 'Sampler', locator: u.sampler },
    { name: 'Checkpoints', locator: u.checkpoints },
  ];

  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.evaluate('window.scrollTo(0, 0)');
    // stacked: the page itself scrolls; side by side: the columns do and the page does not
    expect(await pageScrolls(page), `${size.width}×${size.height}: the page scrolls only when the panels stack`).toBe(size.stacked);
    await studio.screenshot(`40-layout-${size.width}x${size.height}-top`);

    for (const panel of panels) {
      await panel.locator.scrollIntoViewIfNeeded();
      const box = (await panel.locator.boundingBox())!;
      // the panel's head and at least its first screen are on screen once scrolled to
      await expect(panel.locator, `${size.width}×${size.height}: ${panel.name} can be scrolled into view`).toBeInViewport({ ratio: Math.min(1, (size.height - 60) / box.height) * 0.9 });
      expect(box.width, `${size.width}×${size.height}: ${panel.name} keeps a usable width`).toBeGreaterThan(250);
    }
    // the live samples themselves can be read, not only the panel's head
    await u.liveSamples.getByRole('heading', { name: /^iter / }).first().scrollIntoViewIfNeeded();
    await expect(u.liveSamples.getByRole('heading', { name: /^iter / }).first()).toBeInViewport();
    const chart = u.loss.locator('canvas');
    expect((await chart.boundingBox())!.height, `${size.width}×${size.height}: the chart has room to draw`).toBeGreaterThan(180);
    await studio.screenshot(`41-layout-${size.width}x${size.height}-live-samples`);

    expect(await clippedPanels(page), `${size.width}×${size.height}: nothing clipped`).toEqual([]);
    expect(await squeezedScrollBoxes(page), `${size.width}×${size.height}: no squeezed scroll box`).toEqual([]);
  }
});

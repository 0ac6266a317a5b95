// The chart's tooltip never covers the "best val." label (issue 18, finding 8): hovered at the best point, beside
// it and across its label, the tooltip's box (as the chart drew it) and the label's never overlap. A real run.
import { trainShortRun, ui } from './harness/app.js';
import { expect, test } from './harness/studio.js';

type Box = [left: number, top: number, right: number, bottom: number];
const parse = (text: string | null): Box | null => (text ? (text.split(',').map(Number) as Box) : null);
const overlaps = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

test('the hover tooltip keeps clear of the best validation label', async ({ studio }) => {
  const { page, dialogs, corpora } = studio;
  const u = ui(page);
  await trainShortRun(page, dialogs, corpora.good, 1200, 100);
  const canvas = u.loss.locator('canvas');
  await expect(canvas).toHaveAttribute('data-best-label-box', /^\d+,\d+,\d+,\d+$/);
  // the read-out line under the chart appears with the first hover and the chart shrinks to make room for it:
  // hover once, so the boxes read below are the ones of the chart as it stays
  const origin = (await canvas.boundingBox())!;
  await page.mouse.move(origin.x + origin.width / 2, origin.y + origin.height / 2);
  await expect(page.getByTestId('chart-readout')).toContainText('Iteration');

  const targets = async () => {
    const label = parse(await canvas.getAttribute('data-best-label-box'))!;
    const [bx, by] = (await canvas.getAttribute('data-best-point'))!.split(',').map(Number);
    return { label, points: [[bx, by], [bx - 20, by], [bx + 10, by], [(label[0] + label[2]) / 2, (label[1] + label[3]) / 2],
      [label[0] + 3, label[3] - 2], [label[2] + 5, by], [bx - 60, by - 10], [bx, label[1] - 5]] };
  };
  const { points } = await targets();
  for (const [x, y] of points) {
    await page.mouse.move(origin.x + x, origin.y + y);
    await expect(canvas).not.toHaveAttribute('data-tooltip-box', '');
    const tip = parse(await canvas.getAttribute('data-tooltip-box'))!;
    const { label } = await targets();
    expect(overlaps(tip, label), `pointer at ${x},${y}: the tooltip ${tip} covers the label ${label}`).toBe(false);
    if (x === points[0][0] && y === points[0][1]) await studio.screenshot('chart-tooltip-at-best');
  }
});

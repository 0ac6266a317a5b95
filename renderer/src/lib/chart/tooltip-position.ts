// Where the loss chart's tooltip goes: never over the best validation's label (issue 18, finding 8).
// Pure (no DOM, no Chart.js): Node's tests import it too.

export interface Box { left: number; top: number; right: number; bottom: number }

type Positioned = { x: number; y: number; xAlign?: 'left' | 'center' | 'right'; yAlign?: 'top' | 'center' | 'bottom' };

/**
 * Where the tooltip goes so that it never covers the best validation's label: beside the hovered point on the
 * side away from the label when it fits there; over the label's column, above or below it, where there is more
 * room. `at` is Chart.js's own position (the average of the hovered points); `size` the tooltip's last size.
 */
export function clearOfBest(chart: { width: number; chartArea: { top: number; bottom: number } }, label: Box | undefined,
                            at: { x: number; y: number }, size: { width: number; height: number }): Positioned {
  if (!label) return at;
  const reach = size.width + 12; // the box and its caret
  if (at.x <= label.left && at.x - reach >= 0) return { ...at, xAlign: 'right', yAlign: 'center' };
  if (at.x >= label.right && at.x + reach <= chart.width) return { ...at, xAlign: 'left', yAlign: 'center' };
  const roomAbove = label.top - chart.chartArea.top;
  const roomBelow = chart.chartArea.bottom - label.bottom;
  return roomAbove >= roomBelow
    ? { x: at.x, y: label.top - 4, xAlign: 'center', yAlign: 'bottom' }
    : { x: at.x, y: label.bottom + 4, xAlign: 'center', yAlign: 'top' };
}

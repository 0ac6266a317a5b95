// An earlier run drawn beside this one ("+ Add run…"): its smoothed training loss as {x, y} points.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import { rawLossAt, type LossHistory } from '../state/loss-history.js';
import type { XY } from './point-arrays.js';
import { DebiasedSmoother } from './smoothing.js';
import { xOf, type XAxis } from './x-axis.js';

/**
 * An earlier run's line: its smoothed training loss, smoothed as this run's line is, on the axis shown.
 * A checkpoint's history is bounded (4096 points), so it is built whole.
 */
export function comparisonLine(h: LossHistory, axis: XAxis, smoothing: number, factor: number): XY[] {
  const smoother = new DebiasedSmoother(smoothing);
  const line: XY[] = [];
  for (let i = 0; i < h.length; i++) {
    const y = smoother.next(h.columns.iters[i], rawLossAt(h, i));
    const x = xOf(h.columns, axis, i);
    if (!Number.isNaN(x)) line.push({ x, y: y * factor });
  }
  return line;
}

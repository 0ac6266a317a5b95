// What the chart's x axis counts, and where a point or a value falls on it.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import type { LossHistory } from '../state/loss-history.js';

/** What the x axis counts: iterations, passes over the training text, or training time (seconds). */
export type XAxis = 'iteration' | 'epoch' | 'elapsed';

/** Point i's x on `axis`; NaN where its history does not record it (an older checkpoint's points have no epoch or time). */
export function xOf(columns: LossHistory['columns'], axis: XAxis, i: number): number {
  return axis === 'iteration' ? columns.iters[i] : axis === 'epoch' ? columns.epochs[i] : columns.elapsed[i] / 1000;
}

/** The column `axis` reads (elapsed in ms: xOf divides by 1000). */
export function xColumn(columns: LossHistory['columns'], axis: XAxis): Float64Array {
  return axis === 'iteration' ? columns.iters : axis === 'epoch' ? columns.epochs : columns.elapsed;
}

/** Index of the first value >= `value` among values[from..length), which ascend. */
export function lowerBound(values: Float64Array, length: number, value: number, from = 0): number {
  let lo = from, hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// What the loss chart says about one point in words: the read-out line under it (pointer and keyboard alike) and
// the tooltip's title and footer. A module of its own, without Chart.js, so Node's tests read it.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import { formatDuration, lossIn, type LossUnit } from '../format.js';
import type { XAxis } from './x-axis.js';

/** What the chart shows at one point of the history (losses in nats): ChartFeed.readAt's answer. */
export interface PointReading {
  iter: number;
  epoch: number | null;
  elapsedMs: number | null;
  raw: number;
  smoothed: number;
  /** The latest validation at or before the point. */
  val: { iter: number; loss: number } | null;
}

export function formatIteration(value: number | string): string {
  return Math.round(Number(value)).toLocaleString();
}

function formatEpoch(epoch: number): string {
  return epoch.toLocaleString(undefined, { maximumFractionDigits: 2 });
}

/** 'Iteration 12,340 · raw 0.812 · smoothed 0.790 · validation 0.761 (at 12,000) nats · best validation 0.750 nats at iteration 9,000' */
export function readoutText(at: PointReading, unit: LossUnit, best: { iter: number; loss: number } | null): string {
  const shown = (v: number) => v.toLocaleString(undefined, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const f = (nats: number) => shown(lossIn(nats, unit));
  const parts = [`Iteration ${formatIteration(at.iter)}`];
  if (at.epoch !== null) parts.push(`epoch ${formatEpoch(at.epoch)}`);
  if (at.elapsedMs !== null) parts.push(`time ${formatDuration(at.elapsedMs)}`);
  parts.push(`raw ${f(at.raw)}`, `smoothed ${f(at.smoothed)}`);
  if (at.val) parts.push(`validation ${f(at.val.loss)}${at.val.iter === at.iter ? '' : ` (at ${formatIteration(at.val.iter)})`}`);
  let text = `${parts.join(' · ')} ${unit}`;
  // the unit right after the loss, so "at 3,750" cannot read as 3,750 nats
  if (best) text += ` · best validation ${f(best.loss)} ${unit} at iteration ${formatIteration(best.iter)}`;
  return text;
}

/** The tooltip's title: what the x axis counts first (an epoch axis says the epoch), the iteration beside it. */
export function tooltipTitle(at: PointReading, axis: XAxis): string {
  const iteration = `Iteration ${formatIteration(at.iter)}`;
  if (axis === 'epoch' && at.epoch !== null) return `Epoch ${formatEpoch(at.epoch)} · ${iteration.toLowerCase()}`;
  if (axis === 'elapsed' && at.elapsedMs !== null) return `Time ${formatDuration(at.elapsedMs)} · ${iteration.toLowerCase()}`;
  return iteration;
}

/** The tooltip's footer: the validation in force at the point, where it was measured if elsewhere ('' without one). */
export function tooltipFooter(at: PointReading, unit: LossUnit): string {
  if (!at.val) return '';
  const where = at.val.iter === at.iter ? '' : ` (measured at iteration ${formatIteration(at.val.iter)})`;
  return `Validation loss: ${lossIn(at.val.loss, unit).toFixed(3)} ${unit}${where}`;
}

/**
 * The keyboard's cursor after `key` (an index into `length` points; null: before the first key): arrows a point,
 * Page Up/Down a tenth of the run, Home and End the ends. Null when the key is none of these or there are no points.
 */
export function nextCursor(key: string, cursor: number | null, length: number): number | null {
  if (length === 0) return null;
  const last = length - 1;
  const stride = Math.max(1, Math.round(length / 10));
  const at = Math.min(cursor ?? last + 1, last + 1);
  const next = key === 'ArrowLeft' ? at - 1 : key === 'ArrowRight' ? at + 1 : key === 'PageUp' ? at - stride
    : key === 'PageDown' ? at + stride : key === 'Home' ? 0 : key === 'End' ? last : null;
  return next === null ? null : Math.min(last, Math.max(0, next));
}

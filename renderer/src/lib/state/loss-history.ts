// The chart's loss history as immutable snapshots over one append-only, columnar buffer.
// Copying a million points twenty times a second would cost more than training, and a million small
// objects weigh on every garbage collection; so points live in typed-array columns that only grow,
// and each change publishes a new {buffer, length} view. A view stays valid because [0, length)
// never changes once written.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import type { LossPoint } from '../../../../core/history.js';

export type MarkerKind = 'pause' | 'resume' | 'checkpoint';

export interface Marker {
  iter: number;
  kind: MarkerKind;
}

interface Columns {
  iters: Float64Array;       // iteration of each point
  losses: Float64Array;      // the seed's smoothed training loss, nats per char
  raws: Float64Array;        // mean training loss since the previous point, nats per char; NaN where unknown (older checkpoints)
  valLosses: Float64Array;   // validation loss, nats per char; NaN where not measured
  epochs: Float64Array;      // passes over the training text (fractional); NaN where not recorded (older checkpoints)
  elapsed: Float64Array;     // the model's training time, ms; NaN where not recorded
  used: number;              // how much of the columns some view has claimed
}

export interface LossHistory {
  /** Changes whenever the history is replaced rather than extended (a new run, a checkpoint opened). */
  readonly run: number;
  readonly length: number;
  /** Shared and append-only: read only [0, length) — through the helpers below. */
  readonly columns: Readonly<Columns>;
  readonly markers: readonly Marker[];
}

let nextRun = 1;

function allocate(capacity: number): Columns {
  const column = () => new Float64Array(capacity);
  return { iters: column(), losses: column(), raws: column(), valLosses: column(), epochs: column(), elapsed: column(), used: 0 };
}

export function emptyHistory(): LossHistory {
  return { run: nextRun++, length: 0, columns: allocate(0), markers: [] };
}

/** A fresh history holding points (e.g. CheckpointInfo.history), sorted by iteration. */
export function historyFrom(points: readonly LossPoint[], markers: readonly Marker[] = []): LossHistory {
  const sorted = [...points].sort((a, b) => a.iter - b.iter);
  return { ...appendPoints(emptyHistory(), sorted), markers };
}

export function lastIteration(h: LossHistory): number {
  return h.length > 0 ? h.columns.iters[h.length - 1] : -Infinity;
}

/**
 * The history extended by new points. Points at or before the last iteration are dropped (the
 * chart's x axis must increase). The columns grow by doubling; if another view was already extended
 * from this one, the new view gets its own copy, so no published view ever changes.
 */
export function appendPoints(h: LossHistory, points: readonly LossPoint[]): LossHistory {
  let last = lastIteration(h);
  const fresh = points.filter((p) => (p.iter > last ? ((last = p.iter), true) : false));
  if (fresh.length === 0) return h;
  const needed = h.length + fresh.length;
  let columns = h.columns as Columns;
  if (columns.used !== h.length || columns.iters.length < needed) {
    const grown = allocate(Math.max(needed, columns.iters.length * 2, 1024));
    grown.iters.set(columns.iters.subarray(0, h.length));
    grown.losses.set(columns.losses.subarray(0, h.length));
    grown.raws.set(columns.raws.subarray(0, h.length));
    grown.valLosses.set(columns.valLosses.subarray(0, h.length));
    grown.epochs.set(columns.epochs.subarray(0, h.length));
    grown.elapsed.set(columns.elapsed.subarray(0, h.length));
    columns = grown;
  }
  let i = h.length;
  for (const p of fresh) {
    columns.iters[i] = p.iter;
    columns.losses[i] = p.loss;
    columns.raws[i] = p.raw ?? NaN;
    columns.valLosses[i] = p.valLoss ?? NaN;
    columns.epochs[i] = p.epoch ?? NaN;
    columns.elapsed[i] = p.elapsedMs ?? NaN;
    i++;
  }
  columns.used = needed;
  return { run: h.run, length: needed, columns, markers: h.markers };
}

/** The points after iteration `iter`, as LossPoints. */
export function pointsAfter(h: LossHistory, iter: number): LossPoint[] {
  const { iters, losses, raws, valLosses, epochs, elapsed } = h.columns;
  let lo = 0, hi = h.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (iters[mid] <= iter) lo = mid + 1;
    else hi = mid;
  }
  const points: LossPoint[] = [];
  for (let i = lo; i < h.length; i++) {
    const p: LossPoint = { iter: iters[i], loss: losses[i] };
    if (!Number.isNaN(raws[i])) p.raw = raws[i];
    if (!Number.isNaN(valLosses[i])) p.valLoss = valLosses[i];
    if (!Number.isNaN(epochs[i])) p.epoch = epochs[i];
    if (!Number.isNaN(elapsed[i])) p.elapsedMs = elapsed[i];
    points.push(p);
  }
  return points;
}

/**
 * A fresh history of `earlier` points (fetched from main), then whatever `h` holds after them: progress
 * that arrived while they were being fetched. The markers stay.
 */
export function withEarlierPoints(h: LossHistory, earlier: readonly LossPoint[]): LossHistory {
  const base = historyFrom(earlier, h.markers);
  return appendPoints(base, pointsAfter(h, lastIteration(base)));
}

export function addMarker(h: LossHistory, marker: Marker): LossHistory {
  const previous = h.markers[h.markers.length - 1];
  if (previous && previous.iter === marker.iter && previous.kind === marker.kind) return h;
  return { ...h, markers: [...h.markers, marker] };
}

/** The training loss at point i without any smoothing: the raw mean where known, else the seed's smoothed value. */
export function rawLossAt(h: LossHistory, i: number): number {
  const raw = h.columns.raws[i];
  return Number.isNaN(raw) ? h.columns.losses[i] : raw;
}

/**
 * The history as CSV: iteration, raw training loss (mean since the previous point), the seed's smoothed
 * training loss and the validation loss, in nats and bits.
 */
export function historyToCsv(h: LossHistory): string {
  const { iters, losses, raws, valLosses } = h.columns;
  const lines = ['iteration,train_loss_nats,val_loss_nats,train_loss_bits,val_loss_bits,raw_train_loss_nats'];
  for (let i = 0; i < h.length; i++) {
    const loss = losses[i];
    const val = valLosses[i];
    const measured = !Number.isNaN(val);
    lines.push([
      iters[i],
      loss.toPrecision(6),
      measured ? val.toPrecision(6) : '',
      (loss / Math.LN2).toPrecision(6),
      measured ? (val / Math.LN2).toPrecision(6) : '',
      Number.isNaN(raws[i]) ? '' : raws[i].toPrecision(6),
    ].join(','));
  }
  return lines.join('\n') + '\n';
}

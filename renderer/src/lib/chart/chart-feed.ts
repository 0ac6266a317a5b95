// What the loss chart hands to Chart.js: the history's points as {x, y}, bounded in number.
// A long run is shown every 2nd, 4th, … point (a smoothed loss loses nothing visible), then the chart's
// LTTB decimation picks what the pixels need; a zoomed view reloads its stretch at full resolution.
// So memory and redraw time stay flat however long training runs. The smoothed line is smoothing.ts's, the x
// axis x-axis.ts's and the arrays' bounds point-arrays.ts's: this file decides which points are shown.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import { emptyHistory, rawLossAt, type LossHistory } from '../state/loss-history.js';
import type { PointReading } from './readout.js';
import { MAX_CHART_POINTS, pushAll, Refill, strideFor, type XY } from './point-arrays.js';
import { DEFAULT_SMOOTHING, SmoothedHistory } from './smoothing.js';
import { lowerBound, xColumn, xOf, type XAxis } from './x-axis.js';

export class ChartFeed {
  /** The datasets' arrays: Chart.js holds these very arrays. */
  readonly train: XY[] = [];   // raw training loss
  readonly smooth: XY[] = [];  // bias-corrected smoothing of the raw loss, same x as train
  readonly val: XY[] = [];
  #history: LossHistory = emptyHistory();
  #smoothed = new SmoothedHistory(DEFAULT_SMOOTHING);  // the smoothing of every history point, and the best validation
  #xAxis: XAxis = 'iteration';
  #factor = 1;               // loss unit: 1 for nats, 1/ln 2 for bits
  /** The whole run, following new points (null), or the index range loaded for a zoomed view. */
  #range: { from: number; to: number } | null = null;
  #stride = 1;
  #copied = 0;               // whole-run mode: history points taken in so far
  #valCopied = 0;
  #tail = false;             // the last train point is the newest one, off the stride grid

  get history(): LossHistory {
    return this.#history;
  }

  /** Loss points taken in (all of the run, while the whole run is shown). */
  get pointCount(): number {
    return this.#range === null ? this.#copied : this.#history.length;
  }

  /** The best validation point so far (x on the current axis, loss in the current unit). */
  get best(): XY | null {
    const best = this.#smoothed.best;
    const x = best ? this.#x(best.index) : NaN;
    return best && !Number.isNaN(x) ? { x, y: best.loss * this.#factor } : null;  // none where it is not on this axis
  }

  /** The best validation point's iteration, and its loss in nats. */
  get bestPoint(): { iter: number; loss: number } | null {
    const best = this.#smoothed.best;
    return best && { iter: this.#history.columns.iters[best.index], loss: best.loss };
  }

  get xAxis(): XAxis {
    return this.#xAxis;
  }

  /** Count the x axis in iterations, epochs or training time: the whole run is shown again. */
  setXAxis(axis: XAxis): void {
    if (axis === this.#xAxis) return;
    this.#xAxis = axis;
    this.#range = null;
    this.#load();
  }

  /** Point i's x on the current axis; NaN where its history does not record it (an older checkpoint's points). */
  #x(i: number): number {
    return xOf(this.#history.columns, this.#xAxis, i);
  }

  /** The first point with an x on this axis: older points (from before epochs and times were recorded) have none. */
  #firstWithX(): number {
    const h = this.#history;
    if (this.#xAxis === 'iteration') return 0;
    let i = 0;
    while (i < h.length && Number.isNaN(this.#x(i))) i++;
    return i;
  }

  /** Index of the first point at x >= value on the current axis. */
  #indexAtX(value: number): number {
    const scale = this.#xAxis === 'elapsed' ? 1000 : 1;
    return lowerBound(xColumn(this.#history.columns, this.#xAxis), this.#history.length, value * scale, this.#firstWithX());
  }

  /** Where iteration `iter` is on the current axis (the markers), NaN where it has no x there. */
  xOfIteration(iter: number): number {
    const h = this.#history;
    if (this.#xAxis === 'iteration' || h.length === 0) return iter;
    return this.#x(Math.min(h.length - 1, lowerBound(h.columns.iters, h.length, iter)));
  }

  get smoothing(): number {
    return this.#smoothed.smoothing;
  }

  /** The smoothed training loss at the newest point (what the line ends at), nats; null before the first point. */
  get lastSmoothed(): number | null {
    return this.#history.length > 0 ? this.#smoothed.values[this.#history.length - 1] : null;
  }

  /** The smoothed training loss at point i of the history, nats. */
  smoothedAt(i: number): number {
    return this.#smoothed.values[i];
  }

  /** What the chart shows at the point nearest `x` on the current axis (losses in nats), for the hover read-out. */
  readAt(x: number): PointReading | null {
    const h = this.#history;
    const first = this.#firstWithX();
    if (h.length <= first || !Number.isFinite(x)) return null;
    const { iters, valLosses, epochs, elapsed } = h.columns;
    let i = Math.min(h.length - 1, this.#indexAtX(x));
    if (i > first && x - this.#x(i - 1) < this.#x(i) - x) i--;
    let v = i;
    while (v >= 0 && Number.isNaN(valLosses[v])) v--;
    const known = (n: number) => (Number.isNaN(n) ? null : n);
    return {
      iter: iters[i], epoch: known(epochs[i]), elapsedMs: known(elapsed[i]), raw: rawLossAt(h, i), smoothed: this.#smoothed.values[i],
      val: v >= 0 ? { iter: iters[v], loss: valLosses[v] } : null,
    };
  }

  /** A new smoothing weight in [0, 1): the smoothed line is computed again. */
  setSmoothing(smoothing: number): void {
    const s = Math.min(0.999, Math.max(0, smoothing));
    if (s === this.#smoothed.smoothing) return;
    this.#smoothed = new SmoothedHistory(s);
    this.#smoothed.extend(this.#history);
    this.#load();
  }

  /** Take in the history; true when it replaced the previous one (a new run), rather than extending it. */
  take(history: LossHistory): boolean {
    const replaced = history.run !== this.#history.run || history.length < this.#history.length;
    this.#history = history;
    if (replaced) this.#smoothed = new SmoothedHistory(this.#smoothed.smoothing);
    this.#smoothed.extend(history);
    if (replaced) {
      this.#range = null;
      this.#load();
    } else if (this.#range === null) {
      this.#follow();
    }
    // a zoomed view stays as it is until the whole run is shown again
    return replaced;
  }

  setFactor(factor: number): void {
    const ratio = factor / this.#factor;
    for (const p of this.train) p.y *= ratio;
    for (const p of this.smooth) p.y *= ratio;
    for (const p of this.val) p.y *= ratio;
    this.#factor = factor;
  }

  /** Show [min, max] on the x axis (and as much again on each side, for panning) at the best resolution. */
  showRange(min: number, max: number): void {
    const h = this.#history;
    const first = this.#firstWithX();
    if (h.length <= first || (min <= this.#x(first) && max >= this.#x(h.length - 1))) {
      this.showAll();
      return;
    }
    const width = max - min;
    const from = Math.max(first, this.#indexAtX(min - width) - 1);
    const to = Math.min(h.length, this.#indexAtX(max + width) + 1);
    this.#range = { from, to };
    this.#load();
  }

  showAll(): void {
    if (this.#range === null) return;
    this.#range = null;
    this.#load();
  }

  /** Whole-run mode: append new points on the stride grid, thinning everything when there are too many. */
  #follow(): void {
    const h = this.#history;
    const { valLosses } = h.columns;
    const factor = this.#factor;
    const smoothed = this.#smoothed.values;
    if (this.#tail) {
      this.train.pop();
      this.smooth.pop();
      this.#tail = false;
    }
    const first = Math.ceil(this.#copied / this.#stride) * this.#stride;
    const fresh: XY[] = [];
    const freshSmooth: XY[] = [];
    for (let i = first; i < h.length; i += this.#stride) {
      const x = this.#x(i);
      if (Number.isNaN(x)) continue;   // not on this axis (an older checkpoint's point)
      fresh.push({ x, y: rawLossAt(h, i) * factor });
      freshSmooth.push({ x, y: smoothed[i] * factor });
    }
    pushAll(this.train, fresh);
    pushAll(this.smooth, freshSmooth);
    this.#copied = h.length;
    while (this.train.length > MAX_CHART_POINTS) {
      // every other point, in place: what is kept stays on the doubled grid
      for (const series of [this.train, this.smooth]) {
        let kept = 0;
        for (let k = 0; k < series.length; k += 2) series[kept++] = series[k];
        series.length = kept;
      }
      this.#stride *= 2;
    }
    if (h.length > 0 && (h.length - 1) % this.#stride !== 0 && !Number.isNaN(this.#x(h.length - 1))) {
      const last = h.length - 1;
      this.train.push({ x: this.#x(last), y: rawLossAt(h, last) * factor });
      this.smooth.push({ x: this.#x(last), y: smoothed[last] * factor });
      this.#tail = true;
    }
    const freshVal: XY[] = [];
    for (let i = this.#valCopied; i < h.length; i++) {
      if (!Number.isNaN(valLosses[i]) && !Number.isNaN(this.#x(i))) freshVal.push({ x: this.#x(i), y: valLosses[i] * factor });
    }
    pushAll(this.val, freshVal);
    this.#valCopied = h.length;
  }

  /** Refill the datasets: the whole run (then follow it), or the loaded range of a zoomed view. */
  #load(): void {
    const h = this.#history;
    const { valLosses } = h.columns;
    const factor = this.#factor;
    const smoothed = this.#smoothed.values;
    this.#tail = false;
    if (this.#range === null) {
      this.train.length = 0;
      this.smooth.length = 0;
      this.val.length = 0;
      this.#stride = strideFor(h.length);
      this.#copied = 0;
      this.#valCopied = 0;
      this.#follow();
      return;
    }
    const { from, to } = this.#range;
    const stride = strideFor(to - from);
    const train = new Refill(this.train);
    const smooth = new Refill(this.smooth);
    const put = (i: number) => {
      train.put(this.#x(i), rawLossAt(h, i) * factor);
      smooth.put(this.#x(i), smoothed[i] * factor);
    };
    for (let i = from; i < to; i += stride) put(i);
    if ((to - 1 - from) % stride !== 0) put(to - 1);
    train.end();
    smooth.end();
    const val = new Refill(this.val);
    for (let i = from; i < to; i++) {
      if (!Number.isNaN(valLosses[i])) val.put(this.#x(i), valLosses[i] * factor);
    }
    val.end();
  }
}

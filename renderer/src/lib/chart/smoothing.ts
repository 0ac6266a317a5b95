// The smoothed training loss the chart draws: a bias-corrected moving average of the raw loss, computed once per
// point as points arrive, with the best validation loss found on the way.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import { rawLossAt, type LossHistory } from '../state/loss-history.js';

/** The smoothing slider's default: an exponential moving average with this weight per 10 iterations. */
export const DEFAULT_SMOOTHING = 0.9;
/** Iterations one smoothing step stands for (the worker's chart points are this far apart). */
export const SMOOTHING_SPAN = 10;

/**
 * A bias-corrected exponential moving average of ys, as TensorBoard smooths scalars: weight `smoothing`
 * per SMOOTHING_SPAN iterations (so a thinned, unevenly spaced history smooths alike), divided by the
 * total weight so far (1 − βᵗ for even spacing) so the curve starts at the data rather than at zero.
 */
export class DebiasedSmoother {
  #ema = 0;
  #weight = 0;
  #lastX = NaN;
  constructor(readonly smoothing: number) {}

  next(x: number, y: number): number {
    const steps = Number.isNaN(this.#lastX) ? 1 : Math.max(0, x - this.#lastX) / SMOOTHING_SPAN;
    const decay = this.smoothing ** steps;
    this.#lastX = x;
    if (!Number.isFinite(y)) return y;
    this.#ema = this.#ema * decay + (1 - decay) * y;
    this.#weight = this.#weight * decay + (1 - decay);
    return this.#weight > 0 ? this.#ema / this.#weight : y;
  }
}

/**
 * One history's smoothed training loss at every point (nats), extended as the history grows, and its lowest
 * validation loss. A new history or a new weight is a new SmoothedHistory: smoothing runs forward only.
 */
export class SmoothedHistory {
  readonly #smoother: DebiasedSmoother;
  #values = new Float64Array(0);
  #count = 0;
  #best: { index: number; loss: number } | null = null;

  constructor(readonly smoothing: number) {
    this.#smoother = new DebiasedSmoother(smoothing);
  }

  /** The smoothing of point i is values[i] (for i below the history's length when last extended). */
  get values(): Float64Array {
    return this.#values;
  }

  /** The point with the lowest validation loss so far (its index in the history), loss in nats. */
  get best(): { index: number; loss: number } | null {
    return this.#best;
  }

  /** Smooths the points of `h` not smoothed yet: `h` is the history smoothed so far, extended. */
  extend(h: LossHistory): void {
    if (this.#values.length < h.length) {
      const grown = new Float64Array(Math.max(h.length, this.#values.length * 2, 1024));
      grown.set(this.#values.subarray(0, this.#count));
      this.#values = grown;
    }
    const { iters, valLosses } = h.columns;
    for (let i = this.#count; i < h.length; i++) {
      this.#values[i] = this.#smoother.next(iters[i], rawLossAt(h, i));
      const v = valLosses[i];
      if (!Number.isNaN(v) && (this.#best === null || v < this.#best.loss)) this.#best = { index: i, loss: v };
    }
    this.#count = h.length;
  }
}

// The point arrays Chart.js holds, kept bounded and cheap to change: how many points a stretch is shown at,
// appending in chunks, and refilling in place.

/** A point as Chart.js takes it with parsing off. */
export interface XY { x: number; y: number }

/** The most points handed to Chart.js. */
export const MAX_CHART_POINTS = 50_000;

/** Show every stride-th point of `count`: the smallest power of two that keeps them within MAX_CHART_POINTS. */
export function strideFor(count: number): number {
  let stride = 1;
  while (count / stride > MAX_CHART_POINTS) stride *= 2;
  return stride;
}

/**
 * Appends many points with few push() calls. Chart.js wraps push() on a dataset's array and builds
 * and lays out chart elements on every call, so one call per point would cost O(points²).
 */
export function pushAll(target: XY[], points: XY[]): void {
  for (let i = 0; i < points.length; i += 8192) target.push(...points.slice(i, i + 8192));
}

/** Overwrites an array of points from the start, reusing its objects (a wheel turn leaves no garbage), then trims it. */
export class Refill {
  #n = 0;
  #extra: XY[] = [];
  constructor(private readonly points: XY[]) {}

  put(x: number, y: number): void {
    const p = this.#n < this.points.length ? this.points[this.#n] : undefined;
    this.#n++;
    if (p) {
      p.x = x;
      p.y = y;
    } else {
      this.#extra.push({ x, y });
    }
  }

  end(): void {
    if (this.#extra.length > 0) pushAll(this.points, this.#extra);
    else this.points.length = this.#n;
  }
}

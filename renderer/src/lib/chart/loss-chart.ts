// The loss chart: one Chart.js line chart, built once (chart-config.ts), fed appended points, redrawn a few times a second.
import { Chart } from 'chart.js';
import type { LossHistory, Marker } from '../state/loss-history';
import { lossIn, type LossUnit } from '../format';
import { ChartFeed } from './chart-feed';
import { lossChartConfig, X_TITLE } from './chart-config';
import { comparisonLine } from './comparison-line';
import type { XY } from './point-arrays';
import type { ChartTheme } from './plugins';
import { formatIteration, nextCursor, readoutText } from './readout';
import type { XAxis } from './x-axis';

export { readTheme, type ChartTheme } from './plugins';

/** A colour at a fraction of its opacity (the faint raw loss line). */
function faint(color: string, alpha = 0.3): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!hex) return color;
  return `${color.trim()}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
}

/** An earlier run drawn beside this one: its checkpoint's history, in a colour of its own. */
export interface ComparedLine {
  label: string;
  colour: string;
  visible: boolean;
  history: LossHistory;
}

/** Redraws at most this often: with decimation a redraw is O(points), and the eye needs no more. */
const MIN_REDRAW_MS = 200;

export class LossChart {
  readonly chart: Chart<'line', XY[]>;
  theme: ChartTheme;
  markers: readonly Marker[] = [];
  readonly #feed = new ChartFeed();
  /** The best validation point (for the marker plugin), in the current unit. */
  get best(): XY | null {
    return this.#feed.best;
  }
  /** Where an iteration is on the x axis (the markers). */
  xOfIteration(iter: number): number {
    return this.#feed.xOfIteration(iter);
  }
  #unit: LossUnit = 'nats';
  #compared: readonly ComparedLine[] = [];
  #frame = 0;
  #lastDraw = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Called with a one-line read-out of the point under the pointer ('' when it leaves the chart). */
  onReadout: (text: string) => void = () => {};
  /** Told whether the view is zoomed or panned (new points may then run off it), after every change of view. */
  onZoomChange: (zoomed: boolean) => void = () => {};

  constructor(canvas: HTMLCanvasElement, theme: ChartTheme) {
    this.theme = theme;
    canvas.addEventListener('mouseleave', () => this.onReadout(''));
    this.chart = new Chart(canvas, lossChartConfig(this, {
      feed: this.#feed,
      unit: () => this.#unit,
      hover: (x) => this.onReadout(this.readout(x)),
      viewChanged: () => this.#viewChanged(),
    }));
    this.setTheme(theme);
  }

  /** The read-out of the point nearest x on the x axis ('' where there is none): readout.ts's words. */
  readout(x: number): string {
    const at = this.#feed.readAt(x);
    return at ? readoutText(at, this.#unit, this.#feed.bestPoint) : '';
  }

  /** The point the keyboard's cursor is on (index into the history), or null before the first key. */
  #cursor: number | null = null;

  /**
   * The keyboard's read-out: arrows move a cursor point by point, Page Up/Down a tenth of the run, Home and
   * End to the ends; the read-out says what the pointer would. Returns whether the key was one of these.
   */
  moveCursor(key: string): boolean {
    const h = this.#feed.history;
    const cursor = nextCursor(key, this.#cursor, h.length);
    if (cursor === null) return false;
    this.#cursor = cursor;
    const x = this.#feed.xOfIteration(h.columns.iters[cursor]);
    this.onReadout(Number.isFinite(x) ? this.readout(x) : `Iteration ${formatIteration(h.columns.iters[cursor])}: not on this axis (older points have no epoch or time)`);
    return true;
  }

  /** Take in the history: append what is new, or reload when it was replaced. */
  sync(history: LossHistory): void {
    this.markers = history.markers;
    if (this.#feed.take(history)) {
      this.#cursor = null;
      this.chart.resetZoom('none');
      this.onZoomChange(false);
    }
    this.#sizeValPoints();
    this.#schedule();
  }

  /** The smoothed training loss where the line ends, nats (null before the first point): the stats show this figure. */
  get lastSmoothed(): number | null {
    return this.#feed.lastSmoothed;
  }

  /** Earlier runs to draw beside this one (after the three lines of this run). */
  setComparisons(lines: readonly ComparedLine[]): void {
    this.#compared = lines;
    this.#drawComparisons();
  }

  #drawComparisons(): void {
    const datasets = this.chart.data.datasets;
    datasets.length = 3;
    for (const line of this.#compared) {
      datasets.push({
        label: line.label, data: comparisonLine(line.history, this.#feed.xAxis, this.#feed.smoothing, lossIn(1, this.#unit)),
        borderColor: line.colour, backgroundColor: line.colour, borderWidth: 1.5, borderDash: [5, 3], pointRadius: 0, pointHitRadius: 0,
        tension: 0, hidden: !line.visible,
      });
    }
    this.#redraw();
  }

  /** Count the x axis in iterations, epochs or training time; the whole run is shown again. */
  setXAxis(axis: XAxis): void {
    if (axis === this.#feed.xAxis) return;
    this.#feed.setXAxis(axis);
    (this.chart.options.scales!.x as { title: { text: string } }).title.text = X_TITLE[axis];
    this.chart.resetZoom('none');
    this.#sizeValPoints();
    this.#drawComparisons();
  }

  /** Loss points the chart has taken in (all of the run, while it shows the whole run). */
  get pointCount(): number {
    return this.#feed.pointCount;
  }

  setUnit(unit: LossUnit): void {
    if (unit === this.#unit) return;
    this.#unit = unit;
    this.#feed.setFactor(lossIn(1, unit));
    const y = this.chart.options.scales!.y!;
    (y as { title: { text: string } }).title.text = `Loss (${unit} per character)`;
    this.#drawComparisons();
  }

  /** Show or hide a line: 0 raw, 1 smoothed, 2 validation. */
  setVisible(index: number, visible: boolean): void {
    this.chart.setDatasetVisibility(index, visible);
    this.#redraw();
  }

  /** The smoothing weight (0 … 0.99, per 10 iterations) of the smoothed training line. */
  setSmoothing(smoothing: number): void {
    if (smoothing === this.#feed.smoothing) return;
    this.#feed.setSmoothing(smoothing);
    this.#drawComparisons();
  }

  setLogScale(log: boolean): void {
    const y = this.chart.options.scales!.y!;
    y.type = log ? 'logarithmic' : 'linear';
    this.#redraw();
  }

  setTheme(theme: ChartTheme): void {
    this.theme = theme;
    const [raw, train, val] = this.chart.data.datasets;
    raw.borderColor = faint(theme.train);
    raw.backgroundColor = faint(theme.train);
    train.borderColor = theme.train;
    train.backgroundColor = theme.train;
    val.borderColor = theme.val;
    val.backgroundColor = theme.val;
    const o = this.chart.options;
    o.color = theme.muted;
    o.font = { family: theme.font, size: 11 };
    for (const axis of [o.scales!.x!, o.scales!.y!]) {
      axis.grid = { color: theme.grid };
      axis.border = { color: theme.grid };
      axis.ticks = { ...axis.ticks, color: theme.muted };
      (axis as { title: { color: string } }).title.color = theme.muted;
    }
    this.#redraw();
  }

  zoomBy(factor: number): void {
    this.chart.zoom(factor, 'none');
    this.#viewChanged();
  }

  resetZoom(): void {
    this.chart.resetZoom('none');
    this.#viewChanged();
  }

  toPng(): string {
    this.chart.update('none');
    return this.chart.toBase64Image('image/png');
  }

  destroy(): void {
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.chart.destroy();
  }

  /** Dots on validation points while there are few; a thousand dots would be a smear. */
  #sizeValPoints(): void {
    this.chart.data.datasets[2].pointRadius = this.#feed.val.length > 150 ? 0 : 2;
  }

  /** After a zoom or pan: the feed loads what is now visible. */
  #viewChanged(): void {
    const x = this.chart.scales.x;
    if (!x) return;
    const zoomed = this.chart.isZoomedOrPanned();
    if (zoomed) this.#feed.showRange(x.min, x.max);
    else this.#feed.showAll();
    this.onZoomChange(zoomed);
    this.#sizeValPoints();
    this.#redraw();
  }

  #redraw(): void {
    this.#lastDraw = performance.now();
    this.chart.update('none');
  }

  /** Coalesce appends into one redraw per frame, and at most one per MIN_REDRAW_MS. */
  #schedule(): void {
    if (this.#frame || this.#timer) return;
    const wait = this.#lastDraw + MIN_REDRAW_MS - performance.now();
    const draw = () => {
      this.#timer = undefined;
      this.#frame = requestAnimationFrame(() => {
        this.#frame = 0;
        this.#redraw();
      });
    };
    if (wait > 0) this.#timer = setTimeout(draw, wait);
    else draw();
  }
}

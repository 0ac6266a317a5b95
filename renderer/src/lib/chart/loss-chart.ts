// The loss chart: one Chart.js line chart, built once, fed appended points, redrawn a few times a second.
import {
  Chart, Decimation, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
  type ChartConfiguration, type ChartType, type Scale, type TooltipItem, type TooltipPositionerFunction,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { LossHistory, Marker } from '../state/loss-history';
import { formatDuration, lossIn, type LossUnit } from '../format';
import { ChartFeed, comparisonLine, type XAxis, type XY } from './chart-feed';
import { formatElapsedTick, formatIterationTick } from './ticks';
import { backgroundPlugin, bestLabelOf, markerPlugin, type ChartTheme } from './plugins';
import { clearOfBest } from './tooltip-position';

export { readTheme, type ChartTheme } from './plugins';

// only what the chart uses: a line chart on linear/log axes, with tooltip, legend, decimation and zoom
Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Decimation, zoomPlugin);

declare module 'chart.js' {
  interface TooltipPositionerMap {
    clearOfBest: TooltipPositionerFunction<ChartType>;
  }
}

// the tooltip where Chart.js would put it, moved off the best validation's label when it would cover it
Tooltip.positioners.clearOfBest = function (items, eventPosition) {
  const at = Tooltip.positioners.average.call(this, items, eventPosition);
  if (!at || at.x === null || at.y === null) return false;
  return clearOfBest(this.chart, bestLabelOf(this.chart), { x: at.x, y: at.y }, { width: this.width || 160, height: this.height || 60 });
};

function formatIteration(value: number | string): string {
  return Math.round(Number(value)).toLocaleString();
}

/** A colour at a fraction of its opacity (the faint raw loss line). */
function faint(color: string, alpha = 0.3): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!hex) return color;
  return `${color.trim()}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
}

/** An axis label, two or three significant digits: 4, 2.5, 1.25 (format.ts's formatLoss is the stats' 4.174). */
function formatLossTick(value: number | string): string {
  const n = Number(value);
  return String(+n.toPrecision(n >= 10 ? 2 : 3));
}

/**
 * Chart.js puts a log tick at every 0.01 over a narrow range, and their labels pile up; keep only
 * ticks at least an eighth of the axis apart (in log space).
 */
/** A loss is never negative: the grace below the lowest point stops at 0 (it went to −1 on a run near 0.4). */
function noNegativeLoss(scale: Scale): void {
  spaceLogTicks(scale);
  if (scale.min < 0) {
    scale.min = 0;
    scale.ticks = scale.ticks.filter((t) => t.value >= 0);
  }
}

function spaceLogTicks(scale: Scale): void {
  if (scale.type !== 'logarithmic' || !(scale.min > 0)) return;
  const minGap = (Math.log(scale.max) - Math.log(scale.min)) / 8;
  let last = -Infinity;
  scale.ticks = scale.ticks.filter((tick) => {
    const at = Math.log(tick.value);
    if (at - last < minGap) return false;
    last = at;
    return true;
  });
}

const X_TITLE: Record<XAxis, string> = { iteration: 'Iteration', epoch: 'Epoch (passes over the training text)', elapsed: 'Training time' };

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
    const config: ChartConfiguration<'line', XY[]> = {
      type: 'line',
      data: {
        datasets: [
          { label: 'Training loss (raw)', data: this.#feed.train, borderWidth: 1, pointRadius: 0, pointHitRadius: 4, tension: 0 },
          { label: 'Training loss (smoothed)', data: this.#feed.smooth, borderWidth: 2, pointRadius: 0, pointHitRadius: 4, tension: 0 },
          { label: 'Validation loss', data: this.#feed.val, borderWidth: 1.5, pointRadius: 2, pointHoverRadius: 4, tension: 0 },
        ],
      },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: 'x',
        onHover: (event) => {
          const x = this.chart?.scales.x;
          if (!x || event.x === null) return;
          this.onReadout(this.readout(x.getValueForPixel(event.x) ?? NaN));
        },
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: 'linear', title: { display: true, text: 'Iteration' },
            ticks: {
              maxRotation: 0,
              includeBounds: false, // a zoomed axis gets round ticks only, not 1,865 and 3,136 at its ends
              callback: (value, _i, ticks) => {
                const step = ticks.length > 1 ? ticks[1].value - ticks[0].value : Number(value);
                // one style for the whole axis: "9k, 10k", never "9,000" beside "10k"
                const largest = ticks.reduce((m, t) => Math.max(m, Math.abs(t.value)), 0);
                return this.#feed.xAxis === 'elapsed' ? formatElapsedTick(Number(value), step) : formatIterationTick(Number(value), step, undefined, largest);
              },
            },
          },
          // grace: a point never sits on the frame
          y: { type: 'linear', grace: '6%', title: { display: true, text: 'Loss (nats per character)' }, afterBuildTicks: noNegativeLoss, ticks: { callback: formatLossTick } },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'lttb' },
          legend: { display: false }, // the panel draws its own legend, with the smoothing slider beside it
          tooltip: {
            // one read-out per iteration: raw, smoothed and (where measured) validation loss
            mode: 'index',
            position: 'clearOfBest',
            filter: (item: TooltipItem<'line'>) => item.datasetIndex < 3,   // this run's lines; an earlier run's index is another point
            callbacks: {
              // what the x axis counts first (an epoch axis says the epoch), the iteration beside it
              title: (items: TooltipItem<'line'>[]) => {
                const at = this.#feed.readAt(items[0]?.parsed.x ?? NaN);
                if (!at) return '';
                const iteration = `Iteration ${formatIteration(at.iter)}`;
                if (this.#feed.xAxis === 'epoch' && at.epoch !== null) return `Epoch ${at.epoch.toLocaleString(undefined, { maximumFractionDigits: 2 })} · ${iteration.toLowerCase()}`;
                if (this.#feed.xAxis === 'elapsed' && at.elapsedMs !== null) return `Time ${formatDuration(at.elapsedMs)} · ${iteration.toLowerCase()}`;
                return iteration;
              },
              label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(3)} ${this.#unit}`,
              // the validation at the hovered point (the best is labelled on the chart already)
              footer: (items: TooltipItem<'line'>[]) => {
                const at = this.#feed.readAt(items[0]?.parsed.x ?? NaN);
                if (!at?.val || items.some((i) => i.datasetIndex === 2)) return '';
                const where = at.val.iter === at.iter ? '' : ` (measured at iteration ${formatIteration(at.val.iter)})`;
                return `Validation loss: ${lossIn(at.val.loss, this.#unit).toFixed(3)} ${this.#unit}${where}`;
              },
            },
          },
          zoom: {
            pan: { enabled: true, mode: 'xy', onPanComplete: () => this.#viewChanged() },
            zoom: {
              wheel: { enabled: true }, pinch: { enabled: true }, drag: { enabled: true, modifierKey: 'shift' }, mode: 'x',
              onZoomComplete: () => this.#viewChanged(),
            },
            limits: { x: { min: 'original', max: 'original' } },
          },
        },
      },
      plugins: [backgroundPlugin(this), markerPlugin(this)],
    };
    this.chart = new Chart(canvas, config);
    this.setTheme(theme);
  }

  /** 'Iteration 12,340 · raw 0.812 · smoothed 0.790 · validation 0.761 (iteration 12,000) · best 0.750 nats' */
  readout(x: number): string {
    const at = this.#feed.readAt(x);
    if (!at) return '';
    const u = this.#unit;
    const shown = (v: number) => v.toLocaleString(undefined, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
    const f = (nats: number) => shown(lossIn(nats, u));
    const parts = [`Iteration ${formatIteration(at.iter)}`];
    if (at.epoch !== null) parts.push(`epoch ${at.epoch.toLocaleString(undefined, { maximumFractionDigits: 2 })}`);
    if (at.elapsedMs !== null) parts.push(`time ${formatDuration(at.elapsedMs)}`);
    parts.push(`raw ${f(at.raw)}`, `smoothed ${f(at.smoothed)}`);
    if (at.val) parts.push(`validation ${f(at.val.loss)}${at.val.iter === at.iter ? '' : ` (at ${formatIteration(at.val.iter)})`}`);
    let text = `${parts.join(' · ')} ${u}`;
    // the unit right after the loss, so "at 3,750" cannot read as 3,750 nats
    const best = this.#feed.bestPoint;
    if (best) text += ` · best validation ${f(best.loss)} ${u} at iteration ${formatIteration(best.iter)}`;
    return text;
  }

  /** The point the keyboard's cursor is on (index into the history), or null before the first key. */
  #cursor: number | null = null;

  /**
   * The keyboard's read-out: arrows move a cursor point by point, Page Up/Down a tenth of the run, Home and
   * End to the ends; the read-out says what the pointer would. Returns whether the key was one of these.
   */
  moveCursor(key: string): boolean {
    const h = this.#feed.history;
    if (h.length === 0) return false;
    const last = h.length - 1;
    const stride = Math.max(1, Math.round(h.length / 10));
    const at = Math.min(this.#cursor ?? last + 1, last + 1);
    const next = key === 'ArrowLeft' ? at - 1 : key === 'ArrowRight' ? at + 1 : key === 'PageUp' ? at - stride
      : key === 'PageDown' ? at + stride : key === 'Home' ? 0 : key === 'End' ? last : null;
    if (next === null) return false;
    this.#cursor = Math.min(last, Math.max(0, next));
    const x = this.#feed.xOfIteration(h.columns.iters[this.#cursor]);
    this.onReadout(Number.isFinite(x) ? this.readout(x) : `Iteration ${formatIteration(h.columns.iters[this.#cursor])}: not on this axis (older points have no epoch or time)`);
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

// The loss chart: one Chart.js line chart, built once, fed appended points, redrawn a few times a second.
import {
  Chart, Decimation, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
  type ChartConfiguration, type Scale, type TooltipItem,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { LossHistory, Marker } from '../state/loss-history';
import { lossIn, type LossUnit } from '../format';
import { ChartFeed, type XY } from './chart-feed';
import { backgroundPlugin, markerPlugin, type ChartTheme } from './plugins';

export { readTheme, type ChartTheme } from './plugins';

// only what the chart uses: a line chart on linear/log axes, with tooltip, legend, decimation and zoom
Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, Decimation, zoomPlugin);

function formatIteration(value: number | string): string {
  const n = Number(value);
  if (Math.abs(n) >= 1e6) return `${+(n / 1e6).toFixed(2)}M`;
  if (Math.abs(n) >= 1e4) return `${+(n / 1e3).toFixed(1)}k`;
  return n.toLocaleString('en-US');
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

/** Redraws at most this often: with decimation a redraw is O(points), and the eye needs no more. */
const MIN_REDRAW_MS = 200;

export class LossChart {
  readonly chart: Chart<'line', XY[]>;
  theme: ChartTheme;
  markers: readonly Marker[] = [];
  readonly #feed = new ChartFeed();
  #unit: LossUnit = 'nats';
  #frame = 0;
  #lastDraw = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(canvas: HTMLCanvasElement, theme: ChartTheme) {
    this.theme = theme;
    const config: ChartConfiguration<'line', XY[]> = {
      type: 'line',
      data: {
        datasets: [
          { label: 'Training loss (smoothed)', data: this.#feed.train, borderWidth: 1.5, pointRadius: 0, pointHitRadius: 4, tension: 0 },
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
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'Iteration' }, ticks: { callback: formatIteration, maxRotation: 0 } },
          y: { type: 'linear', title: { display: true, text: 'Loss (nats per character)' }, afterBuildTicks: spaceLogTicks, ticks: { callback: formatLossTick } },
        },
        plugins: {
          decimation: { enabled: true, algorithm: 'lttb' },
          legend: { position: 'top', align: 'end', labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => `Iteration ${formatIteration(items[0]?.parsed.x ?? 0)}`,
              label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(3)} ${this.#unit}`,
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

  /** Take in the history: append what is new, or reload when it was replaced. */
  sync(history: LossHistory): void {
    this.markers = history.markers;
    if (this.#feed.take(history)) this.chart.resetZoom('none');
    this.#sizeValPoints();
    this.#schedule();
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
    this.#redraw();
  }

  setLogScale(log: boolean): void {
    const y = this.chart.options.scales!.y!;
    y.type = log ? 'logarithmic' : 'linear';
    this.#redraw();
  }

  setTheme(theme: ChartTheme): void {
    this.theme = theme;
    const [train, val] = this.chart.data.datasets;
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
    this.chart.data.datasets[1].pointRadius = this.#feed.val.length > 150 ? 0 : 2;
  }

  /** After a zoom or pan: the feed loads what is now visible. */
  #viewChanged(): void {
    const x = this.chart.scales.x;
    if (!x) return;
    if (this.chart.isZoomedOrPanned()) this.#feed.showRange(x.min, x.max);
    else this.#feed.showAll();
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

// The one loss chart's Chart.js configuration: the parts registered, its three lines, the axes, the tooltip and
// the zoom. What changes while it runs (points, unit, axis, theme, redraws) is LossChart's (loss-chart.ts).
import {
  Chart, Decimation, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip,
  type ChartConfiguration, type ChartType, type TooltipItem, type TooltipPositionerFunction,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { LossUnit } from '../format';
import type { ChartFeed } from './chart-feed';
import type { XY } from './point-arrays';
import { backgroundPlugin, bestLabelOf, markerPlugin, type PluginSource } from './plugins';
import { tooltipFooter, tooltipTitle } from './readout';
import { formatElapsedTick, formatIterationTick, formatLossTick, noNegativeLoss } from './ticks';
import { clearOfBest } from './tooltip-position';
import type { XAxis } from './x-axis';

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

export const X_TITLE: Record<XAxis, string> = { iteration: 'Iteration', epoch: 'Epoch (passes over the training text)', elapsed: 'Training time' };

/** What the configuration reads and calls back into, besides what its plugins read. */
export interface ChartHooks {
  /** The points drawn, and the x axis they are on. */
  readonly feed: ChartFeed;
  unit(): LossUnit;
  /** The pointer is over `x` on the x axis. */
  hover(x: number): void;
  /** After a zoom or pan. */
  viewChanged(): void;
}

/** The configuration of a chart whose plugins read `source` (the LossChart itself) and whose callbacks go to `hooks`. */
export function lossChartConfig(source: PluginSource, hooks: ChartHooks): ChartConfiguration<'line', XY[]> {
  const { feed } = hooks;
  return {
    type: 'line',
    data: {
      datasets: [
        { label: 'Training loss (raw)', data: feed.train, borderWidth: 1, pointRadius: 0, pointHitRadius: 4, tension: 0 },
        { label: 'Training loss (smoothed)', data: feed.smooth, borderWidth: 2, pointRadius: 0, pointHitRadius: 4, tension: 0 },
        { label: 'Validation loss', data: feed.val, borderWidth: 1.5, pointRadius: 2, pointHoverRadius: 4, tension: 0 },
      ],
    },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: 'x',
      onHover: (event, _elements, chart) => {
        const x = chart.scales.x;
        if (!x || event.x === null) return;
        hooks.hover(x.getValueForPixel(event.x) ?? NaN);
      },
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: {
          type: 'linear', title: { display: true, text: X_TITLE.iteration },
          ticks: {
            maxRotation: 0,
            includeBounds: false, // a zoomed axis gets round ticks only, not 1,865 and 3,136 at its ends
            callback: (value, _i, ticks) => {
              const step = ticks.length > 1 ? ticks[1].value - ticks[0].value : Number(value);
              // one style for the whole axis: "9k, 10k", never "9,000" beside "10k"
              const largest = ticks.reduce((m, t) => Math.max(m, Math.abs(t.value)), 0);
              return feed.xAxis === 'elapsed' ? formatElapsedTick(Number(value), step) : formatIterationTick(Number(value), step, undefined, largest);
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
            title: (items: TooltipItem<'line'>[]) => {
              const at = feed.readAt(items[0]?.parsed.x ?? NaN);
              return at ? tooltipTitle(at, feed.xAxis) : '';
            },
            label: (item: TooltipItem<'line'>) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(3)} ${hooks.unit()}`,
            // the validation at the hovered point (the best is labelled on the chart already)
            footer: (items: TooltipItem<'line'>[]) => {
              const at = feed.readAt(items[0]?.parsed.x ?? NaN);
              if (!at || items.some((i) => i.datasetIndex === 2)) return '';
              return tooltipFooter(at, hooks.unit());
            },
          },
        },
        zoom: {
          pan: { enabled: true, mode: 'xy', onPanComplete: () => hooks.viewChanged() },
          zoom: {
            wheel: { enabled: true }, pinch: { enabled: true }, drag: { enabled: true, modifierKey: 'shift' }, mode: 'x',
            onZoomComplete: () => hooks.viewChanged(),
          },
          limits: { x: { min: 'original', max: 'original' } },
        },
      },
    },
    plugins: [backgroundPlugin(source), markerPlugin(source)],
  };
}

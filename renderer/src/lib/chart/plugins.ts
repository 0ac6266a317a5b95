// The loss chart's own Chart.js plugins (passed to the one chart, never registered globally) and its theme.
import type { Plugin } from 'chart.js';
import type { Marker } from '../state/loss-history';
import type { Box } from './tooltip-position';

export interface ChartTheme {
  background: string;
  text: string;
  muted: string;
  grid: string;
  train: string;
  val: string;
  marker: string;
  font: string;
}

/** The chart's colours come from the page's CSS variables, so both themes stay in one stylesheet. */
export function readTheme(el: Element): ChartTheme {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: v('--surface', '#ffffff'),
    text: v('--text', '#1f2328'),
    muted: v('--text-muted', '#59636e'),
    grid: v('--chart-grid', '#e5e7eb'),
    train: v('--chart-train', '#2563eb'),
    val: v('--chart-val', '#d97706'),
    marker: v('--chart-marker', '#8b5cf6'),
    font: v('--font-ui', 'system-ui, sans-serif'),
  };
}

/** What the plugins read from the chart that owns them. */
export interface PluginSource {
  readonly theme: ChartTheme;
  readonly markers: readonly Marker[];
  /** The best validation point, in the chart's unit. */
  readonly best?: { x: number; y: number } | null;
  /** Where an iteration is on the x axis (when it counts epochs or time); the iteration itself by default. */
  xOfIteration?(iter: number): number;
}

const MARKER_LABEL: Record<Marker['kind'], string> = { pause: 'paused', resume: 'resumed', checkpoint: 'checkpoint' };

/** Vertical dashed lines where training was paused, resumed or continued from a checkpoint. */
export function markerPlugin(source: PluginSource): Plugin<'line'> {
  return {
    id: 'studioMarkers',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const theme = source.theme;
      // markers a few pixels apart (a pause and its resume, a checkpoint and its continuation) share one line
      const groups: { x: number; labels: string[] }[] = [];
      const visible = source.markers
        .map((m) => ({ x: Math.round(scales.x.getPixelForValue(source.xOfIteration?.(m.iter) ?? m.iter)) + 0.5, label: MARKER_LABEL[m.kind] }))
        .filter((m) => Number.isFinite(m.x) && m.x >= chartArea.left && m.x <= chartArea.right)
        .sort((a, b) => a.x - b.x);
      for (const m of visible) {
        const last = groups[groups.length - 1];
        if (last && m.x - last.x < 6) {
          if (!last.labels.includes(m.label)) last.labels.push(m.label);
        } else {
          groups.push({ x: m.x, labels: [m.label] });
        }
      }
      ctx.save();
      ctx.strokeStyle = theme.marker;
      ctx.fillStyle = theme.marker;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.font = `11px ${theme.font}`;
      ctx.textBaseline = 'top';
      let labelsEnd = -Infinity;
      for (const { x, labels } of groups) {
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        const text = labels.join(' · ');
        const width = ctx.measureText(text).width;
        const left = x + 4 + width > chartArea.right ? x - 4 - width : x + 4;
        if (left < labelsEnd + 4) continue; // the line stays; its label would cover the previous one
        ctx.fillText(text, left, chartArea.top + 2);
        labelsEnd = left + width;
      }
      ctx.restore();
      drawBest(chart, source);
    },
    // where the tooltip was drawn, beside the best label's box: what a test (or anyone) checks for overlap
    afterDraw(chart) {
      const t = chart.tooltip;
      const shown = t && t.opacity > 0 ? [t.x, t.y, t.x + t.width, t.y + t.height].map(Math.round).join(',') : '';
      if (chart.canvas.dataset.tooltipBox !== shown) chart.canvas.dataset.tooltipBox = shown;
    },
  };
}

/** A ring and a label on the lowest validation loss so far. */
function drawBest(chart: Parameters<NonNullable<Plugin<'line'>['afterDatasetsDraw']>>[0], source: PluginSource): void {
  bestBoxes.delete(chart);
  delete chart.canvas.dataset.bestLabelBox;
  delete chart.canvas.dataset.bestPoint;
  const best = source.best;
  if (!best) return;
  const { ctx, chartArea, scales } = chart;
  const x = scales.x.getPixelForValue(best.x);
  const y = scales.y.getPixelForValue(best.y);
  if (!(x >= chartArea.left && x <= chartArea.right && y >= chartArea.top && y <= chartArea.bottom)) return;
  ctx.save();
  ctx.strokeStyle = source.theme.val;
  ctx.fillStyle = source.theme.val;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(x, y, 5, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.font = `11px ${source.theme.font}`;
  ctx.textBaseline = 'top';
  const text = `best val. ${best.y.toFixed(3)}`;
  const width = ctx.measureText(text).width;
  const left = x + 8 + width > chartArea.right ? x - 8 - width : x + 8;
  const top = Math.min(y + 6, chartArea.bottom - 14);
  ctx.fillText(text, left, top);
  ctx.restore();
  // the ring and its label, for the tooltip to keep clear of (finding 8: it covered the label)
  const box = { left: Math.min(left, x - 6), top: Math.min(top, y - 6), right: Math.max(left + width, x + 6), bottom: Math.max(top + 13, y + 6) };
  bestBoxes.set(chart, box);
  chart.canvas.dataset.bestLabelBox = [box.left, box.top, box.right, box.bottom].map(Math.round).join(',');
  chart.canvas.dataset.bestPoint = [x, y].map(Math.round).join(',');
}

/** The best validation's ring and label as last drawn, per chart (none while it is off the plot). */
const bestBoxes = new WeakMap<object, Box>();

/** The best label's box for a chart, as drawBest last left it. */
export function bestLabelOf(chart: object): Box | undefined {
  return bestBoxes.get(chart);
}

/** Paints the background, so an exported PNG is not transparent. */
export function backgroundPlugin(source: PluginSource): Plugin<'line'> {
  return {
    id: 'studioBackground',
    beforeDraw(chart) {
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.fillStyle = source.theme.background;
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
  };
}

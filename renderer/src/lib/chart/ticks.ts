// The loss chart's axis ticks: their labels, and which of Chart.js's ticks the loss axis keeps (a module of its
// own so Node's tests import it without Chart.js: only its types).
import type { Scale } from 'chart.js';

/**
 * An iteration tick: 20k, 1.25M (`largest`: the axis's largest tick, so one axis never mixes 9,000 with 10k) — with as many decimals as the tick spacing needs, so a zoomed axis
 * never shows the same label twice (12.3k, 12.3k, …).
 */
export function formatIterationTick(value: number, step: number, locale?: string, largest = Math.abs(Number(value))): string {
  const n = Number(value);
  const abs = Math.abs(largest);   // the axis's largest tick picks the style for every tick: 9k beside 10k
  const [div, suffix] = abs >= 1e6 ? [1e6, 'M'] : abs >= 1e4 ? [1e3, 'k'] : [1, ''];
  const decimals = Math.min(6, Math.max(0, Math.ceil(-Math.log10(Math.abs(step) / div || 1) - 1e-9)));
  return `${(n / div).toLocaleString(locale, { minimumFractionDigits: 0, maximumFractionDigits: decimals })}${suffix}`;
}

/**
 * A training-time tick, the axis in seconds: '12 s' (or '2.5 s' when the ticks are that close) under
 * a minute, then a clock: 1:30, 1:02:00.
 */
export function formatElapsedTick(seconds: number, step: number, locale?: string): string {
  const s = Number(seconds);
  if (Math.abs(s) < 60 && Math.abs(step) < 60) {
    const decimals = Math.min(3, Math.max(0, Math.ceil(-Math.log10(Math.abs(step) || 1) - 1e-9)));
    return `${s.toLocaleString(locale, { minimumFractionDigits: 0, maximumFractionDigits: decimals })} s`;
  }
  const whole = Math.round(s);
  const h = Math.floor(whole / 3600), m = Math.floor((whole % 3600) / 60), sec = whole % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** A loss tick, two or three significant digits: 4, 2.5, 1.25 (format.ts's formatLoss is the stats' 4.174). */
export function formatLossTick(value: number | string): string {
  const n = Number(value);
  return String(+n.toPrecision(n >= 10 ? 2 : 3));
}

/** A loss is never negative: the grace below the lowest point stops at 0 (it went to −1 on a run near 0.4). Log ticks are spaced too. */
export function noNegativeLoss(scale: Scale): void {
  spaceLogTicks(scale);
  if (scale.min < 0) {
    scale.min = 0;
    scale.ticks = scale.ticks.filter((t) => t.value >= 0);
  }
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

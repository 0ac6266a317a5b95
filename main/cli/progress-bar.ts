// `train`'s progress bar on a terminal: one line on stderr, redrawn in place, cleared before any other line is
// written (so the seed's "iter N, loss L" lines and notes scroll above it). Plain lines when piped or --json:
// the caller creates no bar then. A few lines of our own: the registry's bars (cli-progress and the like) own
// the terminal line and have no way to print the run's own lines above it.
import type { ProgressStream } from './corpus-progress.js';

export interface BarStream extends ProgressStream {
  columns?: number;
}

export interface BarTarget {
  iterations?: number;   // the total iteration to reach
  seconds?: number;      // a time limit
}

export interface BarState {
  iter: number;
  startIter: number;     // where this run began (a resumed run starts part way)
  elapsedMs: number;
  loss: number;          // nats per char
}

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** How far the run is (0…1) and the time left, when it has a stopping point. */
export function barProgress(state: BarState, target: BarTarget): { fraction: number; etaMs: number | null } | null {
  const parts: { fraction: number; etaMs: number | null }[] = [];
  if (target.iterations !== undefined) {
    const total = target.iterations - state.startIter, done = state.iter - state.startIter;
    const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
    parts.push({ fraction, etaMs: done > 0 ? ((total - done) * state.elapsedMs) / done : null });
  }
  if (target.seconds !== undefined) {
    const total = target.seconds * 1000;
    parts.push({ fraction: Math.min(1, state.elapsedMs / total), etaMs: Math.max(0, total - state.elapsedMs) });
  }
  if (parts.length === 0) return null;
  // whichever stop comes first
  return parts.reduce((a, b) => (b.fraction > a.fraction ? b : a));
}

/** "[█████░░░░░]  52% iter 5,200/10,000 · loss 1.2346 · 0:12 elapsed · ETA 0:11", fitted to `columns`. */
export function renderBar(state: BarState, target: BarTarget, columns = 80): string {
  const p = barProgress(state, target);
  const iter = state.iter.toLocaleString('en-US');
  const loss = Number.isFinite(state.loss) ? state.loss.toFixed(4) : '—';
  // the parts in order of importance: a narrow terminal drops whole parts from the end, never half a word
  const parts = p
    ? [`${String(Math.floor(p.fraction * 100)).padStart(3)}% iter ${iter}${target.iterations !== undefined ? `/${target.iterations.toLocaleString('en-US')}` : ''}`,
      `loss ${loss}`, `ETA ${p.etaMs === null ? '…' : clock(p.etaMs)}`, `${clock(state.elapsedMs)} elapsed`]
    : [`iter ${iter}`, `loss ${loss}`, `${clock(state.elapsedMs)} elapsed`, 'until Ctrl-C'];
  const order = p ? [0, 1, 3, 2] : [0, 1, 2, 3]; // shown as "… · elapsed · ETA", dropped ETA-last-but-one
  const fit = (n: number) => order.filter((i) => i < n).map((i) => parts[i]).join(' · ');
  let kept = parts.length;
  while (kept > 1 && fit(kept).length + (p ? 1 : 0) > columns - 1) kept--;
  const tail = fit(kept);
  if (!p) return tail.slice(0, columns - 1);
  const width = Math.max(0, Math.min(30, columns - 1 - tail.length - 3));
  const filled = Math.round(p.fraction * width);
  const bar = width > 0 ? `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]` : '';
  return (bar ? `${bar} ${tail}` : tail.trimStart()).slice(0, columns - 1);
}

/** Redraws per second on a terminal when nothing else draws the bar: time moves even while no line is printed. */
export const BAR_REDRAW_MS = 250;

export class ProgressBar {
  #shown = false;
  #last: BarState | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly stream: BarStream, private readonly target: BarTarget) {}

  update(state: BarState): void {
    this.#last = state;
    this.#draw();
  }

  /** Remove the bar (before another line is written, and at the end). */
  clear(): void {
    if (this.#shown) this.stream.write('\r\x1b[K');
    this.#shown = false;
  }

  /**
   * Redraw from `read` every `everyMs`, whatever --print-every says (a slow model prints its first line
   * late, and --print-every 0 prints none): the bar shows the iteration and the time as they go.
   */
  follow(read: () => BarState, everyMs = BAR_REDRAW_MS): void {
    this.update(read());
    this.#timer = setInterval(() => this.update(read()), everyMs);
    this.#timer.unref();
  }

  /** The run is over: remove the bar for good. */
  done(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.clear();
    this.#last = null;
  }

  /** Draw the last state again (after another line was written). */
  redraw(): void {
    this.#draw();
  }

  #draw(): void {
    if (!this.#last) return;
    // a pseudo-terminal of unknown size reports 0 columns: then $COLUMNS, else 80
    const columns = this.stream.columns || Number(process.env.COLUMNS) || 80;
    this.stream.write(`\r\x1b[K${renderBar(this.#last, this.target, Math.max(columns, 20))}`);
    this.#shown = true;
  }
}

// A bounded loss history for the chart, carried inside checkpoints so a resumed chart continues.

export interface LossPoint {
  iter: number;
  loss: number;          // the seed's smoothed training loss (0.999 running average from ln V), nats per char
  raw?: number;          // mean training loss of the iterations since the previous point, nats per char (absent in older checkpoints)
  valLoss?: number;      // validation loss, nats per char, where measured
  epoch?: number;        // passes over the training text so far (fractional), where recorded (absent in older checkpoints)
  elapsedMs?: number;    // the model's training time so far, pauses excluded, continued across checkpoints (absent in older ones and the CLI's)
}

/** The model's training time carried in its history (the newest point that records it), ms; 0 when none does. */
export function elapsedInHistory(history: readonly LossPoint[]): number {
  for (let i = history.length - 1; i >= 0; i--) {
    const ms = history[i].elapsedMs;
    if (ms !== undefined && Number.isFinite(ms)) return ms;
  }
  return 0;
}

export const MAX_HISTORY_POINTS = 4096;

/**
 * Append a point; past the bound, thin the older half to every other point, so the history
 * always spans the whole run and keeps full resolution for recent iterations.
 */
export function appendLossPoint(history: LossPoint[], point: LossPoint, max = MAX_HISTORY_POINTS): void {
  history.push(point);
  if (history.length <= max) return;
  const half = Math.floor(history.length / 2);
  const thinned: LossPoint[] = [];
  for (let i = 0; i < half; i++) {
    // keep every point that carries a validation loss; thin the rest
    if (i % 2 === 0 || history[i].valLoss !== undefined) thinned.push(history[i]);
  }
  history.splice(0, half, ...thinned);
  if (history.length > max) history.splice(0, history.length - max);
}

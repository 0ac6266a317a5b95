// How results are shown: loss in nats or bits, and the chart's linear or log scale.
import type { LossUnit } from '../format';

export class ViewStore {
  lossUnit = $state<LossUnit>('nats');
  logScale = $state(false);
  /** Weight of the smoothed training line's moving average, per 10 iterations (0: none). */
  smoothing = $state(0.9);

  setSmoothing(value: number): void {
    this.smoothing = Math.min(0.99, Math.max(0, value));
  }

  setLossUnit(unit: LossUnit): void {
    this.lossUnit = unit;
  }

  toggleLogScale(): void {
    this.logScale = !this.logScale;
  }
}

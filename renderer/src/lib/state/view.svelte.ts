// How results are shown: loss in nats or bits, and the chart's linear or log scale.
import type { LossUnit } from '../format';
import type { XAxis } from '../chart/x-axis';

export class ViewStore {
  lossUnit = $state<LossUnit>('nats');
  logScale = $state(false);
  /** Weight of the smoothed training line's moving average, per 10 iterations (0: none). */
  smoothing = $state(0.9);
  /** What the chart's x axis counts: iterations, epochs or training time. */
  xAxis = $state<XAxis>('iteration');

  setXAxis(axis: XAxis): void {
    this.xAxis = axis;
  }

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

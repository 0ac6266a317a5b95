// How results are shown: loss in nats or bits, and the chart's linear or log scale.
import type { LossUnit } from '../format';

export class ViewStore {
  lossUnit = $state<LossUnit>('nats');
  logScale = $state(false);

  setLossUnit(unit: LossUnit): void {
    this.lossUnit = unit;
  }

  toggleLogScale(): void {
    this.logScale = !this.logScale;
  }
}

// The run's validation measurements read once from the chart's history: the one source of "best validation"
// (the stats, the chart's label and the checkpoints panel all show this) and of the overfitting verdict.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import { detectOverfitting, type Overfitting, type ValidationPoint } from '../../../../core/overfitting.js';
import type { LossHistory } from './loss-history.js';

export interface BestValidation {
  iteration: number;
  valLoss: number;   // nats per char
}

export interface ValidationSummary {
  best: BestValidation | null;
  overfitting: Overfitting | null;
}

/**
 * Reads a history's validation points incrementally: a history extended since the last call is read from
 * where the last read stopped (the chart grows twenty times a second; rereading a million points each time
 * would cost more than training); a replaced history (another run) is read from the start.
 */
export class ValidationTrack {
  #run = -1;
  #read = 0;
  #points: ValidationPoint[] = [];
  #best: BestValidation | null = null;

  summarise(h: LossHistory): ValidationSummary {
    if (h.run !== this.#run || h.length < this.#read) {
      this.#run = h.run;
      this.#read = 0;
      this.#points = [];
      this.#best = null;
    }
    const { iters, losses, raws, valLosses } = h.columns;
    for (let i = this.#read; i < h.length; i++) {
      const valLoss = valLosses[i];
      if (Number.isNaN(valLoss)) continue;
      // the training loss the stats and the chart's smoothed line show: the mean since the previous point. The
      // seed's 0.999 running loss starts at log(V) and lags for thousands of steps (2.34 where the chart said 0.51);
      // it stands in only for older checkpoints' points, which have no raw loss
      const trainLoss = Number.isNaN(raws[i]) ? losses[i] : raws[i];
      this.#points.push({ iter: iters[i], trainLoss, valLoss });
      if (!this.#best || valLoss < this.#best.valLoss) this.#best = { iteration: iters[i], valLoss };
    }
    this.#read = h.length;
    return { best: this.#best, overfitting: detectOverfitting(this.#points) };
  }
}

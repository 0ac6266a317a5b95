// Keeping the best model: a copy of the parameters each time validation improves (one copy of the
// weights, no optimizer state), and the checkpoint that holds them, stamped with that iteration and loss.
import type { TrainingState } from '../../core/trainer.js';
import type { FloatArray } from '../../core/tensor.js';
import { modelParams } from '../../core/ema.js';

export interface BestModel {
  iteration: number;
  valLoss: number; // nats per char
  params: FloatArray;
}

export class BestKeeper {
  private kept: BestModel | null = null;

  /** `acceptable`: whether a state and its validation loss may be kept at all (never one the loss guard calls exploded). */
  constructor(private readonly acceptable: (state: TrainingState, valLoss: number) => boolean = () => true) {}

  /** The best of this session so far, or null before the first validation. */
  get best(): Readonly<BestModel> | null {
    return this.kept;
  }

  /**
   * A validation result at the state's current iteration: copies the model's parameters (the moving
   * average when the run keeps one: what was validated) when it is the best yet.
   */
  offer(state: TrainingState, valLoss: number): boolean {
    if (!Number.isFinite(valLoss) || (this.kept !== null && valLoss >= this.kept.valLoss) || !this.acceptable(state, valLoss)) return false;
    const params = modelParams(state);
    if (this.kept === null || this.kept.params.length !== params.length || this.kept.params.constructor !== params.constructor) {
      this.kept = { iteration: state.iteration, valLoss, params: params.slice() };
    } else {
      this.kept.params.set(params);
      this.kept.iteration = state.iteration;
      this.kept.valLoss = valLoss;
    }
    return true;
  }
}

/**
 * The state to save as the best model: the run's state with the best parameters, its iteration, its
 * validation loss as the best, and the loss history up to it. The optimizer state and the streams'
 * positions are the run's latest (only the weights were copied), so it is a model to sample and score,
 * and resuming it trains on from those weights rather than repeating the original run bit for bit.
 */
export function bestModelState(state: TrainingState, best: Readonly<BestModel>): TrainingState {
  return {
    ...state,
    params: best.params,
    emaParams: state.emaParams ? best.params : null, // the best weights are the average's: both are them
    iteration: best.iteration,
    bestValLoss: best.valLoss,
    lossHistory: state.lossHistory.filter((p) => p.iter <= best.iteration),
    hidden: state.hidden.slice().fill(0),
  };
}

// The weights' exponential moving average (Polyak averaging): θ̄ ← d·θ̄ + (1 − d)·θ after each update.
// Training goes on with θ; validation, best-keeping, sampling and export read θ̄, which averages out
// the last steps' noise. The decay ramps up as TensorFlow's ExponentialMovingAverage does with
// num_updates, d_n = min(d, (1 + n)/(10 + n)), so in a short run the average is not held back by the
// random initial weights for the ~1/(1 − d) steps a fixed decay would need to forget them.
import type { FloatArray } from './tensor.js';

/** The decay the average uses at optimizer step n (1-based: the step just taken). */
export function emaDecayAt(decay: number, step: number): number {
  return Math.min(decay, (1 + step) / (10 + step));
}

/** average ← d·average + (1 − d)·params, written as average += (1 − d)·(params − average). */
export function updateEma(average: FloatArray, params: FloatArray, decay: number, step: number): void {
  const w = 1 - emaDecayAt(decay, step);
  for (let i = 0; i < average.length; i++) average[i] += w * (params[i] - average[i]);
}

/** The weights a model is used with: the moving average when the run keeps one, else the trained ones. */
export function modelParams(state: { params: FloatArray; emaParams: FloatArray | null }): FloatArray {
  return state.emaParams ?? state.params;
}

// How often a CLI run validates when it keeps the best model (--best-out): every --sample-every iterations as
// always, and on the clock, at most VALIDATION_SHARE of the run's time, so a fast run's best moment is not
// missed between two sample-every validations. One validation, timed before the first step, sets the pace.
import type { Corpus } from '../../core/corpus.js';
import { evaluateLoss, type TrainingState } from '../../core/trainer.js';
import { VALIDATION_MAX_CHARS, type LoopPlan } from '../training/training-loop.js';

/** The share of a run's time that validations on the clock may take. */
export const VALIDATION_SHARE = 0.05;

export interface ValidationCadence {
  plan: NonNullable<LoopPlan['validateByTime']>;
  /** "validation of 16,384 chars every 1000 iterations and every ~2.1 s (≤ 5% of the time)": for the run's first line. */
  description: string;
}

/** Times one validation of the state as it is, and derives the clock's cadence from it. */
export function measureValidationCadence(state: TrainingState, corpus: Corpus, sampleEvery: number): ValidationCadence {
  const validation = corpus.val.subarray(0, VALIDATION_MAX_CHARS);
  const started = performance.now();
  evaluateLoss(state.model, state.params, validation);
  const costMs = performance.now() - started;
  const everyS = costMs / VALIDATION_SHARE / 1000;
  const iterations = sampleEvery > 0 ? `every ${sampleEvery} iterations and ` : '';
  return {
    plan: { share: VALIDATION_SHARE, firstCostMs: costMs },
    description: `validation of ${validation.length.toLocaleString('en-US')} chars ${iterations}every ~${everyS < 10 ? everyS.toFixed(1) : Math.round(everyS)} s ` +
      `(≤ ${VALIDATION_SHARE * 100}% of the time), keeping the best`,
  };
}

// Learning-rate schedules over a run's budget (its --seconds or its iterations): the rate each step uses,
// from the run's fraction done. The trainer reads state.training.learningRate at each step, so the loop
// sets it before each one and puts the configured rate back when it stops.

import { LR_SCHEDULES, type LrSchedule } from '../../core/presets.js';

export { LR_SCHEDULES, type LrSchedule };

/** The part of the budget spent warming up (linearly from a tenth of the rate). */
export const WARMUP_FRACTION = 0.03;
/** Where the cosine ends, as a fraction of the configured rate. */
export const COSINE_FLOOR = 0.05;

/** The multiplier of the configured rate at `done` ∈ [0, 1] of the budget. */
export function lrMultiplier(schedule: LrSchedule, done: number): number {
  if (schedule === 'constant') return 1;
  const f = Math.min(1, Math.max(0, done));
  if (f < WARMUP_FRACTION) return 0.1 + 0.9 * (f / WARMUP_FRACTION);
  const t = (f - WARMUP_FRACTION) / (1 - WARMUP_FRACTION);
  return COSINE_FLOOR + (1 - COSINE_FLOOR) * 0.5 * (1 + Math.cos(Math.PI * t));
}

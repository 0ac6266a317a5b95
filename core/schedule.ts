// Learning-rate schedules over a run's budget, as nanoGPT's get_lr(it): a pure function of progress, passed into
// each step. The state keeps only what the user configured (its learning rate and this schedule), so a save at
// any moment records the truth and a resumed run continues the same curve.
import { CharRnnError } from './errors.js';

export const LR_SCHEDULES = ['constant', 'cosine'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** The part of the budget spent warming up (linearly from a tenth of the rate). */
export const WARMUP_FRACTION = 0.03;
/** Where the cosine ends, as a fraction of the configured rate. */
export const COSINE_FLOOR = 0.05;

/**
 * A schedule as a run configured it, and as a checkpoint records it. The budget is what the schedule runs
 * over: iterations, seconds of the model's training time, or both (it ends with whichever comes first);
 * `origin` is where that budget began (the model's iteration and training time when the run started).
 */
export interface LearningRateSchedule {
  readonly kind: LrSchedule;
  readonly warmupFraction: number; // of the budget
  readonly floorFraction: number;  // of the configured rate, at the end
  readonly budget: { readonly iterations?: number; readonly seconds?: number };
  readonly origin: { readonly iteration: number; readonly elapsedMs: number };
}

/** Where a model is: its iteration and its training time (pauses excluded). */
export interface TrainingProgress {
  readonly iteration: number;
  readonly elapsedMs: number;
}

/** A schedule with this project's warm-up and floor, over a budget that begins at `origin`. */
export function makeSchedule(kind: LrSchedule, budget: LearningRateSchedule['budget'], origin: TrainingProgress): LearningRateSchedule {
  if (kind !== 'constant' && budget.iterations === undefined && budget.seconds === undefined) {
    throw new CharRnnError('bad-hyperparameter', `A ${kind} learning-rate schedule runs over a budget: set a number of iterations or a time.`);
  }
  return Object.freeze({
    kind, warmupFraction: WARMUP_FRACTION, floorFraction: COSINE_FLOOR,
    budget: Object.freeze({ ...budget }), origin: Object.freeze({ iteration: origin.iteration, elapsedMs: origin.elapsedMs }),
  });
}

/** The fraction of the budget done at `at`, from 0 (its origin) up; with both limits, the one further along. */
export function scheduleProgress(schedule: LearningRateSchedule, at: TrainingProgress): number {
  const { budget, origin } = schedule;
  const byIterations = budget.iterations !== undefined ? (at.iteration - origin.iteration) / Math.max(1, budget.iterations) : 0;
  const byTime = budget.seconds !== undefined ? (at.elapsedMs - origin.elapsedMs) / Math.max(1, budget.seconds * 1000) : 0;
  return Math.max(0, byIterations, byTime);
}

/** The multiplier of the configured rate at `progress` ∈ [0, 1] of the budget (past 1: the floor). */
export function rateMultiplier(schedule: Pick<LearningRateSchedule, 'kind' | 'warmupFraction' | 'floorFraction'>, progress: number): number {
  if (schedule.kind === 'constant') return 1;
  const f = Math.min(1, Math.max(0, progress)), warm = schedule.warmupFraction, floor = schedule.floorFraction;
  if (warm > 0 && f < warm) return 0.1 + 0.9 * (f / warm);
  const t = warm < 1 ? (f - warm) / (1 - warm) : 1;
  return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
}

/** η(progress): the rate a step uses, from the configured (peak) rate. Without a schedule, the configured rate. */
export function learningRateAt(schedule: LearningRateSchedule | null | undefined, progress: TrainingProgress, configuredRate: number): number {
  return schedule ? configuredRate * rateMultiplier(schedule, scheduleProgress(schedule, progress)) : configuredRate;
}

/** A recorded schedule, checked (a checkpoint's header): throws a plain Error saying which field is wrong. */
export function readSchedule(v: unknown): LearningRateSchedule {
  const r = v as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null) throw new Error('schedule must be an object');
  if (!LR_SCHEDULES.includes(r.kind as LrSchedule)) throw new Error(`schedule.kind must be one of ${LR_SCHEDULES.join(', ')}`);
  const fraction = (name: string, x: unknown): number => {
    if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw new Error(`schedule.${name} must be a number from 0 to 1`);
    return x;
  };
  const nonNegative = (name: string, x: unknown): number => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new Error(`schedule.${name} must be a number of at least 0`);
    return x;
  };
  const budget = r.budget as Record<string, unknown> | null, origin = r.origin as Record<string, unknown> | null;
  if (typeof budget !== 'object' || budget === null) throw new Error('schedule.budget must be an object');
  if (typeof origin !== 'object' || origin === null) throw new Error('schedule.origin must be an object');
  return Object.freeze({
    kind: r.kind as LrSchedule,
    warmupFraction: fraction('warmupFraction', r.warmupFraction),
    floorFraction: fraction('floorFraction', r.floorFraction),
    budget: Object.freeze({
      ...(budget.iterations === undefined ? {} : { iterations: nonNegative('budget.iterations', budget.iterations) }),
      ...(budget.seconds === undefined ? {} : { seconds: nonNegative('budget.seconds', budget.seconds) }),
    }),
    origin: Object.freeze({ iteration: nonNegative('origin.iteration', origin.iteration), elapsedMs: nonNegative('origin.elapsedMs', origin.elapsedMs) }),
  });
}

/** "cosine over 600 iterations from iteration 0" — what a CLI line says about a schedule. */
export function describeSchedule(schedule: LearningRateSchedule | null | undefined): string {
  if (!schedule || schedule.kind === 'constant') return 'constant rate';
  const over = [
    schedule.budget.iterations !== undefined ? `${schedule.budget.iterations} iterations` : '',
    schedule.budget.seconds !== undefined ? `${schedule.budget.seconds} s` : '',
  ].filter(Boolean).join(' or ');
  return `${schedule.kind} over ${over} from iteration ${schedule.origin.iteration}`;
}

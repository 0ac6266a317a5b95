// A CLI run's learning-rate schedule: the one --lr-schedule (or the preset) asks for, over this run's
// --iterations or --seconds; or, for a resumed run that asks for none, the checkpoint's own, continued.
import { makeSchedule, type LrSchedule } from '../../core/schedule.js';
import type { TrainingState } from '../../core/trainer.js';

export interface RunBudget {
  iterations?: number;   // the total iteration count to reach
  seconds?: number;      // of this run
  lrSchedule?: LrSchedule;
}

/**
 * Sets state.schedule for the run and returns its budget: a resumed run without a stop of its own
 * runs to the end of the schedule it continues (the iteration it ends at, or the time it has left).
 */
export function scheduleRun<B extends RunBudget>(state: TrainingState, run: B, resumed: boolean, elapsedMs: number,
                                                 note: (line: string) => void): B {
  if (run.lrSchedule !== undefined) {
    state.schedule = run.lrSchedule === 'constant' ? null : makeSchedule(run.lrSchedule, {
      ...(run.iterations !== undefined ? { iterations: Math.max(0, run.iterations - state.iteration) } : {}),
      ...(run.seconds !== undefined ? { seconds: run.seconds } : {}),
    }, { iteration: state.iteration, elapsedMs });
    return run;
  }
  const schedule = state.schedule;
  if (!resumed || !schedule) {
    state.schedule = null;
    return run;
  }
  if (run.iterations !== undefined || run.seconds !== undefined) {
    note(`continuing the checkpoint's ${schedule.kind} learning-rate schedule (its budget, not this run's stop)`);
    return run;
  }
  const { budget, origin } = schedule;
  const ends: B = { ...run };
  if (budget.iterations !== undefined) ends.iterations = Math.max(1, origin.iteration + budget.iterations);
  if (budget.seconds !== undefined) ends.seconds = Math.max(0.001, budget.seconds - (elapsedMs - origin.elapsedMs) / 1000);
  note(`continuing the checkpoint's ${schedule.kind} learning-rate schedule to its end` +
    [ends.iterations !== undefined ? ` at iteration ${ends.iterations}` : '', ends.seconds !== undefined ? ` in ${ends.seconds.toFixed(1)} s` : '']
      .filter(Boolean).join(' or'));
  return ends;
}

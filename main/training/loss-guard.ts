// A loss that explodes without becoming NaN, treated like NaN: the run stops (CLI) or pauses (app), the
// state rolls back to the last good snapshot, and the message says what to change. Used by the CLI's
// train and the app's worker alike, from the session's progress reports.
//
// Explosion is judged on the training loss. Validation alone is not enough: in the seed's first few
// hundred Adagrad steps every character the training part lacks is pushed down hard, so text that
// differs from it scores far above ln V (2.8 to 21 nats/char at iteration 300 over seeds 1 to 5) and
// then recovers. Validation counts only when it stays exploded over several evaluations in a row while
// the training loss does not fall either (issue 17).
import { deserializeCheckpoint, serializeCheckpoint } from '../../core/checkpoint.js';
import type { TrainingState } from '../../core/trainer.js';
import type { ProgressReport } from './training-loop.js';

/** A loss this far above ln V (what a model that knows nothing scores) is not learning: it has blown up. */
export function explodedLossLimit(vocabSize: number): number {
  const lnV = Math.log(Math.max(2, vocabSize));
  return Math.max(3 * lnV, lnV + 5);
}

/** Evaluations in a row whose training and validation losses both rise: divergence, not overfitting. */
const RISING_EVALUATIONS = 4;
/**
 * ... to above the lowest training loss of the run by at least this fraction of it, and by at least
 * RISING_MIN_OF_LN_V of ln V: a model that has learned a small text by heart (0.19 nats/char, ln V 4.3) creeps up
 * and down by hundredths while it overfits, which is no divergence (a 300 s run of gru-128-batch-16 on GPL-3 was
 * stopped so, at 0.19 to 0.20); a slow divergence keeps rising until it passes both.
 */
const RISING_MIN_FRACTION = 0.05;
const RISING_MIN_OF_LN_V = 0.1;
/** Evaluations in a row with validation above the limit (and training not falling) that count as exploded. */
const VALIDATION_EXPLODED_EVALUATIONS = 3;
/** Raw-loss reports above the limit in a row that count as exploded, before the smoothed loss gets there. */
const RAW_REPORTS_ABOVE = 3;
/** Snapshots kept; with no validation, one snapshot per this many iterations at most. */
const SNAPSHOTS_KEPT = 3;
const SNAPSHOT_EVERY_WITHOUT_VALIDATION = 1000;

export interface Divergence {
  iteration: number;     // where it was noticed
  rolledBackTo: number;  // the iteration of the state restored
  message: string;       // one line, ends with what to change
}

interface Snapshot {
  iteration: number;
  smoothLoss: number;
  bytes: Uint8Array;
}

export class LossGuard {
  private readonly limit: number;
  private readonly lnV: number;
  private snapshots: Snapshot[] = [];
  private evaluations: { smooth: number; val: number }[] = [];
  /** The lowest training loss at an evaluation since the run (or the last rollback) began. */
  private lowestSmooth = Infinity;
  private rawAbove = 0;
  /** The training loss at each evaluation of the current run of exploded validations. */
  private valExplodedSmooth: number[] = [];

  /** `advice` is what to change, in the caller's words ("--lr", or "the learning rate"). */
  constructor(private readonly state: TrainingState, private readonly advice: string) {
    this.lnV = Math.log(Math.max(2, state.model.vocabSize));
    this.limit = explodedLossLimit(state.model.vocabSize);
    this.snapshot();
  }

  /** True when the state's own smoothed loss is exploded: such a state is never written over a file. */
  isExploded(state: TrainingState = this.state): boolean {
    return !(state.smoothLoss <= this.limit);
  }

  /** A validation loss no model worth keeping scores (the best-keeper never keeps it). */
  isExplodedLoss(loss: number): boolean {
    return !(loss <= this.limit);
  }

  /** One progress report: null while healthy; else the state is rolled back and the divergence described. */
  check(report: ProgressReport): Divergence | null {
    const why = this.problem(report);
    if (why === null) {
      const last = this.snapshots.at(-1);
      // a state whose validation is exploded is not one to go back to, even while the guard lets it train on
      const validated = report.valLoss !== null && this.valExplodedSmooth.length === 0;
      if (validated || !last || (report.valLoss === null && report.iter - last.iteration >= SNAPSHOT_EVERY_WITHOUT_VALIDATION)) this.snapshot();
      return null;
    }
    this.evaluations = [];
    this.lowestSmooth = Infinity;
    this.valExplodedSmooth = [];
    this.rawAbove = 0;
    const diverged = `Training diverged at iteration ${report.iter}: ${why} (ln V is ${this.lnV.toFixed(2)}, what a model that knows nothing scores)`;
    if (this.snapshots.length === 0) {
      // it started exploded (a checkpoint saved that way): nothing good to go back to, and nothing is saved
      return { iteration: report.iter, rolledBackTo: report.iter, message: `${diverged}; there is no good state to roll back to. ${this.advice}` };
    }
    const best = this.snapshots.reduce((a, b) => (b.smoothLoss < a.smoothLoss ? b : a));
    this.restore(best);
    return {
      iteration: report.iter,
      rolledBackTo: best.iteration,
      message: `${diverged}; rolled back to iteration ${best.iteration}, the last good state. ${this.advice}`,
    };
  }

  private problem(r: ProgressReport): string | null {
    const fmt = (x: number) => x.toFixed(1);
    if (!(r.smoothLoss <= this.limit)) return `the loss climbed to ${fmt(r.smoothLoss)} nats/char`;
    this.rawAbove = r.loss > this.limit ? this.rawAbove + 1 : 0;
    if (this.rawAbove >= RAW_REPORTS_ABOVE) return `the loss climbed to ${fmt(r.loss)} nats/char`;
    if (r.valLoss === null) return null;
    if (this.isExplodedLoss(r.valLoss)) {
      const smooth = this.valExplodedSmooth;
      smooth.push(r.smoothLoss);
      if (smooth.length >= VALIDATION_EXPLODED_EVALUATIONS && !(r.smoothLoss < smooth[0])) {
        return `the validation loss stayed above ${fmt(this.limit)} nats/char at ${smooth.length} evaluations in a row ` +
          `(last ${fmt(r.valLoss)}) while the training loss did not fall (${smooth[0].toFixed(2)} to ${r.smoothLoss.toFixed(2)})`;
      }
    } else {
      this.valExplodedSmooth = [];
    }
    this.evaluations.push({ smooth: r.smoothLoss, val: r.valLoss });
    if (this.evaluations.length > RISING_EVALUATIONS) this.evaluations.shift();
    const lowest = this.lowestSmooth = Math.min(this.lowestSmooth, r.smoothLoss);
    const e = this.evaluations;
    if (e.length < RISING_EVALUATIONS) return null;
    const rising = e.every((p, i) => i === 0 || (p.smooth > e[i - 1].smooth && p.val > e[i - 1].val));
    const rise = e.at(-1)!.smooth - lowest;
    if (rising && rise > RISING_MIN_FRACTION * lowest && rise > RISING_MIN_OF_LN_V * this.lnV) {
      return `the loss rose at ${RISING_EVALUATIONS} evaluations in a row, from ${e[0].smooth.toFixed(2)} to ${e.at(-1)!.smooth.toFixed(2)} nats/char ` +
        `(its lowest ${lowest.toFixed(2)})`;
    }
    return null;
  }

  private snapshot(): void {
    const s = this.state;
    if (this.isExploded(s)) return;
    this.snapshots.push({ iteration: s.iteration, smoothLoss: s.smoothLoss, bytes: serializeCheckpoint(s) });
    // the last few, and the best one: after a slow rise it is the one to go back to
    const best = this.snapshots.reduce((a, b) => (b.smoothLoss < a.smoothLoss ? b : a));
    const recent = this.snapshots.slice(-(SNAPSHOTS_KEPT - 1));
    this.snapshots = recent.includes(best) ? recent : [best, ...recent];
  }

  /** Put a snapshot back into the state in place: the trainer's network keeps views into these arrays. */
  private restore(snapshot: Snapshot): void {
    const saved = deserializeCheckpoint(snapshot.bytes);
    const s = this.state;
    s.params.set(saved.params);
    s.optimizerState.set(saved.optimizerState);
    s.hidden.set(saved.hidden);
    s.positions.set(saved.positions);
    s.optimizerSteps = saved.optimizerSteps;
    s.iteration = saved.iteration;
    s.epoch = saved.epoch;
    s.charsSeen = saved.charsSeen;
    s.smoothLoss = saved.smoothLoss;
    s.bestValLoss = saved.bestValLoss;
    s.lossHistory = saved.lossHistory;
  }
}

// One training run inside the worker. The loop is the CLI's (training-loop.ts: same cadence, validation and live
// samples, so the app and the CLI train alike); pausing ends the loop after the current step and
// resuming starts it again. Progress is throttled; autosaves run on a timer, between steps.
import type { Corpus } from '../../core/corpus.js';
import { elapsedInHistory, type LossPoint } from '../../core/history.js';
import type { StepRunner, TrainingState } from '../../core/trainer.js';
import { runTrainingLoop, type ProgressReport, type LoopPlan } from '../training/training-loop.js';
import { serializeCheckpoint } from '../../core/checkpoint.js';
import { GuardedFile } from '../files/guarded-file.js';
import type { ApiErrorPayload, CheckpointInfo, LiveSample, ProgressEvent, RunSettings } from '../contract/api.js';
import { toApiError } from '../contract/api-error.js';
import { LossGuard } from '../training/loss-guard.js';
import { BestKeeper } from '../training/best-model.js';
import { checkpointInfo } from './model-info.js';
import { makeSchedule, type LearningRateSchedule } from '../../core/schedule.js';

/** At most 20 progress events a second. */
export const PROGRESS_INTERVAL_MS = 50;
/** Iterations between chart points (each one a progress report of the training loop). */
export const HISTORY_EVERY = 10;

export interface RunEvents {
  progress(e: ProgressEvent): void;
  liveSample(s: LiveSample): void;
  /** The run stopped by itself: its stop condition, divergence, or an error. */
  ended(message: string): void;
  autosaved(info: CheckpointInfo): void;
  autosaveFailed(error: ApiErrorPayload): void;
}

export type RunPhase = 'running' | 'paused' | 'stopped';

/**
 * This run's learning-rate schedule, recorded in the state (so an autosave or Save as… stores it): over the
 * "stop after" budget, which began with this run (after a pause, the schedule goes on where it was); none
 * without a stop or with the constant rate.
 */
export function runSchedule(h: RunSettings, iteration: number, elapsedMs: number): LearningRateSchedule | null {
  const kind = h.lrSchedule ?? 'constant', stop = h.stopAfter;
  if (kind === 'constant' || stop.kind === 'never') return null;
  const budget = stop.kind === 'iterations' ? { iterations: Math.max(0, stop.value - iteration) }
    : { seconds: Math.max(0, stop.value * 60 - elapsedMs / 1000) };
  return makeSchedule(kind, budget, { iteration, elapsedMs });
}

export class TrainingRun {
  private currentPhase: RunPhase = 'paused';
  private loop: Promise<void> = Promise.resolve();
  private stopRequested = false;
  private phaseAfterLoop: RunPhase = 'paused';
  private endMessage: string | null = null;
  private readonly startIteration: number;
  /** The model's training time before this run (carried in its history: a checkpoint, an autosave, a stopped run). */
  private readonly priorElapsedMs: number;
  private elapsedBeforeMs = 0;     // running time of this run's earlier stretches (pauses excluded)
  private runningSinceMs = 0;
  private pendingPoints: LossPoint[] = [];
  private lastEmitMs = -Infinity;
  private lastEmittedIteration = -1;
  private lastValLoss: number | null = null;
  private charsPerSec = 0;
  private autosaveTimer: NodeJS.Timeout | null = null;
  private autosaving: Promise<CheckpointInfo | null> | null = null;
  private lastAutosavedIteration: number;
  private readonly lossGuard: LossGuard;
  private autosaveFile: Promise<GuardedFile> | null = null;
  private pauseMessage: string | null = null;   // why the run paused by itself (a loss that exploded)
  /** With "keep best": a copy of the weights of this run's best validation loss. */
  readonly keeper: BestKeeper | null;

  constructor(private readonly trainer: StepRunner, private readonly corpus: Corpus,
              readonly settings: RunSettings, private readonly autosavePath: string | null,
              private readonly events: RunEvents, private readonly clock: { now(): number } = performance) {
    this.startIteration = trainer.state.iteration;
    this.priorElapsedMs = elapsedInHistory(trainer.state.lossHistory);
    this.lastAutosavedIteration = trainer.state.iteration;
    this.autosaveFile = autosavePath ? GuardedFile.at(autosavePath) : null; // what is there now (nothing, usually) is what it may replace
    trainer.state.schedule = runSchedule(settings, trainer.state.iteration, this.priorElapsedMs);
    this.lossGuard = new LossGuard(trainer.state,
      'Stop, lower the learning rate or turn on gradient clipping, and start again: training continues from this state.');
    // never a state the guard calls exploded (issue 17)
    this.keeper = settings.keepBest ? new BestKeeper((s, valLoss) => !this.lossGuard.isExploded(s) && !this.lossGuard.isExplodedLoss(valLoss)) : null;
  }

  get state(): TrainingState {
    return this.trainer.state;
  }

  get phase(): RunPhase {
    return this.currentPhase;
  }

  /** The model's training time, pauses excluded: continued from its history when it was saved before. */
  get elapsedMs(): number {
    return this.priorElapsedMs + this.runElapsedMs;
  }

  /** This run's own training time (its speed, its learning-rate schedule). */
  private get runElapsedMs(): number {
    return this.elapsedBeforeMs + (this.currentPhase === 'running' ? this.clock.now() - this.runningSinceMs : 0);
  }

  resume(): void {
    if (this.currentPhase !== 'paused') return;
    this.currentPhase = 'running';
    this.phaseAfterLoop = 'stopped'; // unless pause() or stop() says otherwise
    this.stopRequested = false;
    this.endMessage = null;
    this.runningSinceMs = this.clock.now();
    this.startAutosaveTimer();
    // the first steps wait a turn, so that the reply to 'start' or 'resume' goes out before them
    this.loop = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.runLoop());
  }

  /** Resolves once the loop has finished its current step. */
  async pause(): Promise<void> {
    if (this.currentPhase !== 'running') return;
    this.phaseAfterLoop = 'paused';
    this.stopRequested = true;
    await this.loop;
  }

  /** Resolves once the loop has ended and an autosave it had under way is written and reported. */
  async stop(): Promise<void> {
    if (this.currentPhase !== 'stopped') {
      this.phaseAfterLoop = 'stopped';
      this.stopRequested = true;
      await this.loop;
      this.currentPhase = 'stopped';
      this.stopAutosaveTimer();
    }
    // the worker may exit next: a write cut short would leave a temporary file and an autosave nobody recorded
    if (this.autosaving) await this.autosaving;
  }

  /**
   * One progress event carrying the model's whole loss history, before any step: a run that continues
   * a saved model (a checkpoint, an autosave) starts its chart, and its figures, where the model left off.
   */
  reportHistory(): void {
    const history = this.state.lossHistory;
    this.pendingPoints = history.slice();
    this.lastValLoss = history.findLast((p) => p.valLoss !== undefined)?.valLoss ?? null;
    this.emitProgress(true);
  }

  /** Save to the autosave path now if anything changed since the last autosave (before quitting). */
  async autosaveNow(): Promise<CheckpointInfo | null> {
    if (this.autosaving) await this.autosaving;
    return this.autosave();
  }

  private async runLoop(): Promise<void> {
    let message: string | null = null;
    try {
      const reason = await runTrainingLoop(this.trainer, this.corpus, this.plan(), {
        progress: (r) => this.onReport(r),
        sample: (iteration, text) => this.events.liveSample({ iteration, text }),
        shouldStop: () => this.stopRequested,
        elapsedMs: () => this.elapsedMs,
      }, this.clock);
      if (this.endMessage) message = this.endMessage;
      else if (reason === 'iterations') {
        message = this.state.iteration > this.startIteration ? `Stopped at iteration ${this.state.iteration}, as set.`
          : `The model is already at iteration ${this.state.iteration}: set a higher "stop after" to train it further.`;
      }
      else if (reason === 'time') message = 'Stopped: the training time set has passed.';
    } catch (e) {
      message = `Training stopped at iteration ${this.state.iteration}: ${toApiError(e).message}`;
    }
    this.elapsedBeforeMs += this.clock.now() - this.runningSinceMs;
    const ended = message !== null;
    this.currentPhase = ended ? 'stopped' : this.phaseAfterLoop;
    this.emitProgress(true);
    if (this.currentPhase === 'stopped') this.stopAutosaveTimer();
    if (ended) this.events.ended(message!);
    else if (this.pauseMessage) this.events.ended(this.pauseMessage);
    this.pauseMessage = null;
  }

  private plan(): LoopPlan {
    const { stopAfter, sampleEvery, sampleLength } = this.settings;
    return {
      // a total, as the CLI's --iterations: a model continued at iteration 20,000 with 30,000 trains 10,000 more
      stopAtIteration: stopAfter.kind === 'iterations' ? stopAfter.value : undefined,
      // a total too: the model's training time, continued across pauses, checkpoints and autosaves
      stopAtMs: stopAfter.kind === 'minutes' ? this.clock.now() + stopAfter.value * 60_000 - this.elapsedMs : undefined,
      printEvery: HISTORY_EVERY,
      sampleEvery,
      sampleLength,
      saveEvery: 0,
      yieldEveryMs: 15, // commands from main (pause, sample) wait at most about this long
      keepBest: this.keeper ?? undefined,
    };
  }

  private onReport(r: ProgressReport): void {
    // the same point the loop appended to the model's history (the checkpoint keeps it)
    const point = this.state.lossHistory[this.state.lossHistory.length - 1];
    this.pendingPoints.push(point && point.iter === r.iter ? { ...point } : { iter: r.iter, loss: r.smoothLoss });
    if (r.valLoss !== null) this.lastValLoss = r.valLoss;
    if (r.charsPerSec > 0) this.charsPerSec = this.charsPerSec === 0 ? r.charsPerSec : 0.8 * this.charsPerSec + 0.2 * r.charsPerSec;
    if (!Number.isFinite(r.smoothLoss) && !this.endMessage) {
      this.endMessage = `Training diverged at iteration ${r.iter}: the loss is no longer a number. ` +
        'Lower the learning rate or clip the gradients, and start again.';
      this.stopRequested = true;
    }
    const divergence = this.endMessage ? null : this.lossGuard.check(r);
    if (divergence) {
      // like NaN, but the state is rolled back already: pause there, so the user can change the settings
      this.pauseMessage = divergence.message;
      this.phaseAfterLoop = 'paused';
      this.stopRequested = true;
    }
    this.emitProgress(false);
  }

  private emitProgress(force: boolean): void {
    const now = this.clock.now();
    const s = this.state;
    if (!force && now - this.lastEmitMs < PROGRESS_INTERVAL_MS) return;
    if (force && this.pendingPoints.length === 0 && s.iteration === this.lastEmittedIteration) return;
    const points = this.pendingPoints;
    this.pendingPoints = [];
    this.lastEmitMs = now;
    this.lastEmittedIteration = s.iteration;
    this.events.progress({
      iteration: s.iteration,
      epoch: s.epoch,
      charsSeen: s.charsSeen,
      charsPerSec: this.charsPerSec,
      smoothLoss: s.smoothLoss,
      valLoss: this.lastValLoss,
      bestValLoss: s.bestValLoss,
      best: this.keeper?.best ? { iteration: this.keeper.best.iteration, valLoss: this.keeper.best.valLoss } : null,
      elapsedMs: this.elapsedMs,
      etaMs: this.etaMs(),
      points,
    });
  }

  private etaMs(): number | null {
    const { stopAfter } = this.settings;
    const elapsed = this.elapsedMs;
    if (stopAfter.kind === 'minutes') return Math.max(0, stopAfter.value * 60_000 - elapsed);
    if (stopAfter.kind !== 'iterations') return null;
    const done = this.state.iteration - this.startIteration, runMs = this.runElapsedMs;
    if (done <= 0 || runMs <= 0) return null;
    return Math.max(0, ((stopAfter.value - this.state.iteration) * runMs) / done);
  }

  private startAutosaveTimer(): void {
    const minutes = this.settings.autosaveMinutes;
    if (this.autosaveTimer || !this.autosavePath || !(minutes > 0)) return;
    this.autosaveTimer = setInterval(() => { if (!this.autosaving) void this.autosave(); }, minutes * 60_000);
    this.autosaveTimer.unref();
  }

  private stopAutosaveTimer(): void {
    if (this.autosaveTimer) clearInterval(this.autosaveTimer);
    this.autosaveTimer = null;
  }

  private autosave(): Promise<CheckpointInfo | null> {
    const path = this.autosavePath;
    const iteration = this.state.iteration;
    if (!path || iteration === this.lastAutosavedIteration || this.lossGuard.isExploded(this.state)) return Promise.resolve(null);
    // Both run before writeCheckpointFile's first await: one consistent snapshot, taken between steps.
    const info = checkpointInfo(this.state, path, new Date());
    const bytes = serializeCheckpoint(this.state);
    // each autosave re-checks the file: one that another program changed since the last autosave is not replaced
    this.autosaveFile ??= GuardedFile.at(path);
    const saving = this.autosaveFile.then((file) => file.write(bytes)).then(
      () => {
        this.lastAutosavedIteration = iteration;
        info.savedAt = new Date().toISOString();
        this.events.autosaved(info);
        return info;
      },
      (e: unknown) => {
        this.events.autosaveFailed(toApiError(e).toPayload());
        return null;
      },
    ).finally(() => { this.autosaving = null; });
    this.autosaving = saving;
    return saving;
  }
}

// The training loop: Trainer.step() over and over, with the caller's cadence for progress, validation,
// samples and saves. No I/O and no process handling here, so the app's worker can run it too.
import type { Corpus } from '../../core/corpus.js';
import { appendLossPoint, type LossPoint } from '../../core/history.js';
import { sampleText, streamState } from '../../core/sampler.js';
import { evaluateLoss, type StepRunner } from '../../core/trainer.js';
import { learningRateAt } from '../../core/schedule.js';
import { modelParams } from '../../core/ema.js';
import type { BestKeeper } from './best-model.js';

/** Validation reads at most this many characters (always the same first ones), so it stays cheap on big corpora. */
export const VALIDATION_MAX_CHARS = 16384;

export interface LoopPlan {
  stopAtIteration?: number; // the total iteration count to reach (a resumed run continues to it)
  stopAtMs?: number;        // a deadline on the loop's clock
  printEvery: number;       // iterations between progress reports (0: none)
  sampleEvery: number;      // iterations between validation + sample (0: none)
  sampleLength: number;     // characters of each sample (0: validation only)
  saveEvery: number;        // iterations between saves (0: none)
  yieldEveryMs?: number;    // how often the loop gives the event loop a turn (default 25 ms)
  keepBest?: BestKeeper;    // offered every validation: keeps a copy of the best parameters
  /**
   * Also validate on the clock, so that best-keeping catches a fast run's best moment whatever sampleEvery is:
   * after each validation, the next comes once `share` of the time since is what the last one cost (0.05: at
   * most about 5% of the run's time). `firstCostMs`, when the caller measured one already, sets the first wait.
   */
  validateByTime?: { share: number; firstCostMs?: number };
  /**
   * Validate the last state too when the loop ends between validations (the CLI): its line carries that
   * validation loss, the state's best and history record it, and the keeper is offered it like any other.
   */
  validateAtEnd?: boolean;
}

export interface ProgressReport {
  iter: number;
  epoch: number;
  loss: number;             // this iteration's window, nats per char
  rawLoss: number;          // mean loss of the iterations since the previous report, nats per char
  smoothLoss: number;       // nats per char
  valLoss: number | null;   // nats per char, when measured at this iteration
  bestValLoss: number | null;
  charsPerSec: number;      // training throughput since the last report (steps only)
  charsSeen: number;
}

export interface LoopHooks {
  progress?(report: ProgressReport): void;
  sample?(iter: number, text: string): void;
  save?(): Promise<void>;
  shouldStop?(): boolean;   // polled before each step
  /**
   * The model's training time so far (ms): recorded in each history point, for the chart's time axis, and the
   * clock of a schedule over seconds (state.schedule's origin is on it). Default: this loop's time.
   */
  elapsedMs?(): number;
}

export type StopReason = 'iterations' | 'time' | 'stopped';

export interface LoopClock {
  now(): number; // milliseconds
}

/** How often the loop gives the event loop a turn (signals, stdout, the worker's messages), by default. */
const YIELD_EVERY_MS = 25;

/** The sampler's seed for a live sample: from the training seed and iteration, never from the training RNG. */
export function liveSampleSeed(trainingSeed: number, iteration: number): number {
  return (Math.imul(trainingSeed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(iteration, 0x85ebca6b)) >>> 0;
}

export async function runTrainingLoop(trainer: StepRunner, corpus: Corpus, plan: LoopPlan, hooks: LoopHooks,
                                         clock: LoopClock = performance): Promise<StopReason> {
  const state = trainer.state;
  const { seqLength, batchSize } = state.training;
  const validation = corpus.val.subarray(0, VALIDATION_MAX_CHARS);
  let stepMs = 0, stepChars = 0, lastReported = state.iteration, lastLoss = NaN, lossSum = 0, lossCount = 0;
  let lastYield = clock.now();
  let lastValidated = -1;
  const byTime = plan.validateByTime && plan.validateByTime.share > 0 && validation.length >= 2 ? plan.validateByTime : null;
  // the next validation on the clock: the last one's cost, divided by the share of the time it may take
  let nextValidationAt = byTime ? clock.now() + (byTime.firstCostMs ?? 0) / byTime.share : Infinity;

  const report = (validate: boolean) => {
    let valLoss: number | null = null;
    if (validate && validation.length >= 2) {
      const started = clock.now();
      valLoss = evaluateLoss(state.model, modelParams(state), validation);
      lastValidated = state.iteration;
      if (byTime) {
        const ended = clock.now();
        nextValidationAt = ended + (ended - started) / byTime.share;
      }
      if (state.bestValLoss === null || valLoss < state.bestValLoss) state.bestValLoss = valLoss;
      plan.keepBest?.offer(state, valLoss);
    }
    const rawLoss = lossCount > 0 ? lossSum / lossCount : NaN;
    // fractional passes over the training text: the chart's epoch axis
    const point: LossPoint = { iter: state.iteration, loss: state.smoothLoss, epoch: corpus.train.length > 0 ? state.charsSeen / corpus.train.length : 0 };
    if (hooks.elapsedMs) point.elapsedMs = hooks.elapsedMs();
    if (lossCount > 0) point.raw = rawLoss;
    if (valLoss !== null) point.valLoss = valLoss;
    appendLossPoint(state.lossHistory, point);
    hooks.progress?.({
      iter: state.iteration, epoch: state.epoch, loss: lastLoss, rawLoss, smoothLoss: state.smoothLoss, valLoss,
      bestValLoss: state.bestValLoss, charsPerSec: stepMs > 0 ? (stepChars * 1000) / stepMs : 0, charsSeen: state.charsSeen,
    });
    reported = { stepMs, stepChars, lossSum, lossCount };
    stepMs = 0;
    stepChars = 0;
    lossSum = 0;
    lossCount = 0;
    lastReported = state.iteration;
  };
  let reported = { stepMs, stepChars, lossSum, lossCount };

  // the rate of each step comes from the configured schedule and the model's progress; the state never changes for it
  const schedule = state.schedule;
  const loopStartMs = clock.now();
  const modelElapsedMs = hooks.elapsedMs ?? (() => clock.now() - loopStartMs);

  let reason: StopReason;
  for (;;) {
    if (plan.stopAtIteration !== undefined && state.iteration >= plan.stopAtIteration) { reason = 'iterations'; break; }
    const before = clock.now();
    if (plan.stopAtMs !== undefined && before >= plan.stopAtMs) { reason = 'time'; break; }
    if (hooks.shouldStop?.()) { reason = 'stopped'; break; }
    const rate = schedule ? learningRateAt(schedule, { iteration: state.iteration, elapsedMs: modelElapsedMs() }, state.training.learningRate)
      : state.training.learningRate;
    lastLoss = trainer.step(rate).loss;
    lossSum += lastLoss;
    lossCount++;
    const after = clock.now();
    stepMs += after - before;
    stepChars += seqLength * batchSize;

    const iter = state.iteration;
    const sampleNow = plan.sampleEvery > 0 && iter % plan.sampleEvery === 0;
    const validateNow = sampleNow || after >= nextValidationAt;
    if (validateNow || (plan.printEvery > 0 && iter % plan.printEvery === 0)) report(validateNow);
    if (sampleNow && plan.sampleLength > 0 && hooks.sample) {
      const start = streamState(state.hidden, state.model.layers, batchSize, trainer.stateSize, 0);
      const text = sampleText(state.model, modelParams(state), state.vocab,
        { length: plan.sampleLength, seed: liveSampleSeed(state.training.seed, iter) }, start);
      hooks.sample(iter, text);
    }
    if (plan.saveEvery > 0 && iter % plan.saveEvery === 0 && hooks.save) await hooks.save();

    if (after - lastYield >= (plan.yieldEveryMs ?? YIELD_EVERY_MS)) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = clock.now();
    }
  }
  const validateLast = plan.validateAtEnd === true && plan.sampleEvery > 0 && validation.length >= 2 &&
    state.iteration % plan.sampleEvery !== 0 && lastValidated !== state.iteration;
  if (validateLast && state.iteration === lastReported) {
    // its line was printed without validation: it is printed again with it, in its place in the history
    if (state.lossHistory.at(-1)?.iter === state.iteration) state.lossHistory.pop();
    ({ stepMs, stepChars, lossSum, lossCount } = reported);
  }
  if (state.iteration !== lastReported || validateLast) report(validateLast); // the last iteration always gets a line
  // the last state may be the best: the keeper sees it too (not a report, so the cadence of validations stays as planned)
  if (!validateLast && plan.keepBest && (plan.sampleEvery > 0 || byTime) && validation.length >= 2 && plan.keepBest.best?.iteration !== state.iteration &&
      lastValidated !== state.iteration && (plan.sampleEvery === 0 || state.iteration % plan.sampleEvery !== 0)) {
    plan.keepBest.offer(state, evaluateLoss(state.model, modelParams(state), validation));
  }
  return reason;
}

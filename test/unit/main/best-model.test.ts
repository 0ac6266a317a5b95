// Keeping the best model (a copy of the weights when validation improves) and the learning-rate schedule,
// through the training loop the CLI and the app's worker share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_MODEL, SEED_TRAINING } from '../../../core/config.js';
import { evaluateLoss, Trainer, type StepRunner } from '../../../core/trainer.js';
import { BestKeeper, bestModelState } from '../../../main/training/best-model.js';
import { COSINE_FLOOR, makeSchedule, rateMultiplier, WARMUP_FRACTION } from '../../../core/schedule.js';
import { prepareRun } from '../../../main/training/prepare-run.js';
import { runTrainingLoop } from '../../../main/training/training-loop.js';

const TEXT = 'the quick brown fox jumps over the lazy dog. '.repeat(40);

function newRun(learningRate = 0.1) {
  return prepareRun(TEXT, '/texts/fox.txt', {
    kind: 'new', model: { ...SEED_MODEL, hiddenSize: 12 }, training: { ...SEED_TRAINING, seqLength: 8, learningRate, seed: 5 },
  });
}

test('BestKeeper copies the parameters when validation improves, and only then', () => {
  const { state } = newRun();
  const keeper = new BestKeeper();
  assert.equal(keeper.best, null);
  state.iteration = 10;
  assert.equal(keeper.offer(state, 2.0), true);
  const copy = keeper.best!.params;
  assert.notEqual(copy, state.params, 'a copy, not the live parameters');
  assert.deepEqual([...copy], [...state.params]);
  const at10 = [...state.params];
  state.params[0] += 1;
  state.iteration = 20;
  assert.equal(keeper.offer(state, 2.5), false, 'worse: kept as it was');
  assert.equal(keeper.offer(state, NaN), false, 'not a loss');
  assert.deepEqual([...keeper.best!.params], at10);
  assert.deepEqual([keeper.best!.iteration, keeper.best!.valLoss], [10, 2.0]);
  state.iteration = 30;
  assert.equal(keeper.offer(state, 1.5), true);
  assert.deepEqual([keeper.best!.iteration, keeper.best!.valLoss], [30, 1.5]);
  assert.equal(keeper.best!.params, copy, 'the same buffer, refilled: one copy for the whole run');
  assert.deepEqual([...copy], [...state.params]);
});

test('the training loop keeps the best validation\'s weights; its checkpoint state records that iteration and loss', async () => {
  const { state, corpus } = newRun(0.3);
  const trainer = new Trainer(state, corpus);
  const keeper = new BestKeeper();
  const seen: { iter: number; valLoss: number }[] = [];
  await runTrainingLoop(trainer, corpus, { stopAtIteration: 203, printEvery: 0, sampleEvery: 20, sampleLength: 0, saveEvery: 0, keepBest: keeper }, {
    progress: (r) => { if (r.valLoss !== null) seen.push({ iter: r.iter, valLoss: r.valLoss }); },
  });
  assert.equal(seen.length, 10);
  const best = keeper.best!;
  const lastLoss = evaluateLoss(state.model, state.params, corpus.val);
  const lowest = [...seen, { iter: 203, valLoss: lastLoss }].reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
  assert.deepEqual([best.iteration, best.valLoss], [lowest.iter, lowest.valLoss], 'the lowest, the last state included');
  assert.equal(evaluateLoss(state.model, best.params, corpus.val), best.valLoss, 'the kept weights score that loss');
  const saved = bestModelState(state, best);
  assert.equal(saved.iteration, best.iteration);
  assert.equal(saved.bestValLoss, best.valLoss);
  assert.equal(saved.params, best.params);
  assert.ok(saved.lossHistory.every((p) => p.iter <= best.iteration));
  assert.equal(state.iteration, 203, 'the run itself is unchanged');
});

test('the cosine schedule: a warm-up from a tenth, the full rate, then down to the floor at the end of the budget', () => {
  const cosine = makeSchedule('cosine', { iterations: 100 }, { iteration: 0, elapsedMs: 0 });
  const lrMultiplier = (kind: 'constant' | 'cosine', f: number) => rateMultiplier({ ...cosine, kind }, f);
  assert.equal(lrMultiplier('constant', 0.7), 1);
  assert.ok(Math.abs(lrMultiplier('cosine', 0) - 0.1) < 1e-12);
  assert.ok(Math.abs(lrMultiplier('cosine', WARMUP_FRACTION) - 1) < 1e-12);
  assert.ok(Math.abs(lrMultiplier('cosine', 1) - COSINE_FLOOR) < 1e-12);
  assert.ok(Math.abs(lrMultiplier('cosine', 2) - COSINE_FLOOR) < 1e-12, 'past the budget: the floor');
  const mid = WARMUP_FRACTION + (1 - WARMUP_FRACTION) / 2;
  assert.ok(Math.abs(lrMultiplier('cosine', mid) - (1 + COSINE_FLOOR) / 2) < 1e-12);
  for (let f = WARMUP_FRACTION; f < 1; f += 0.01) assert.ok(lrMultiplier('cosine', f + 0.01) <= lrMultiplier('cosine', f));
});

test('the loop passes the scheduled rate into each step over an iteration budget; the state keeps the configured rate', async () => {
  const { state, corpus } = newRun(0.2);
  state.schedule = makeSchedule('cosine', { iterations: 100 }, { iteration: 0, elapsedMs: 0 });
  const rates: number[] = [];
  const runner: StepRunner = {
    state,
    stateSize: 12,
    step(learningRate?: number) {
      rates.push(learningRate!);
      assert.equal(state.training.learningRate, 0.2, 'the state is never changed for the schedule');
      state.iteration++;
      return { loss: 1, smoothLoss: 1, gradNorm: 0 };
    },
  };
  await runTrainingLoop(runner, corpus, { stopAtIteration: 100, printEvery: 0, sampleEvery: 0, sampleLength: 0, saveEvery: 0 }, {});
  assert.equal(rates.length, 100);
  rates.forEach((r, i) => assert.ok(Math.abs(r - 0.2 * rateMultiplier(state.schedule!, i / 100)) < 1e-15, `step ${i}`));
  assert.equal(state.training.learningRate, 0.2);
});

test('with validateByTime the loop also validates on the clock: after each validation, once its cost is the given share of the time since', async () => {
  const { state, corpus } = newRun(0.2);
  let now = 0;
  const clock = { now: () => now };
  const runner: StepRunner = {
    state,
    stateSize: 12,
    step() {
      now += 10; // every step takes 10 ms on this clock; a validation takes none
      state.iteration++;
      return { loss: 1, smoothLoss: 1, gradNorm: 0 };
    },
  };
  const keeper = new BestKeeper();
  const validatedAt: number[] = [];
  // the first validation measured at 5 ms: at 5% of the time, the next comes 100 ms later, i.e. after 10 steps
  await runTrainingLoop(runner, corpus, { stopAtIteration: 45, printEvery: 0, sampleEvery: 0, sampleLength: 0, saveEvery: 0, keepBest: keeper,
    validateByTime: { share: 0.05, firstCostMs: 5 } }, { progress: (r) => { if (r.valLoss !== null) validatedAt.push(r.iter); } }, clock);
  // then each validation costs 0 ms on this clock, so the next one comes at the next step
  assert.deepEqual(validatedAt.slice(0, 3), [10, 11, 12]);
  assert.ok(keeper.best !== null);

  const { state: other, corpus: otherCorpus } = newRun(0.2);
  const none: number[] = [];
  await runTrainingLoop({ ...runner, state: other, step() { other.iteration++; return { loss: 1, smoothLoss: 1, gradNorm: 0 }; } }, otherCorpus,
    { stopAtIteration: 45, printEvery: 0, sampleEvery: 20, sampleLength: 0, saveEvery: 0 }, { progress: (r) => { if (r.valLoss !== null) none.push(r.iter); } }, clock);
  assert.deepEqual(none, [20, 40], 'without it: every sampleEvery iterations only');
});

// A scheduled run saved mid-way records its configured rate and its schedule; resumed, it continues the
// same curve, bit for bit. (Before the schedule was a pure function passed into each step, the loop wrote the
// decayed rate into state.training, a save stored it as the configured rate, and a resume went on at it.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_MODEL, SEED_TRAINING } from '../../../core/config.js';
import { deserializeCheckpoint, serializeCheckpoint } from '../../../core/checkpoint.js';
import { learningRateAt, makeSchedule, scheduleProgress } from '../../../core/schedule.js';
import { Trainer, type TrainingState } from '../../../core/trainer.js';
import { prepareRun } from '../../../main/training/prepare-run.js';
import { runTrainingLoop } from '../../../main/training/training-loop.js';

const TEXT = 'the quick brown fox jumps over the lazy dog. '.repeat(40);
const RATE = 0.008;

function newRun() {
  return prepareRun(TEXT, '/texts/fox.txt', {
    kind: 'new', model: { ...SEED_MODEL, cell: 'gru', hiddenSize: 8 },
    training: { ...SEED_TRAINING, optimizer: 'adam', learningRate: RATE, seqLength: 8, batchSize: 2, seed: 3 },
  });
}

const plan = (stopAtIteration: number, saveEvery = 0) => ({ stopAtIteration, printEvery: 0, sampleEvery: 0, sampleLength: 0, saveEvery });

test('a save in the middle of a cosine run stores the configured rate and the schedule; a resume continues it bit for bit', async () => {
  const whole = newRun();
  whole.state.schedule = makeSchedule('cosine', { iterations: 60 }, { iteration: 0, elapsedMs: 0 });
  let saved: Uint8Array | null = null;
  await runTrainingLoop(new Trainer(whole.state, whole.corpus), whole.corpus, plan(60, 30),
    { save: async () => { saved ??= serializeCheckpoint(whole.state); } });

  const midway: TrainingState = deserializeCheckpoint(saved!);
  assert.equal(midway.iteration, 30);
  assert.equal(midway.training.learningRate, RATE, 'the configured rate, not the decayed one');
  assert.deepEqual(midway.schedule, whole.state.schedule, 'the schedule is recorded as configured');
  assert.ok(learningRateAt(midway.schedule, { iteration: 30, elapsedMs: 0 }, RATE) < RATE * 0.6, 'half-way down the cosine');

  const resumed = prepareRun(TEXT, '/texts/fox.txt', { kind: 'continue', state: midway, changes: {} });
  await runTrainingLoop(new Trainer(resumed.state, resumed.corpus), resumed.corpus, plan(60), {});
  assert.equal(resumed.state.iteration, 60);
  assert.deepEqual(Array.from(resumed.state.params), Array.from(whole.state.params), 'the same weights as the run never interrupted');
  assert.equal(scheduleProgress(resumed.state.schedule!, { iteration: 60, elapsedMs: 0 }), 1);
});

test('a checkpoint without a schedule (every one saved before it was recorded) loads as the constant rate', () => {
  const { state } = newRun();
  const loaded = deserializeCheckpoint(serializeCheckpoint(state));
  assert.equal(loaded.schedule, null);
  const header = new TextDecoder().decode(serializeCheckpoint(state).subarray(16, 16 + 4000));
  assert.ok(!header.includes('"schedule"'), 'no schedule field is written for a constant rate');
});

test('a schedule over seconds runs on the model\'s training time from its origin', () => {
  const s = makeSchedule('cosine', { seconds: 60 }, { iteration: 100, elapsedMs: 30_000 });
  assert.equal(scheduleProgress(s, { iteration: 5000, elapsedMs: 30_000 }), 0, 'iterations do not count in a time budget');
  assert.equal(scheduleProgress(s, { iteration: 100, elapsedMs: 60_000 }), 0.5);
  const both = makeSchedule('cosine', { seconds: 60, iterations: 100 }, { iteration: 0, elapsedMs: 0 });
  assert.equal(scheduleProgress(both, { iteration: 80, elapsedMs: 6_000 }), 0.8, 'whichever ends first');
  assert.throws(() => makeSchedule('cosine', {}, { iteration: 0, elapsedMs: 0 }), /budget/);
});

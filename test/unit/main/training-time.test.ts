// The model's training time: each chart point records it (and its epoch), and a run that continues a saved
// model (a checkpoint, an autosave) carries it on, so "stop after N minutes" counts the model's whole training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_MODEL, SEED_TRAINING } from '../../../core/config.js';
import { elapsedInHistory } from '../../../core/history.js';
import { Trainer } from '../../../core/trainer.js';
import { defaultHyperparameters } from '../../../main/contract/defaults.js';
import type { ProgressEvent } from '../../../main/contract/api.js';
import { prepareRun } from '../../../main/training/prepare-run.js';
import { TrainingRun } from '../../../main/worker/run.js';

const TEXT = 'the quick brown fox jumps over the lazy dog. '.repeat(40);

/** A clock that moves 5 ms a reading: training time that does not depend on the machine. */
function steppingClock() {
  let t = 0;
  return { now: () => (t += 5) };
}

function runWith(state: ReturnType<typeof prepareRun>['state'], corpus: ReturnType<typeof prepareRun>['corpus'], iterations: number,
                 progress: ProgressEvent[], clock = steppingClock()) {
  const run = { ...defaultHyperparameters().run, stopAfter: { kind: 'iterations' as const, value: iterations }, sampleEvery: 0, autosaveMinutes: 0 };
  return new TrainingRun(new Trainer(state, corpus), corpus, run, null, {
    progress: (e) => progress.push(e), liveSample: () => {}, ended: () => {}, autosaved: () => {}, autosaveFailed: () => {},
  }, clock);
}

async function untilStopped(run: TrainingRun): Promise<void> {
  run.resume();
  while (run.phase !== 'stopped') await new Promise((r) => setTimeout(r, 5));
}

test('history points record their epoch and the training time; a continued model carries the time on', async () => {
  const { state, corpus } = prepareRun(TEXT, '/texts/fox.txt', {
    kind: 'new', model: { ...SEED_MODEL, hiddenSize: 8 }, training: { ...SEED_TRAINING, seqLength: 8, seed: 3 },
  });
  const first: ProgressEvent[] = [];
  const run = runWith(state, corpus, 200, first);
  await untilStopped(run);
  const points = state.lossHistory;
  assert.ok(points.length >= 10);
  for (const p of points) {
    assert.ok(p.elapsedMs !== undefined && p.elapsedMs > 0, `point ${p.iter} records the training time`);
    assert.ok(Math.abs(p.epoch! - (p.iter * 8) / corpus.train.length) < 1e-9, `point ${p.iter}: epoch = characters seen ÷ training text`);
  }
  assert.ok(points.every((p, i) => i === 0 || p.elapsedMs! >= points[i - 1].elapsedMs!), 'the time only grows');
  const trained = run.elapsedMs;
  assert.ok(trained >= elapsedInHistory(points));

  // the same model continued (as from its checkpoint): the time goes on from its history, not from zero
  const second: ProgressEvent[] = [];
  const continued = runWith(state, corpus, 300, second);
  assert.equal(continued.elapsedMs, elapsedInHistory(points));
  continued.reportHistory();
  assert.equal(second[0].elapsedMs, elapsedInHistory(points), 'the first event, before any step, shows the saved time');
  await untilStopped(continued);
  assert.ok(continued.elapsedMs > trained);
  const after = state.lossHistory.filter((p) => p.iter > 200);
  assert.ok(after.length > 0 && after.every((p) => p.elapsedMs! > elapsedInHistory(points.filter((q) => q.iter <= 200))));
});

test('elapsedInHistory: the newest recorded time, 0 for a history from before times were recorded', () => {
  assert.equal(elapsedInHistory([]), 0);
  assert.equal(elapsedInHistory([{ iter: 10, loss: 3 }, { iter: 20, loss: 2.9 }]), 0);
  assert.equal(elapsedInHistory([{ iter: 10, loss: 3, elapsedMs: 40 }, { iter: 20, loss: 2.9, elapsedMs: 90 }, { iter: 30, loss: 2.8 }]), 90);
});

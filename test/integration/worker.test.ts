// The training worker end to end under child_process.fork: the protocol, the loop's cadence, pause and
// deterministic sampling, save and load across processes, and a crash turned into a restorable session.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, constants, getPriority } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deserializeCheckpoint } from '../../core/checkpoint.js';
import type { LiveSample, ProgressEvent, SampleRequest, TrainingStatus } from '../../main/contract/api.js';
import type { WorkerEvent } from '../../main/contract/worker.js';
import { AutosaveStore } from '../../main/services/autosave-store.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { TrainingSession } from '../../main/services/training-session.js';
import { WorkerHost } from '../../main/services/worker-host.js';
import { rejectsWith, sleep, tempFolder, tinyHyperparameters, waitFor, writeCorpus } from './shell-support.js';

const SAMPLE: SampleRequest = { prime: 'The ', length: 60, temperature: 0.9, topK: 0, argmax: false, seed: 7 };

function startPayload(corpusPath: string, overrides = {}, extra: Partial<{ paused: boolean; autosavePath: string | null }> = {}) {
  return {
    corpusPath, hyperparameters: tinyHyperparameters(overrides), from: { kind: 'fresh' as const },
    paused: extra.paused ?? false, autosavePath: extra.autosavePath ?? null,
  };
}

/** A forked worker with everything it sends recorded, stamped with the time it arrived. */
function recordedWorker() {
  const host = new WorkerHost(sourceForkWorker());
  const progress: { at: number; event: ProgressEvent }[] = [];
  const liveSamples: LiveSample[] = [];
  const events: WorkerEvent[] = [];
  host.onEvent((e) => {
    events.push(e);
    if (e.type === 'progress') progress.push({ at: performance.now(), event: e.payload });
    if (e.type === 'live-sample') liveSamples.push(e.payload);
  });
  const iteration = () => progress.at(-1)?.event.iteration ?? 0;
  return { host, progress, liveSamples, events, iteration };
}

describe('training worker under child_process.fork', () => {
  const folder = tempFolder('worker');
  let corpusPath: string;
  before(() => { corpusPath = writeCorpus(folder.path); });
  after(() => folder.remove());

  test('trains below normal priority, so the window stays responsive on a laptop\'s few cores', async () => {
    const w = recordedWorker();
    try {
      await w.host.request('status', null);
      assert.ok(w.host.pid !== undefined);
      const nice = getPriority(w.host.pid);
      assert.ok(nice >= constants.priority.PRIORITY_BELOW_NORMAL,
        `the worker's priority is ${nice}; below normal is ${constants.priority.PRIORITY_BELOW_NORMAL} or more`);
      assert.ok(nice > getPriority(0) || getPriority(0) >= constants.priority.PRIORITY_BELOW_NORMAL, 'lower than the process that forked it');
    } finally {
      await w.host.shutdown();
    }
  });

  test('trains, throttles progress, pauses, samples the same text twice, resumes, saves, loads in a fresh worker, stops', async () => {
    const w = recordedWorker();
    try {
      const started = await w.host.request('start', startPayload(corpusPath));
      assert.equal(started.phase, 'running');
      assert.equal(started.hasModel, true);
      assert.equal(started.hyperparameters?.model.hiddenSize, 8);
      assert.equal(started.kernels, 'wasm-relaxed-simd', 'the worker trains on WebAssembly (relaxed SIMD) and says so');

      // a few hundred iterations, then at least a second of running to measure the event rate
      await waitFor('300 iterations', () => w.iteration() >= 300);
      const windowStart = performance.now(), countBefore = w.progress.length;
      await sleep(1000);
      const perSecond = (w.progress.length - countBefore) / ((performance.now() - windowStart) / 1000);
      assert.ok(perSecond <= 22, `progress events should be throttled to ~20/s; got ${perSecond.toFixed(1)}/s`);
      assert.ok(perSecond >= 5, `progress should keep coming while training; got ${perSecond.toFixed(1)}/s`);

      // the events carry new chart points, in order, and live samples arrive at the sampleEvery cadence
      const points = w.progress.flatMap((p) => p.event.points);
      assert.ok(points.length > 10);
      for (let i = 1; i < points.length; i++) assert.ok(points[i].iter > points[i - 1].iter, 'points are new and ascending');
      assert.ok(points.some((p) => p.valLoss !== undefined), 'validation loss is measured at the sampling cadence');
      assert.ok(w.liveSamples.length > 0);
      for (const s of w.liveSamples) assert.equal(s.iteration % 50, 0);
      const last = w.progress.at(-1)!.event;
      assert.ok(last.charsPerSec > 0 && last.elapsedMs > 0 && Number.isFinite(last.smoothLoss));
      assert.equal(last.etaMs, null, 'no stop set: no ETA');

      // pause: the iteration stops advancing
      const paused = await w.host.request('pause', null);
      assert.equal(paused.phase, 'paused');
      await sleep(250);
      assert.equal((await w.host.request('status', null)).iteration, paused.iteration);

      // sampling while paused, with a fixed seed, twice: the same text, streamed in chunks
      const chunks: string[] = [];
      const first = await w.host.request('sample', SAMPLE, (c) => chunks.push(c));
      const second = await w.host.request('sample', SAMPLE);
      assert.equal(first.text.length, 60);
      assert.equal(second.text, first.text);
      assert.equal(chunks.join(''), first.text);
      assert.deepEqual(first.unknownChars, []);
      const unknown = await w.host.request('sample', { ...SAMPLE, prime: 'Zebra ü' });
      assert.deepEqual(unknown, { text: '', unknownChars: ['Z', 'ü'] });

      const checkpoint = join(folder.path, 'paused.ckpt');
      const saved = await w.host.request('save', { path: checkpoint });
      assert.equal(saved.iteration, paused.iteration);
      assert.equal(saved.fileName, 'paused.ckpt');
      assert.ok(existsSync(checkpoint));

      // resume, and it moves on
      assert.equal((await w.host.request('resume', null)).phase, 'running');
      await waitFor('iterations after resuming', () => w.iteration() > paused.iteration + 50);
      const stopped = await w.host.request('stop', null);
      assert.equal(stopped.phase, 'stopped');
      assert.equal(stopped.hasModel, true, 'a stopped run keeps its model for sampling and saving');
      await rejectsWith(w.host.request('resume', null), 'state-misuse');

      // a fresh worker loads the checkpoint: same iteration, same sample
      const fresh = recordedWorker();
      try {
        const loaded = await fresh.host.request('load', { path: checkpoint });
        assert.equal(loaded.iteration, paused.iteration);
        assert.equal(loaded.hiddenSize, 8);
        assert.ok(loaded.history.length > 0);
        assert.equal((await fresh.host.request('sample', SAMPLE)).text, first.text);

        // and continues training from it, paused first
        const continued = await fresh.host.request('start', { ...startPayload(corpusPath), from: { kind: 'loaded' }, paused: true });
        assert.equal(continued.phase, 'paused');
        assert.equal(continued.iteration, paused.iteration);
        // the model's whole history goes out first, ahead of the reply, so a chart continues where it left off
        assert.equal(fresh.progress.length, 1);
        assert.deepEqual(fresh.progress[0].event.points, loaded.history);
        assert.equal(fresh.progress[0].event.iteration, paused.iteration);
        assert.deepEqual(await fresh.host.request('history', null), loaded.history);
        await fresh.host.request('resume', null);
        await waitFor('the loaded model training on', () => fresh.iteration() > paused.iteration);
        assert.equal((await fresh.host.request('stop', null)).phase, 'stopped');
      } finally {
        await fresh.host.shutdown();
      }
    } finally {
      const exit = await w.host.shutdown();
      assert.equal(exit.expected, true);
    }
  });

  test('samples while training, between steps, without stopping the run', async () => {
    const w = recordedWorker();
    try {
      await w.host.request('start', startPayload(corpusPath, { sampleEvery: 1000 }));
      await waitFor('training under way', () => w.iteration() > 100);
      const before = w.iteration();
      const chunks: string[] = [];
      const result = await w.host.request('sample', { ...SAMPLE, length: 4000 }, (c) => chunks.push(c));
      assert.equal(result.text.length, 4000);
      assert.equal(chunks.join(''), result.text);
      await waitFor('iterations during and after sampling', () => w.iteration() > before + 100);
      assert.equal((await w.host.request('status', null)).phase, 'running');
    } finally {
      await w.host.shutdown();
    }
  });

  test('stops by itself after the set number of iterations, with a status event saying so', async () => {
    const w = recordedWorker();
    try {
      await w.host.request('start', startPayload(corpusPath, { stopAfter: { kind: 'iterations', value: 120 } }));
      const status = await waitFor('the stop-after status', () =>
        w.events.find((e): e is Extract<WorkerEvent, { type: 'status' }> => e.type === 'status')?.payload);
      assert.equal(status.phase, 'stopped');
      assert.equal(status.iteration, 120);
      assert.match(status.message ?? '', /iteration 120, as set/);
      assert.equal(w.progress.at(-1)!.event.iteration, 120, 'the last progress event reports the final iteration');
    } finally {
      await w.host.shutdown();
    }
  });

  test('trains a batch on every core (the training pool): two runs with the same seed save the same parameters', async () => {
    const saved: string[] = [];
    for (const name of ['pool-a.ckpt', 'pool-b.ckpt']) {
      const w = recordedWorker();
      try {
        const started = await w.host.request('start', startPayload(corpusPath, { batchSize: 4, stopAfter: { kind: 'iterations', value: 60 } }));
        // one set's name: the pool's threads each reported it (threads that differ would be listed one by one)
        assert.equal(started.kernels, 'wasm-relaxed-simd', 'the worker\'s pool trains on WebAssembly');
        await waitFor('the stop-after status', () => w.events.some((e) => e.type === 'status' && e.payload.phase === 'stopped'));
        const path = join(folder.path, name);
        assert.equal((await w.host.request('save', { path })).iteration, 60);
        saved.push(path);
      } finally {
        await w.host.shutdown();
      }
    }
    const [a, b] = await Promise.all(saved.map(async (p) => deserializeCheckpoint(new Uint8Array(await readFile(p)))));
    assert.equal(a.threads, Math.min(availableParallelism(), 4), 'every core, at most the batch size');
    assert.equal(a.kernels, 'wasm-relaxed-simd');
    assert.deepEqual(b.params, a.params);
    assert.deepEqual(b.hidden, a.hidden);
  });

  test('refuses what it cannot do, with specific codes', async () => {
    const w = recordedWorker();
    try {
      await rejectsWith(w.host.request('sample', SAMPLE), 'no-model');
      await rejectsWith(w.host.request('pause', null), 'no-model');
      await rejectsWith(w.host.request('start', { ...startPayload(join(folder.path, 'missing.txt')), from: { kind: 'loaded' } }), 'no-model',
        'There is no model to continue: open a checkpoint, or start a new run.');
      await rejectsWith(w.host.request('save', { path: join(folder.path, 'x.ckpt') }), 'no-model');
      await rejectsWith(w.host.request('start', startPayload(join(folder.path, 'missing.txt'))), 'file-not-found', /does not exist/);
      const short = writeCorpus(folder.path, 'short.txt', 'abc abc');
      await rejectsWith(w.host.request('start', startPayload(short)), 'corpus-too-short');
      await rejectsWith(w.host.request('load', { path: short }), 'bad-checkpoint');
      assert.equal((await w.host.request('status', null)).phase, 'idle', 'failures leave the worker as it was');
    } finally {
      await w.host.shutdown();
    }
  });
});

describe('training session: a worker that dies', () => {
  const folder = tempFolder('crash');
  after(() => folder.remove());

  test('a worker killed mid-run is reported as crashed, and restoring the autosave continues from it', async () => {
    const corpusPath = writeCorpus(folder.path);
    const session = new TrainingSession(sourceForkWorker(), new AutosaveStore(join(folder.path, 'autosave')));
    const statuses: TrainingStatus[] = [];
    session.on('status', (s) => statuses.push(s));
    let autosaves = 0;
    session.on('autosaved', () => { autosaves++; });
    try {
      await session.whenLoaded();
      assert.equal(session.status().canRestoreAutosave, undefined, 'nothing to restore yet');
      const h = tinyHyperparameters({ autosaveMinutes: 0.003 }); // every 180 ms
      assert.equal((await session.start(corpusPath, h)).phase, 'running');
      assert.equal(statuses[0].phase, 'starting');
      await waitFor('an autosave', () => autosaves > 0);
      const autosaved = session.lastAutosave!;
      assert.ok(autosaved.iteration > 0 && existsSync(autosaved.checkpointPath));

      const pid = session.workerPid!;
      process.kill(pid, 'SIGKILL');
      const crashed = await waitFor('the crashed status', () => statuses.find((s) => s.phase === 'crashed'));
      assert.match(crashed.message ?? '', /stopped unexpectedly \(signal SIGKILL\)/);
      assert.equal(crashed.canRestoreAutosave, true);
      assert.equal(crashed.corpusPath, corpusPath, 'what was running is still shown');
      await rejectsWith(session.sample(SAMPLE), 'no-model');

      const restoredFrom = session.lastAutosave!;
      const restored = await session.restoreAutosave();
      assert.equal(restored.phase, 'paused');
      assert.equal(restored.iteration, restoredFrom.iteration);
      assert.match(restored.message ?? '', /Restored the autosave/);
      assert.notEqual(session.workerPid, pid, 'a new worker');
      assert.equal((await session.resume()).phase, 'running');
      await waitFor('training after the restore', () => session.status().iteration > restoredFrom.iteration + 20);
      assert.equal((await session.stop()).phase, 'stopped');
    } finally {
      await session.shutdown();
    }
    assert.equal(session.status().phase, 'stopped', 'a shutdown is not a crash');
  });
});

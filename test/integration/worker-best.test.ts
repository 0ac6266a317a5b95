// The app's worker (child_process.fork): "keep best" (where the best was, and saving that model), the form's
// Threads, a preset's learning-rate schedule, and progress while a start opens its corpus.
// first: the worker compiles relaxed SIMD (its entry sets the flag), and numbers computed here must match its own bits
import '../../main/training/relaxed-simd.js';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deserializeCheckpoint } from '../../core/checkpoint.js';
import { prepareCorpus } from '../../core/corpus.js';
import { evaluateLoss } from '../../core/trainer.js';
import type { CorpusLoadProgress, ProgressEvent } from '../../main/contract/api.js';
import type { WorkerEvent } from '../../main/contract/worker.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { WorkerHost } from '../../main/services/worker-host.js';
import { rejectsWith, tempFolder, tinyHyperparameters, waitFor, writeCorpus } from './shell-support.js';

function recordedWorker() {
  const host = new WorkerHost(sourceForkWorker());
  const events: WorkerEvent[] = [];
  host.onEvent((e) => events.push(e));
  const progress = () => events.flatMap((e) => (e.type === 'progress' ? [e.payload as ProgressEvent] : []));
  const stopped = () => events.some((e) => e.type === 'status' && e.payload.phase === 'stopped');
  return { host, events, progress, stopped };
}

const start = (corpusPath: string, overrides = {}) => ({
  corpusPath, hyperparameters: tinyHyperparameters(overrides), from: { kind: 'fresh' as const }, paused: false, autosavePath: null,
});

describe('the worker keeps the best model, takes Threads and reports opening the corpus', () => {
  const folder = tempFolder('worker-best');
  let corpusPath: string;
  before(() => { corpusPath = writeCorpus(folder.path); });
  after(() => folder.remove());

  test('keep best: progress says where the best was; "save best" writes that model, stamped with its iteration and loss', async () => {
    const w = recordedWorker();
    try {
      await w.host.request('start', start(corpusPath, {
        keepBest: true, optimizer: 'adam', learningRate: 0.05, cell: 'gru', hiddenSize: 16, batchSize: 2, threads: 1,
        lrSchedule: 'cosine', stopAfter: { kind: 'iterations', value: 400 },
      }));
      await waitFor('the stop-after status', () => w.stopped());
      const best = w.progress().at(-1)!.best!;
      const validations = w.progress().flatMap((p) => p.points).filter((p) => p.valLoss !== undefined);
      assert.equal(validations.length, 8, 'every 50 iterations');
      assert.ok(validations.every((p) => best.valLoss <= p.valLoss!), 'the lowest');
      const path = join(folder.path, 'best.ckpt');
      const info = await w.host.request('save', { path, best: true });
      assert.deepEqual([info.iteration, info.bestValLoss], [best.iteration, best.valLoss]);
      const saved = deserializeCheckpoint(new Uint8Array(await readFile(path)));
      assert.equal(saved.iteration, best.iteration);
      assert.equal(saved.bestValLoss, best.valLoss);
      assert.equal(saved.threads, 1, 'Threads from the form');
      assert.equal(saved.training.learningRate, 0.05, 'the configured rate, not the schedule\'s last');
      const text = await readFile(corpusPath, 'utf8');
      assert.equal(evaluateLoss(saved.model, saved.params, prepareCorpus(text, saved.training, saved.vocab).val), best.valLoss);
      const last = deserializeCheckpoint(new Uint8Array(await readFile((await w.host.request('save', { path: join(folder.path, 'last.ckpt') })).path)));
      assert.equal(last.iteration, 400, 'a plain save is still the current model');
    } finally {
      await w.host.shutdown();
    }
  });

  test('without keep best there is nothing to save as best; the corpus is reported while it opens', async () => {
    const w = recordedWorker();
    try {
      await w.host.request('start', start(corpusPath, { stopAfter: { kind: 'iterations', value: 60 } }));
      await waitFor('the stop-after status', () => w.stopped());
      assert.equal(w.progress().at(-1)!.best, null);
      await rejectsWith(w.host.request('save', { path: join(folder.path, 'none.ckpt'), best: true }), 'no-model', /turn on "Keep best"/);
      const opening = w.events.flatMap((e) => (e.type === 'corpus-progress' ? [e.payload as CorpusLoadProgress] : []));
      const size = (await stat(corpusPath)).size;
      assert.ok(opening.length >= 2, 'reading, then decoding');
      assert.equal(opening[0].stage, 'reading');
      assert.ok(opening.every((p) => p.total === size && p.done <= p.total));
      assert.equal(opening.at(-1)!.stage, 'decoding');
      const firstProgress = w.events.findIndex((e) => e.type === 'progress');
      const lastOpening = w.events.findLastIndex((e) => e.type === 'corpus-progress');
      assert.ok(lastOpening < firstProgress, 'before training starts');
    } finally {
      await w.host.shutdown();
    }
  });
});

// Faults (issue 7, "Counted suites"): a writer killed at every step of a checkpoint write leaves the
// previous file loadable; a full disk during autosave leaves training running and tells the user; a
// worker killed mid-run restarts from its autosave with the chart continuing and at most one autosave
// interval lost; a long headless run keeps a bounded, downsampled loss history and a flat heap.
// (The first crash test lives in worker.test.ts and stays there.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { deserializeCheckpoint, serializeCheckpoint } from '../../core/checkpoint.js';
import { SEED_TRAINING } from '../../core/config.js';
import { MAX_HISTORY_POINTS } from '../../core/history.js';
import { createTrainingState, type TrainingState } from '../../core/trainer.js';
import { Vocabulary } from '../../core/vocab.js';
import type { LossPoint } from '../../core/history.js';
import type { ProgressEvent, TrainingStatus } from '../../main/contract/api.js';
import { createBackend, type Backend } from '../../main/backend.js';
import { ATOMIC_WRITE_STEPS, isTempPathFor } from '../../main/files/atomic-write.js';
import { nodeForkWorker, WORKER_SOURCE_ENTRY } from '../../main/services/node-fork.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { createTrainingRunner } from '../../main/training/pool/pool-trainer.js';
import { prepareRun } from '../../main/training/prepare-run.js';
import { runTrainingLoop } from '../../main/training/training-loop.js';
import { generatedText, StubDialogs, tempFolder, tinyHyperparameters, tokenFor, waitFor } from './shell-support.js';

const CHILD = resolve('test/helpers/atomic-write-child.ts');
const FAULT_HOOK = resolve('test/helpers/fs-fault-hook.mjs');

function checkpoint(hiddenSize: number, iteration: number): Uint8Array {
  const vocab = Vocabulary.fromText('abcdefgh \n');
  const state: TrainingState = createTrainingState({ cell: 'lstm', hiddenSize, layers: 1, vocabSize: vocab.size },
    { ...SEED_TRAINING, seqLength: 10 }, vocab);
  state.iteration = iteration;
  return serializeCheckpoint(state);
}

describe('a crash at every point of a checkpoint write', () => {
  const folder = tempFolder('faults-atomic');
  after(() => folder.remove());

  test(`the writer killed at each of ${ATOMIC_WRITE_STEPS.length} steps: the target is the old or the whole new checkpoint, never a part`, () => {
    const oldBytes = checkpoint(16, 20_000);
    const newBytes = checkpoint(24, 10);
    const source = join(folder.path, 'new.bin');
    writeFileSync(source, newBytes);
    const seen: string[] = [];
    for (const step of ATOMIC_WRITE_STEPS) {
      const target = join(folder.path, `model-${step}.ckpt`);
      writeFileSync(target, oldBytes);
      const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, target, source, step], { encoding: 'utf8' });
      assert.equal(r.signal, 'SIGKILL', `killed at ${step} (${r.stdout}${r.stderr})`);
      const state = deserializeCheckpoint(new Uint8Array(readFileSync(target)));   // throws if damaged
      const renamed = ATOMIC_WRITE_STEPS.indexOf(step) >= ATOMIC_WRITE_STEPS.indexOf('renamed');
      assert.equal(state.iteration, renamed ? 10 : 20_000, `${step}: ${renamed ? 'the new' : 'the previous'} checkpoint loads`);
      assert.equal(state.model.hiddenSize, renamed ? 24 : 16);
      // a killed writer leaves at most its temporary file, which is recognisable as such
      const leftovers = readdirSync(folder.path).filter((f) => f.startsWith(`.model-${step}.ckpt.`));
      assert.ok(leftovers.every((f) => isTempPathFor(target, join(folder.path, f))), `${step}: leftovers ${leftovers.join(', ')}`);
      assert.equal(leftovers.length, renamed ? 0 : 1, `${step}: the temporary file is there until the rename`);
      seen.push(step);
    }
    console.log(`atomic write: killed at ${seen.length} steps (${seen.join(', ')}), the target loaded every time`);
  });
});

describe('disk full during autosave', () => {
  const folder = tempFolder('faults-enospc');
  let backend: Backend;
  after(async () => {
    await backend?.dispose();
    folder.remove();
  });

  test('ENOSPC from the second autosave on: training goes on, the user is told, the first autosave still loads', async () => {
    const corpusPath = join(folder.path, 'corpus.txt');
    writeFileSync(corpusPath, generatedText());
    // the worker's writes to autosave files fail with ENOSPC after the first one, as on a full disk
    const fault = JSON.stringify({ op: 'write', match: `${join(folder.path, 'autosave')}`, code: 'ENOSPC', after: 2 });
    const forkWorker = nodeForkWorker(WORKER_SOURCE_ENTRY, { execArgv: ['--import', 'tsx', '--import', FAULT_HOOK], env: { ...process.env, CHAR_RNN_FS_FAULT: fault } });
    backend = createBackend({ userDataDir: folder.path, dialogs: new StubDialogs(), forkWorker, log: () => {} });
    const statuses: TrainingStatus[] = [];
    backend.on('training:status', (s) => statuses.push(s));
    let autosaves = 0;
    backend.session.on('autosaved', () => { autosaves++; });
    await backend.handle('training:start', { corpus: await tokenFor(backend, corpusPath), hyperparameters: tinyHyperparameters({ autosaveMinutes: 0.004 }) });
    await waitFor('a first autosave', () => autosaves > 0, 20_000);
    const told = await waitFor('the user to be told', () => statuses.find((s) => /Autosave failed/.test(s.message ?? '')), 20_000);
    assert.match(told.message!, /the disk is full/);
    assert.match(told.message!, /Training goes on in memory; use Save as…/);
    const at = backend.session.status().iteration;
    await waitFor('training to go on', () => backend.session.status().iteration > at + 200, 20_000);
    assert.equal(backend.session.status().phase, 'running');
    const record = backend.session.lastAutosave!;
    const state = deserializeCheckpoint(new Uint8Array(readFileSync(record.checkpointPath)));
    assert.equal(state.iteration, record.iteration, 'the last good autosave is intact');
    // autosaves come every quarter second here, so a failing one may be half way while training runs: look once it has stopped
    await backend.handle('training:stop', null);
    await waitFor('training to stop', () => backend.session.status().phase !== 'running', 20_000);
    assert.ok(!readdirSync(join(folder.path, 'autosave')).some((f) => f.endsWith('.tmp')), 'no temporary file is left behind');
  });
});

describe('disk full during the CLI\'s periodic saves', () => {
  const folder = tempFolder('faults-enospc-cli');
  after(() => folder.remove());

  test('ENOSPC on --out after the first save: training goes on, the run is rescued, and the user is told where', () => {
    const corpusPath = join(folder.path, 'corpus.txt');
    writeFileSync(corpusPath, generatedText());
    const out = join(folder.path, 'run.ckpt');
    const rescue = join(folder.path, 'rescue');
    const fault = JSON.stringify({ op: 'write', match: 'run.ckpt', code: 'ENOSPC', after: 2 });
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', FAULT_HOOK, resolve('main/cli/index.ts'), 'train', corpusPath,
      '--hidden', '8', '--seq-length', '10', '--iterations', '400', '--save-every', '50', '--print-every', '0', '--sample-every', '0', '--out', out],
    { encoding: 'utf8', env: { ...process.env, CHAR_RNN_FS_FAULT: fault, CHAR_RNN_RESCUE_DIR: rescue } });
    assert.ok(!/\n\s+at .*:\d+:\d+/.test(r.stderr), r.stderr);
    assert.match(r.stderr, /could not save .*run\.ckpt.*the disk is full.*training goes on/i);
    assert.match(r.stdout, /iter 400, loss/, 'training went on to the end');
    assert.equal(r.status, 1, 'the run ends saying --out could not be saved');
    assert.match(r.stderr.trimEnd().split('\n').at(-1)!, /^char-rnn: could not save .*run\.ckpt .*the disk is full.*; the run was saved to .*rescue/);
    assert.equal(deserializeCheckpoint(new Uint8Array(readFileSync(out))).iteration, 50, '--out still holds the first save, whole');
    const rescued = readdirSync(rescue).filter((n) => n.endsWith('.ckpt')).sort();
    assert.equal(deserializeCheckpoint(new Uint8Array(readFileSync(join(rescue, rescued.at(-1)!)))).iteration, 400, 'the rescue holds the end of the run');
  });
});

describe('a worker killed mid-run, restored from its autosave', () => {
  const folder = tempFolder('faults-kill');
  let backend: Backend;
  after(async () => {
    await backend?.dispose();
    folder.remove();
  });

  test('the chart continues where the autosave was, and at most one autosave interval is lost', async () => {
    const corpusPath = join(folder.path, 'corpus.txt');
    writeFileSync(corpusPath, generatedText());
    backend = createBackend({ userDataDir: folder.path, dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
    const statuses: TrainingStatus[] = [];
    const progress: ProgressEvent[] = [];
    backend.on('training:status', (s) => statuses.push(s));
    backend.on('training:progress', (p) => progress.push(p));
    const autosaved: number[] = [];
    backend.session.on('autosaved', (info) => { autosaved.push(info.iteration); });
    const intervalMs = 0.005 * 60_000; // 300 ms
    await backend.handle('training:start', { corpus: await tokenFor(backend, corpusPath), hyperparameters: tinyHyperparameters({ autosaveMinutes: intervalMs / 60_000 }) });
    await waitFor('two autosaves', () => autosaved.length >= 2, 20_000);
    const before = await backend.handle('training:history', null) as LossPoint[];
    const pid = backend.session.workerPid!;
    const iterationAtKill = backend.session.status().iteration;
    process.kill(pid, 'SIGKILL');
    await waitFor('the crash', () => statuses.find((s) => s.phase === 'crashed'));
    const record = backend.session.lastAutosave!;
    // lost: only the iterations since the last autosave the worker reported (autosaves kept coming on the timer)
    assert.ok(record.iteration >= autosaved.at(-1)!, `the autosave offered (iteration ${record.iteration}) is the last one reported before the crash (${autosaved.at(-1)})`);
    assert.ok(autosaved.every((it, i) => i === 0 || it > autosaved[i - 1]), `autosaves move forward: ${autosaved.join(', ')}`);
    const restored = await backend.handle('training:restore-autosave', null);
    assert.equal(restored.iteration, record.iteration);
    assert.ok(record.iteration <= iterationAtKill);
    const history = await backend.handle('training:history', null) as LossPoint[];
    assert.ok(history.length > 0 && history.at(-1)!.iter <= record.iteration, 'the chart holds the autosave\'s history');
    // the restored history is the run's own chart: every point it shares with the chart before the kill is the same point
    const known = new Map(before.map((p) => [p.iter, p.loss]));
    const overlap = history.filter((p) => p.iter <= before.at(-1)!.iter);
    assert.ok(overlap.length > 0, 'the restored chart overlaps the one before the kill');
    for (const p of overlap) assert.equal(known.get(p.iter), p.loss, `the point at iteration ${p.iter} is the one the chart had`);
    progress.length = 0;
    await backend.handle('training:resume', null);
    await waitFor('progress after the restore', () => progress.some((p) => p.points.some((q) => q.iter > record.iteration + 20)), 20_000);
    const next = progress.flatMap((p) => p.points).filter((q) => q.iter > record.iteration);
    assert.ok(next.length > 0 && next[0].iter > record.iteration, 'the chart continues after the autosave\'s iteration, with no gap back to 0');
    await backend.handle('training:stop', null);
  });
});

describe('a long headless run', () => {
  const ITERATIONS = Number(process.env.CHAR_RNN_LONG_RUN_ITERATIONS ?? 1_000_000);

  test(`${ITERATIONS.toLocaleString('en-US')} iterations of a tiny model, a point every iteration: history bounded and downsampled, heap flat`, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
    const { state, corpus } = prepareRun(generatedText(400), '/long-run.txt',
      { kind: 'new', model: { cell: 'rnn', hiddenSize: 4, layers: 1 }, training: { ...SEED_TRAINING, seqLength: 4, valFraction: 0.05 } });
    const trainer = await createTrainingRunner(state, corpus, 1);
    try {
      const plan = { printEvery: 1, sampleEvery: 5000, sampleLength: 0, saveEvery: 0 };
      const warmup = ITERATIONS / 10;
      await runTrainingLoop(trainer, corpus, { ...plan, stopAtIteration: warmup }, {});
      const heapAfterWarmup = heap();
      let maxLength = 0;
      await runTrainingLoop(trainer, corpus, { ...plan, stopAtIteration: ITERATIONS }, {
        progress: () => { if (state.lossHistory.length > maxLength) maxLength = state.lossHistory.length; },
      });
      const growth = heap() - heapAfterWarmup;
      const history = state.lossHistory;
      console.log(`long run: ${state.iteration} iterations, history ${history.length} points (at most ${maxLength}), heap growth ${(growth / 2 ** 20).toFixed(2)} MiB after the first ${warmup}`);
      assert.equal(state.iteration, ITERATIONS);
      assert.ok(maxLength <= MAX_HISTORY_POINTS, `history at most ${MAX_HISTORY_POINTS} points, was ${maxLength}`);
      assert.ok(history.length >= MAX_HISTORY_POINTS / 2, 'and not thinned to nothing');
      assert.ok(history[0].iter <= 10, 'it still spans the whole run, from the start');
      assert.equal(history.at(-1)!.iter, ITERATIONS, '…to the last iteration');
      assert.ok(history.every((p, i) => i === 0 || p.iter > history[i - 1].iter), 'in order');
      assert.deepEqual(history.slice(-100).map((p) => p.iter), Array.from({ length: 100 }, (_, i) => ITERATIONS - 99 + i), 'recent points at full resolution');
      const validated = history.filter((p) => p.valLoss !== undefined).length;
      assert.equal(validated, Math.min(ITERATIONS / 5000, MAX_HISTORY_POINTS), 'every validation point is kept');
      assert.ok(growth < 4 * 2 ** 20, `heap grew ${(growth / 2 ** 20).toFixed(2)} MiB over ${ITERATIONS - warmup} iterations`);
    } finally {
      await trainer.dispose();
    }
  });
});

// Quitting must not return before the autosave is recorded: the next start of the app reads latest.json
// at once. A scripted worker makes the two orderings that used to slip through happen every time (an
// autosave reported while the worker quits, and one reported just before it crashed); the real worker,
// quit mid-run with a fast autosave timer, checks that nothing is left half written.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { CheckpointInfo, Hyperparameters } from '../../main/contract/api.js';
import type { WorkerCommand, WorkerEvent, WorkerStatus } from '../../main/contract/worker.js';
import { createBackend } from '../../main/backend.js';
import { AutosaveStore } from '../../main/services/autosave-store.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { TrainingSession } from '../../main/services/training-session.js';
import type { WorkerExit, WorkerProcess } from '../../main/services/worker-host.js';
import { sleep, StubDialogs, tempFolder, tinyHyperparameters, tokenFor, waitFor, writeCorpus } from './shell-support.js';

/** A worker process in this process: every message and the exit arrive a turn later, in order, as over IPC. */
class ScriptedWorker implements WorkerProcess {
  readonly pid = 424242;
  private messageListener: ((message: unknown) => void) | null = null;
  private exitListener: ((exit: WorkerExit) => void) | null = null;
  private exited = false;

  constructor(private readonly answer: (command: WorkerCommand, worker: ScriptedWorker) => void) {
    this.send({ type: 'ready', id: 0, payload: { pid: this.pid } });
  }

  send(event: WorkerEvent): void {
    const copy = structuredClone(event);
    setImmediate(() => { if (!this.exited) this.messageListener?.(copy); });
  }

  reply(command: WorkerCommand, result: unknown): void {
    this.send({ type: 'reply', id: command.id, payload: { ok: true, result } });
  }

  exit(code: number | null): void {
    setImmediate(() => {
      if (this.exited) return;
      this.exited = true;
      this.exitListener?.({ code, signal: null });
    });
  }

  postMessage(command: WorkerCommand): void {
    setImmediate(() => this.answer(command, this));
  }

  onMessage(listener: (message: unknown) => void): void {
    this.messageListener = listener;
  }

  onExit(listener: (exit: WorkerExit) => void): void {
    this.exitListener = listener;
  }

  kill(): void {
    this.exit(null);
  }
}

function runningStatus(corpusPath: string, hyperparameters: Hyperparameters): WorkerStatus {
  return { seq: 1, phase: 'running', hasModel: true, corpusPath, checkpointPath: null, hyperparameters, iteration: 100 };
}

function autosavedInfo(path: string, iteration: number): CheckpointInfo {
  writeFileSync(path, 'a checkpoint'); // the record is only offered while its checkpoint exists
  return {
    path, fileName: basename(path), iteration, epoch: 0, smoothLoss: 3, bestValLoss: null, cell: 'rnn',
    hiddenSize: 8, layers: 1, vocabularySize: 20, savedAt: new Date().toISOString(), history: [],
  };
}

function recordIn(folder: string): { iteration: number; checkpointPath: string } | null {
  const path = join(folder, 'latest.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
}

describe('quitting waits for the autosave record', () => {
  const folder = tempFolder('autosave-on-quit');
  after(() => folder.remove());
  const corpusPath = join(folder.path, 'corpus.txt');
  const h = tinyHyperparameters();

  test('an autosave the worker reports while it quits is recorded before shutdown() resolves', async () => {
    const autosaves = join(folder.path, 'quitting');
    const session = new TrainingSession(() => new ScriptedWorker((command, w) => {
      switch (command.type) {
        case 'start': return w.reply(command, runningStatus(corpusPath, h));
        case 'autosave': return w.reply(command, null);   // nothing new: the run's own autosave is still being written
        case 'shutdown':
          // ...and finishes while the run stops: reported after the autosave main asked for, before the exit
          w.send({ type: 'autosaved', id: 0, payload: autosavedInfo(join(autosaves, 'run.ckpt'), 120) });
          w.reply(command, null);
          return w.exit(0);
        default: return w.reply(command, null);
      }
    }), new AutosaveStore(autosaves));
    await session.start(corpusPath, h);
    assert.equal(session.workerPid, 424242);
    await session.shutdown();
    assert.equal(recordIn(autosaves)?.iteration, 120, 'latest.json is written when shutdown() resolves');
  });

  test('an autosave reported just before the worker crashed is recorded before shutdown() resolves', async () => {
    const autosaves = join(folder.path, 'crashing');
    let worker: ScriptedWorker | null = null;
    const session = new TrainingSession(() => (worker = new ScriptedWorker((command, w) => {
      if (command.type === 'start') w.reply(command, runningStatus(corpusPath, h));
      else w.reply(command, null);
    })), new AutosaveStore(autosaves));
    await session.start(corpusPath, h);
    // quitting the moment the crash is known: no worker left to stop, but a record still being written
    const quit = new Promise<void>((resolve) => session.on('status', (s) => {
      if (s.phase === 'crashed') resolve(session.shutdown());
    }));
    worker!.send({ type: 'autosaved', id: 0, payload: autosavedInfo(join(autosaves, 'run.ckpt'), 140) });
    worker!.exit(1);
    await quit;
    assert.equal(recordIn(autosaves)?.iteration, 140, 'latest.json is written when shutdown() resolves');
  });

  test('the real worker, quit mid-run while its autosave timer fires: recorded, final, and nothing half written', async () => {
    const corpus = writeCorpus(folder.path, 'sea.txt');
    for (let round = 0; round < 5; round++) {
      const userDataDir = join(folder.path, `user-data-${round}`);
      const backend = createBackend({ userDataDir, dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
      // an autosave every 30 ms: one is often under way when quitting begins
      await backend.handle('training:start', { corpus: await tokenFor(backend, corpus), hyperparameters: tinyHyperparameters({ autosaveMinutes: 0.0005 }) });
      await waitFor('some training', () => backend.session.status().iteration > 50);
      await sleep(round * 17);
      let lastSeen = 0; // the furthest iteration the worker reported: the quit autosave must hold all of it
      backend.on('training:progress', (p) => { lastSeen = Math.max(lastSeen, p.iteration); });
      await backend.dispose();

      const autosaves = join(userDataDir, 'autosave');
      const record = recordIn(autosaves);
      assert.ok(record, `round ${round}: latest.json exists as soon as dispose() resolves`);
      assert.ok(existsSync(record.checkpointPath), `round ${round}: its checkpoint exists`);
      assert.ok(record.iteration >= lastSeen, `round ${round}: the autosave (iteration ${record.iteration}) holds every step taken (${lastSeen})`);
      assert.deepEqual(readdirSync(autosaves).sort(), [basename(record.checkpointPath), 'latest.json'].sort(),
        `round ${round}: one checkpoint and its record, no temporary file of a write cut short`);
      await sleep(100);
      assert.deepEqual(recordIn(autosaves), record, `round ${round}: nothing is recorded after dispose() resolved`);
    }
  });
});

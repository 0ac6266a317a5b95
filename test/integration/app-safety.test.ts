// The app's side of issue 7 through the real backend: a save never destroys the corpus or a file that
// is not a model, and a loss that explodes pauses the run, rolled back, with what to change.
import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TrainingStatus } from '../../main/contract/api.js';
import { createBackend, type Backend } from '../../main/backend.js';
import { readCheckpointFile } from '../../main/files/model-files.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { rejectsWith, StubDialogs, tempFolder, tinyHyperparameters, tokenFor, waitFor, writeCorpus } from './shell-support.js';

describe('app: saving and exporting never destroy a file', () => {
  const folder = tempFolder('app-safety');
  const dialogs = new StubDialogs();
  let backend: Backend;
  let corpusPath: string;
  before(async () => {
    corpusPath = writeCorpus(folder.path);
    backend = createBackend({ userDataDir: folder.path, dialogs, forkWorker: sourceForkWorker(), log: () => {} });
    await backend.handle('training:start', { corpus: await tokenFor(backend, corpusPath), hyperparameters: tinyHyperparameters({ stopAfter: { kind: 'iterations', value: 50 } }) });
    await waitFor('the run to stop', () => backend.session.status().phase === 'stopped');
  });
  after(async () => {
    await backend.dispose();
    folder.remove();
  });

  test('Save as… and Export onto the corpus, or onto a file that is not a model, are refused; the files stay', async () => {
    const corpusBefore = readFileSync(corpusPath, 'utf8');
    dialogs.answers.push(corpusPath);
    await rejectsWith(backend.handle('checkpoint:save-as', null), 'output-refused', /also an input/);
    dialogs.answers.push(corpusPath);
    await rejectsWith(backend.handle('checkpoint:export', { format: 'safetensors' }), 'output-refused', /also an input/);
    assert.equal(readFileSync(corpusPath, 'utf8'), corpusBefore);

    const notes = join(folder.path, 'notes.md');
    writeFileSync(notes, '# notes\n');
    dialogs.answers.push(notes);
    await rejectsWith(backend.handle('checkpoint:save-as', null), 'output-refused', /not a checkpoint or safetensors file, so it is never replaced/);
    assert.equal(readFileSync(notes, 'utf8'), '# notes\n');
  });

  test('a UTF-16 corpus with a byte-order mark opens, and the report says how it was read', async () => {
    const path = join(folder.path, 'utf16.txt');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Ünïcode text, line one.\nAnd two.\n'.repeat(50), 'utf16le')]));
    const report = await backend.handle('corpus:open-file', { token: await tokenFor(backend, path) });
    assert.equal(report.vocabularySize, new Set('Ünïcode text, line one.\nAnd two.\n').size);
    assert.ok(report.warnings.some((w) => /UTF-16 LE text, not UTF-8: it was decoded as such/.test(w)), report.warnings.join(' | '));
  });

  test('an existing checkpoint is replaced once the dialog\'s overwrite prompt was answered', async () => {
    const target = join(folder.path, 'model.ckpt');
    dialogs.answers.push(target);
    await backend.handle('checkpoint:save-as', null);
    dialogs.answers.push(target);
    const info = await backend.handle('checkpoint:save-as', null);
    assert.equal(info?.path, target);
    assert.equal((await readCheckpointFile(target)).state.iteration, 50);
  });
});

describe('app: an autosave folder that cannot be written', () => {
  const folder = tempFolder('app-autosave-blocked');
  let backend: Backend;
  after(async () => {
    await backend.dispose();
    folder.remove();
  });

  test('is found before Start: the run starts, and the user is told autosave is off and why', async () => {
    const corpusPath = writeCorpus(folder.path);
    const blocked = join(folder.path, 'not-a-folder');
    writeFileSync(blocked, 'a file where the autosave folder should be\n');
    backend = createBackend({ userDataDir: folder.path, autosaveDir: join(blocked, 'autosave'), dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
    const status = await backend.handle('training:start', { corpus: await tokenFor(backend, corpusPath), hyperparameters: tinyHyperparameters({ autosaveMinutes: 1 }) });
    assert.equal(status.phase, 'running');
    assert.match(status.message ?? '', /^Autosave is off: Cannot write .*not-a-folder.*Use Save as… to keep the model\.$/);
    assert.ok(!/\n|    at /.test(status.message!));
  });
});

describe('app: an autosave that fails later', () => {
  const folder = tempFolder('app-autosave-fails');
  let backend: Backend;
  after(async () => {
    await backend.dispose();
    folder.remove();
  });

  test('training goes on in memory and the user is told', async () => {
    const corpusPath = writeCorpus(folder.path);
    const autosaveDir = join(folder.path, 'autosave');
    backend = createBackend({ userDataDir: folder.path, autosaveDir, dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
    const statuses: TrainingStatus[] = [];
    backend.on('training:status', (s) => statuses.push(s));
    let autosaves = 0;
    backend.session.on('autosaved', () => { autosaves++; });
    await backend.handle('training:start', { corpus: await tokenFor(backend, corpusPath), hyperparameters: tinyHyperparameters({ autosaveMinutes: 0.005 }) });
    await waitFor('a first autosave', () => autosaves > 0, 20_000);
    renameSync(autosaveDir, `${autosaveDir}-gone`);
    const told = await waitFor('the user to be told', () => statuses.find((s) => /Autosave failed/.test(s.message ?? '')), 20_000);
    assert.match(told.message!, /Training goes on in memory; use Save as…/);
    assert.equal(backend.session.status().phase, 'running');
  });
});

describe('app: a loss that explodes', () => {
  const folder = tempFolder('app-explode');
  let backend: Backend;
  after(async () => {
    await backend.dispose();
    folder.remove();
  });

  test('LSTM, Adam, lr 10: the run pauses, rolled back to a good state, and says what to change', async () => {
    const corpusPath = writeCorpus(folder.path);
    backend = createBackend({ userDataDir: folder.path, dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
    const statuses: TrainingStatus[] = [];
    backend.on('training:status', (s) => statuses.push(s));
    await backend.handle('training:start', {
      corpus: await tokenFor(backend, corpusPath),
      hyperparameters: tinyHyperparameters({ cell: 'lstm', hiddenSize: 32, seqLength: 25, optimizer: 'adam', learningRate: 10, clipValue: 0, clipNorm: 0,
        stopAfter: { kind: 'iterations', value: 3000 } }),
    });
    const paused = await waitFor('the run to pause by itself', () => statuses.find((s) => s.phase === 'paused' && /diverged/.test(s.message ?? '')), 30_000);
    assert.match(paused.message!, /rolled back to iteration \d+.*lower the learning rate/i);
    const history = await backend.handle('training:history', null);
    const lnV = Math.log(new Set(readFileSync(corpusPath, 'utf8')).size);
    assert.ok(history.every((p) => p.loss < 3 * lnV + 1e-9), 'the model held is the good state, not the exploded one');
    assert.ok(paused.iteration < 3000);
  });
});

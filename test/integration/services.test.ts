// The main-process services on real files in a temp folder: the corpus report and its refusals,
// settings (round trip, corrupt file), and checkpoints (save as, open, export, recent list).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEFAULT_HYPERPARAMETERS, defaultHyperparameters } from '../../main/contract/defaults.js';
import { AutosaveStore } from '../../main/services/autosave-store.js';
import { CheckpointService } from '../../main/services/checkpoints.js';
import { corpusReport } from '../../main/services/corpus.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { SETTINGS_FILE, SettingsService } from '../../main/services/settings.js';
import { TrainingSession } from '../../main/services/training-session.js';
import { rejectsWith, StubDialogs, tempFolder, tinyHyperparameters, waitFor, withSettings, writeCorpus } from './shell-support.js';

const SEED_SHAPE = { seqLength: 25, batchSize: 1, valFraction: 0.1 };

describe('corpus report', () => {
  const folder = tempFolder('corpus');
  after(() => folder.remove());
  const file = (name: string, bytes: Uint8Array | string) => {
    const path = join(folder.path, name);
    writeFileSync(path, bytes);
    return path;
  };

  test('counts characters, vocabulary, lines, CRLF and the BOM, and lists the most and least frequent', async () => {
    const text = 'héllo wörld\r\nhello again\r\nbye 👋\n';
    const path = file('greeting.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const r = await corpusReport(path, SEED_SHAPE);
    assert.equal(r.path, path);
    assert.equal(r.fileName, 'greeting.txt');
    assert.equal(r.bytes, 3 + Buffer.byteLength(text));
    assert.equal(r.characters, [...text].length, 'code points, the emoji counted once');
    assert.equal(r.vocabularySize, new Set(text).size); // a Set over a string takes code points
    assert.equal(r.lines, 3);
    assert.equal(r.crlfLines, 2);
    assert.equal(r.hadBom, true);
    assert.deepEqual(r.mostFrequent[0], { char: 'l', count: 5 });
    assert.equal(r.mostFrequent.length, 10);
    assert.equal(r.leastFrequent.length, 10);
    assert.ok(r.leastFrequent.every((c) => c.count === 1));
    assert.ok(r.leastFrequent.some((c) => c.char === '👋'));
    const warnings = r.warnings.join('\n');
    assert.match(warnings, /CR LF/);
    assert.match(warnings, /byte-order mark/);
    assert.match(warnings, /small corpus \(32 characters\)/);
    const tooShort = await corpusReport(path, { ...SEED_SHAPE, seqLength: 100 });
    assert.match(tooShort.warnings[0], /^Too short for the current settings: 29 training characters, but sequence length 100 with batch 1 needs at least 102/);
  });

  test('a plain, long enough text has no CRLF, BOM or length warnings', async () => {
    const path = file('plain.txt', 'the cat sat on the mat.\n'.repeat(500));
    const r = await corpusReport(path, SEED_SHAPE);
    assert.equal(r.crlfLines, 0);
    assert.equal(r.hadBom, false);
    assert.equal(r.lines, 500);
    assert.equal(r.vocabularySize, 12);
    assert.deepEqual(r.warnings, []);
  });

  test('refuses empty, binary, non-UTF-8, missing files and folders with a clear error', async () => {
    await rejectsWith(corpusReport(file('empty.txt', ''), SEED_SHAPE), 'corpus-empty', /empty/);
    await rejectsWith(corpusReport(file('image.bin', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])), SEED_SHAPE), 'corpus-binary', /binary/);
    await rejectsWith(corpusReport(file('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a])), SEED_SHAPE), 'corpus-not-utf8', /UTF-8/);
    await rejectsWith(corpusReport(join(folder.path, 'nope.txt'), SEED_SHAPE), 'file-not-found', /does not exist/);
    mkdirSync(join(folder.path, 'a-folder'));
    await rejectsWith(corpusReport(join(folder.path, 'a-folder'), SEED_SHAPE), 'file-is-directory', /folder/);
  });
});

describe('settings', () => {
  const folder = tempFolder('settings');
  after(() => folder.remove());

  test('a first run gets the seed hyperparameters; changes survive a reopen', async () => {
    const dir = join(folder.path, 'round-trip');
    const first = await SettingsService.open(dir);
    assert.equal(first.problem, null);
    assert.deepEqual(first.get().hyperparameters, DEFAULT_HYPERPARAMETERS);
    assert.equal(first.get().hyperparameters.model.hiddenSize, 100);
    assert.equal(first.get().hyperparameters.training.learningRate, 0.1);

    const h = tinyHyperparameters({ stopAfter: { kind: 'minutes', value: 2.5 } });
    await first.setHyperparameters(h);
    await first.addRecentCorpus('/texts/a.txt');
    await first.addRecentCorpus('/texts/b.txt');
    await first.addRecentCorpus('/texts/a.txt');  // moves to the front, not twice
    await first.setWindowBounds({ x: 10, y: 20, width: 1000, height: 700, maximized: false });

    const again = await SettingsService.open(dir);
    assert.equal(again.problem, null);
    assert.deepEqual(again.get().hyperparameters, h);
    assert.deepEqual(again.get().recent.corpora, ['/texts/a.txt', '/texts/b.txt']);
    assert.deepEqual(again.windowBounds, { x: 10, y: 20, width: 1000, height: 700, maximized: false });
    assert.deepEqual(readdirSync(dir), [SETTINGS_FILE], 'atomic writes leave no temporary files');
  });

  test('a corrupt file falls back to the defaults and is kept aside', async () => {
    const dir = join(folder.path, 'corrupt');
    mkdirSync(dir);
    writeFileSync(join(dir, SETTINGS_FILE), '{"hyperparameters": {"hiddenSize": 5');
    const s = await SettingsService.open(dir);
    assert.match(s.problem ?? '', /could not be read/);
    assert.deepEqual(s.get().hyperparameters, DEFAULT_HYPERPARAMETERS);
    assert.deepEqual(s.get().recent, { corpora: [], checkpoints: [] });
    assert.ok(existsSync(join(dir, `${SETTINGS_FILE}.corrupt`)));
    await s.addRecentCorpus('/texts/c.txt');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8')).recent.corpora, ['/texts/c.txt']);
  });

  test('flat settings saved by an earlier build load into the nested shape, every value kept, new settings at their defaults', async () => {
    const dir = join(folder.path, 'flat');
    mkdirSync(dir);
    const flat = {
      cell: 'gru', hiddenSize: 64, layers: 2, seqLength: 40, batchSize: 4, optimizer: 'adam', learningRate: 0.002, clipValue: 5,
      clipNorm: 1, valFraction: 0.05, seed: 9, stopAfter: { kind: 'minutes', value: 3 }, sampleEvery: 250, sampleLength: 80,
      autosaveMinutes: 2, keepBest: true, lrSchedule: 'cosine', threads: 2,
    };
    writeFileSync(join(dir, SETTINGS_FILE), JSON.stringify({ version: 1, hyperparameters: flat, recent: { corpora: [], checkpoints: [] }, windowBounds: null }));
    const s = await SettingsService.open(dir);
    assert.equal(s.problem, null);
    assert.deepEqual(s.get().hyperparameters, {
      model: { cell: 'gru', hiddenSize: 64, layers: 2 },
      // settings the earlier build did not have take their defaults; the rest are kept
      training: { seqLength: 40, batchSize: 4, optimizer: 'adam', learningRate: 0.002, clipValue: 5, clipNorm: 1, valFraction: 0.05, seed: 9, dropout: 0, ema: 0 },
      run: { stopAfter: { kind: 'minutes', value: 3 }, sampleEvery: 250, sampleLength: 80, autosaveMinutes: 2, keepBest: true, lrSchedule: 'cosine', threads: 2 },
    });
    // a flat value out of range is still refused, in its new place: the section falls back to the defaults
    writeFileSync(join(dir, SETTINGS_FILE), JSON.stringify({ version: 1, hyperparameters: { ...flat, learningRate: 99 }, recent: { corpora: [], checkpoints: [] } }));
    const bad = await SettingsService.open(dir);
    assert.match(bad.problem ?? '', /hyperparameters/);
    assert.deepEqual(bad.get().hyperparameters, DEFAULT_HYPERPARAMETERS);
  });

  test('an invalid section falls back on its own; the valid ones are kept', async () => {
    const dir = join(folder.path, 'partly');
    mkdirSync(dir);
    writeFileSync(join(dir, SETTINGS_FILE), JSON.stringify({
      version: 1,
      hyperparameters: withSettings(defaultHyperparameters(), { learningRate: -1 }),
      recent: { corpora: ['/texts/kept.txt'], checkpoints: [] },
      windowBounds: null,
    }));
    const s = await SettingsService.open(dir);
    assert.match(s.problem ?? '', /hyperparameters/);
    assert.deepEqual(s.get().hyperparameters, DEFAULT_HYPERPARAMETERS);
    assert.deepEqual(s.get().recent.corpora, ['/texts/kept.txt']);
  });
});

describe('checkpoints', () => {
  const folder = tempFolder('checkpoints');
  after(() => folder.remove());

  test('save as, export native and safetensors, open, and the recent list with iteration and validation loss', async () => {
    const corpusPath = writeCorpus(folder.path, 'fables.txt');
    const settings = await SettingsService.open(join(folder.path, 'user-data'));
    const session = new TrainingSession(sourceForkWorker(), new AutosaveStore(join(folder.path, 'autosave')));
    const dialogs = new StubDialogs();
    const checkpoints = new CheckpointService(session, settings, dialogs);
    try {
      await rejectsWith(checkpoints.saveAs(), 'no-model');
      assert.equal(dialogs.asked.length, 0, 'no dialog without a model');

      await session.start(corpusPath, tinyHyperparameters({ stopAfter: { kind: 'iterations', value: 200 } }));
      await waitFor('the run to stop by itself', () => session.status().phase === 'stopped');
      assert.equal(session.status().iteration, 200);

      dialogs.answers.push(null);
      assert.equal(await checkpoints.saveAs(), null, 'a cancelled dialog saves nothing');

      const savedPath = join(folder.path, 'fables-iter200.ckpt');
      dialogs.answers.push(savedPath);
      const saved = (await checkpoints.saveAs())!;
      assert.equal(dialogs.asked.at(-1)!.title, 'Save checkpoint');
      assert.equal((dialogs.asked.at(-1) as { defaultName: string }).defaultName, 'fables-iter200.ckpt');
      assert.equal(saved.path, savedPath);
      assert.equal(saved.iteration, 200);
      assert.ok(saved.bestValLoss !== null && saved.bestValLoss > 0, 'validation loss was measured');
      assert.ok(existsSync(savedPath));
      assert.equal(session.status().checkpointPath, savedPath);

      const nativePath = join(folder.path, 'copy.ckpt');
      dialogs.answers.push(nativePath);
      assert.equal(await checkpoints.exportDialog('native'), nativePath);
      assert.deepEqual(readFileSync(nativePath).subarray(0, 8), Buffer.from('CHARRNN\0'));

      const stPath = join(folder.path, 'fables.safetensors');
      dialogs.answers.push(stPath);
      assert.equal(await checkpoints.exportDialog('safetensors'), stPath);
      const st = readFileSync(stPath);
      const headerLength = Number(st.readBigUInt64LE(0));
      const header = JSON.parse(st.subarray(8, 8 + headerLength).toString('utf8'));
      assert.ok(Object.keys(header).some((k) => k !== '__metadata__'), 'safetensors has tensors');

      // opening: the checkpoint and the safetensors file both become the model
      const opened = await checkpoints.openPath(savedPath);
      assert.equal(opened.iteration, 200);
      assert.equal(opened.bestValLoss, saved.bestValLoss);
      assert.ok(opened.history.length > 0, 'the chart gets the history');
      dialogs.answers.push(stPath);
      const imported = (await checkpoints.openDialog())!;
      assert.equal(imported.hiddenSize, 8);

      const recent = settings.get().recent.checkpoints;
      assert.deepEqual(recent.map((c) => c.path), [stPath, savedPath], 'most recent first, no duplicates');
      assert.equal(recent[1].iteration, 200);
      assert.equal(recent[1].bestValLoss, saved.bestValLoss);
      assert.deepEqual(recent[1].history, [], 'the recent list does not carry the history');
      const reopened = await SettingsService.open(join(folder.path, 'user-data'));
      assert.deepEqual(reopened.get().recent.checkpoints.map((c) => c.iteration), recent.map((c) => c.iteration));

      // a file that is not a checkpoint is refused, and the model stays
      const bogus = join(folder.path, 'bogus.ckpt');
      writeFileSync(bogus, 'not a checkpoint at all');
      await rejectsWith(checkpoints.openPath(bogus), 'bad-checkpoint', /bogus\.ckpt/);
      assert.equal(session.hasModel, true);
    } finally {
      await session.shutdown();
    }
  });
});

// The backend behind window.api, as Electron's handlers and the e2e harness use it: every request is
// validated with a specific message, and a whole session runs through handle() and the events, and
// through the preload's own createApi.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EventChannel, Events, ProgressEvent, SampleRequest, StudioApi, TrainingStatus } from '../../main/contract/api.js';
import { ApiError, parseWireError } from '../../main/contract/api-error.js';
import { createBackend, type Backend } from '../../main/backend.js';
import { readCheckpointFile } from '../../main/files/model-files.js';
import { createApi } from '../../main/preload/api.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import {
  rejectsWith, StubDialogs, tempFolder, tinyHyperparameters, waitFor, withSettings, writeCorpus,
} from './shell-support.js';

const SAMPLE: SampleRequest = { prime: '', length: 40, temperature: 1, topK: 5, argmax: false, seed: 11 };

describe('backend: request validation', () => {
  const folder = tempFolder('backend-invalid');
  let backend: Backend;
  before(() => {
    backend = createBackend({ userDataDir: folder.path, dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
  });
  after(async () => {
    await backend.dispose();
    folder.remove();
  });

  const start = (hyperparameters: unknown, corpus: unknown = `file-${'0'.repeat(32)}`) =>
    backend.handle('training:start', { corpus, hyperparameters });

  const invalid = (promise: Promise<unknown>, message: string | RegExp) => rejectsWith(promise, 'invalid-request', message);

  test('numbers: NaN, zero, out of range, fractions and strings, each named', async () => {
    await invalid(start(withSettings(tinyHyperparameters(), { learningRate: NaN })),
      'training:start: hyperparameters.training.learningRate must be a number above 0 and at most 10; got NaN.');
    await invalid(start(withSettings(tinyHyperparameters(), { hiddenSize: 0 })),
      'training:start: hyperparameters.model.hiddenSize must be a whole number from 1 to 4096; got 0.');
    await invalid(start(withSettings(tinyHyperparameters(), { layers: 2.5 })),
      'training:start: hyperparameters.model.layers must be a whole number from 1 to 16; got 2.5.');
    await invalid(start(withSettings(tinyHyperparameters(), { clipValue: Infinity })),
      'training:start: hyperparameters.training.clipValue must be a number from 0 to 1000000; got Infinity.');
    await invalid(start(withSettings(tinyHyperparameters(), { seqLength: '25' })),
      'training:start: hyperparameters.training.seqLength must be a whole number from 1 to 10000; got "25".');
    await invalid(start(withSettings(tinyHyperparameters(), { valFraction: 0.9 })),
      'training:start: hyperparameters.training.valFraction must be a number from 0 to 0.5; got 0.9.');
    await invalid(backend.handle('sampler:sample', { ...SAMPLE, temperature: 0 }),
      'sampler:sample: temperature must be a number above 0 and at most 100; got 0.');
  });

  test('wrong types, missing and unknown fields, enums and unions', async () => {
    await invalid(start(withSettings(tinyHyperparameters(), { cell: 'transformer' })),
      'training:start: hyperparameters.model.cell must be one of "rnn", "lstm", "gru"; got "transformer".');
    await invalid(start(withSettings(tinyHyperparameters(), { stopAfter: { kind: 'epochs', value: 3 } })),
      'training:start: hyperparameters.run.stopAfter.kind must be "never", "iterations" or "minutes"; got "epochs".');
    await invalid(start(withSettings(tinyHyperparameters(), { stopAfter: 'never' })),
      'training:start: hyperparameters.run.stopAfter must be {kind: "never"}, {kind: "iterations", value} or {kind: "minutes", value}; got "never".');
    await invalid(start(withSettings(tinyHyperparameters(), { stopAfter: { kind: 'iterations', value: 0 } })),
      'training:start: hyperparameters.run.stopAfter.value must be a whole number from 1 to 1e12; got 0.');
    const h = tinyHyperparameters();
    const { seed: _seed, ...withoutSeed } = h.training;
    await invalid(start({ ...h, training: withoutSeed }), 'training:start: hyperparameters.training.seed must be a whole number from 0 to 4294967295; got nothing.');
    await invalid(start({ ...h, training: { ...h.training, extra: true } }), 'training:start: hyperparameters.training has unknown field(s) "extra".');
    await invalid(start({ ...h, extra: true }), 'training:start: hyperparameters has unknown field(s) "extra".');
    await invalid(start({ ...h.model, ...h.training, ...h.run }), 'training:start: hyperparameters.model must be an object; got nothing.');
    await invalid(start(tinyHyperparameters(), '/texts/corpus.txt'),
      'training:start: corpus must be a file token the app handed out (the page names files by token, never by path); got "/texts/corpus.txt".');
    await invalid(backend.handle('corpus:open-file', { token: 5 }),
      'corpus:open-file: token must be a file token the app handed out (the page names files by token, never by path); got 5.');
    await invalid(backend.handle('corpus:open-file', null), 'corpus:open-file: the argument must be an object; got null.');
    await invalid(backend.handle('corpus:open-file', '/texts/a.txt'), 'corpus:open-file: the argument must be an object; got "/texts/a.txt".');
    await invalid(backend.handle('file:register-drop', { path: 'relative/a.txt' }), 'file:register-drop: path must be an absolute file path; got "relative/a.txt".');
    await invalid(backend.handle('sampler:sample', { ...SAMPLE, argmax: 'yes' }), 'sampler:sample: argmax must be true or false; got "yes".');
    await invalid(backend.handle('checkpoint:export', { format: 'pdf' }),
      'checkpoint:export: format must be one of "native", "safetensors", "html", "onnx"; got "pdf".');
    await invalid(backend.handle('training:pause', 5), 'training:pause: the argument must be null (this request takes no argument); got 5.');
    await invalid(backend.handle('file:save-text', { suggestedName: '../../etc/passwd', text: 'x' }),
      'file:save-text: suggestedName must be a file name without folders (1 to 255 characters); got "../../etc/passwd".');
    await invalid(backend.handle('file:save-png', { suggestedName: 'chart.png', dataUrl: 'data:text/html;base64,PHNjcmlwdD4=' }),
      /^file:save-png: dataUrl must be a "data:image\/png;base64,\.\.\." URL/);
  });

  test('unknown channels are refused, and nothing invalid reaches the worker', async () => {
    await invalid(backend.handle('shell:exec', { command: 'rm -rf /' }), 'Unknown request channel "shell:exec".');
    await invalid(backend.handle('__proto__', null), 'Unknown request channel "__proto__".');
    await invalid(backend.handle('toString', null), 'Unknown request channel "toString".');
    assert.equal(backend.session.workerPid, undefined, 'no worker was started for any of these');
    // no argument at all (an invoke without one) reads as null for channels that take none
    assert.equal(((await backend.handle('training:status', undefined)) as TrainingStatus).phase, 'idle');
  });

  test('invoke() carries the code across a process boundary as JSON in the message', async () => {
    const error = await backend.invoke('training:start', { corpus: `file-${'0'.repeat(32)}`, hyperparameters: { hiddenSize: 0 } }).then(
      () => assert.fail('should reject'), (e: unknown) => e);
    assert.ok(error instanceof Error && !(error instanceof ApiError));
    const payload = JSON.parse(error.message);
    assert.equal(payload.code, 'invalid-request');
    assert.equal(payload.message, 'training:start: hyperparameters.model must be an object; got nothing.');
    // Electron prefixes the message; the renderer still finds the payload, with the one parser
    assert.deepEqual(parseWireError(new Error(`Error invoking remote method 'training:start': Error: ${error.message}`)), payload);
  });
});

describe('backend: a whole session through handle() and events, and through createApi', () => {
  const folder = tempFolder('backend-session');
  const dialogs = new StubDialogs();
  const events: { channel: EventChannel; payload: unknown }[] = [];
  let backend: Backend;
  let api: StudioApi;
  let corpusPath: string;
  let corpusToken = '';
  before(() => {
    corpusPath = writeCorpus(folder.path, 'sea.txt');
    backend = createBackend({ userDataDir: join(folder.path, 'user-data'), dialogs, forkWorker: sourceForkWorker(), log: () => {} });
    backend.onAny((channel, payload) => events.push({ channel, payload }));
    // what the preload (and the e2e page bridge) builds: invoke across a boundary, events by channel
    api = createApi(
      (channel, arg) => backend.invoke(channel, arg),
      (channel, listener) => backend.on(channel, listener as (p: Events[typeof channel]) => void),
    );
  });
  after(async () => {
    await backend.dispose();
    folder.remove();
  });
  const eventsOf = <E extends EventChannel>(channel: E) =>
    events.filter((e) => e.channel === channel).map((e) => e.payload as Events[E]);

  test('open a corpus, train until the stop, sample, save, export and remember', async () => {
    const settings = await api.getSettings();
    assert.equal(settings.hyperparameters.model.hiddenSize, 100, 'the seed is the default');

    dialogs.answers.push(corpusPath);
    const report = (await api.openCorpus())!;
    assert.equal(report.fileName, 'sea.txt');
    assert.ok(report.characters > 1000);
    const missing = await backend.handle('file:register-drop', { path: join(folder.path, 'missing.txt') });
    await rejectsWith(backend.handle('corpus:open-file', { token: missing }), 'file-not-found', /does not exist/);
    corpusToken = report.token;

    // the preload's errors: an Error whose message is the payload JSON
    const refused = await api.startTraining(corpusToken, tinyHyperparameters({ learningRate: NaN })).catch((e: Error) => e);
    assert.deepEqual(JSON.parse((refused as Error).message), {
      code: 'invalid-request', message: 'training:start: hyperparameters.training.learningRate must be a number above 0 and at most 10; got NaN.',
    });
    const noModel = await api.sample(SAMPLE).catch((e: Error) => JSON.parse(e.message));
    assert.equal(noModel.code, 'no-model');

    const h = tinyHyperparameters({ stopAfter: { kind: 'iterations', value: 300 } });
    const started = await api.startTraining(corpusToken, h);
    assert.equal(started.phase, 'running');
    await waitFor('the run to stop after 300 iterations', () => eventsOf('training:status').find((s) => s.phase === 'stopped'));
    const progress = eventsOf('training:progress');
    assert.ok(progress.length > 0);
    assert.equal(progress.at(-1)!.iteration, 300);
    assert.ok(eventsOf('training:sample').length >= 1, 'live samples every 50 iterations');
    assert.deepEqual(eventsOf('training:status').slice(0, 2).map((s: TrainingStatus) => s.phase), ['starting', 'running']);

    const chunksBefore = eventsOf('sampler:chunk').length;
    const sampled = await api.sample(SAMPLE);
    assert.equal(sampled.text.length, 40);
    assert.equal(eventsOf('sampler:chunk').slice(chunksBefore).map((c) => c.text).join(''), sampled.text);

    dialogs.answers.push(join(folder.path, 'sea-300.ckpt'));
    const saved = (await api.saveCheckpoint())!;
    assert.equal(saved.iteration, 300);
    dialogs.answers.push(join(folder.path, 'sea.safetensors'));
    assert.equal(await api.exportCheckpoint('safetensors'), join(folder.path, 'sea.safetensors'));
    assert.equal(await api.exportCheckpoint('native'), null, 'a cancelled dialog');
    // Export… as a web page and as ONNX (issue 16): the page names the training text the worker holds
    dialogs.answers.push(join(folder.path, 'sea.html'));
    assert.equal(await api.exportCheckpoint('html'), join(folder.path, 'sea.html'));
    const page = readFileSync(join(folder.path, 'sea.html'), 'utf8');
    assert.match(page, /^<!DOCTYPE html><!-- char-rnn share page -->/);
    assert.match(page, /Trained on <b>sea\.txt<\/b>/);
    assert.match(page, /<h1>sea<\/h1>/);
    dialogs.answers.push(join(folder.path, 'sea.onnx'));
    assert.equal(await api.exportCheckpoint('onnx'), join(folder.path, 'sea.onnx'));
    assert.equal(readFileSync(join(folder.path, 'sea.onnx')).subarray(4, 19).toString(), 'char-rnn-studio');
    writeFileSync(join(folder.path, 'notes.html'), '<p>my notes</p>');
    dialogs.answers.push(join(folder.path, 'notes.html'));
    await rejectsWith(backend.handle('checkpoint:export', { format: 'html' }), 'output-refused', /notes\.html.*never replaced/);
    assert.equal(readFileSync(join(folder.path, 'notes.html'), 'utf8'), '<p>my notes</p>');

    dialogs.answers.push(join(folder.path, 'sample.txt'));
    assert.equal(await api.saveText('sample.txt', sampled.text), join(folder.path, 'sample.txt'));
    assert.equal(readFileSync(join(folder.path, 'sample.txt'), 'utf8'), sampled.text);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    dialogs.answers.push(join(folder.path, 'chart.png'));
    await api.savePng('chart.png', `data:image/png;base64,${png.toString('base64')}`);
    assert.deepEqual(readFileSync(join(folder.path, 'chart.png')), png);

    const remembered = await api.getSettings();
    assert.deepEqual(remembered.hyperparameters, h, 'the last hyperparameters are kept');
    assert.deepEqual(remembered.recent.corpora, [{ path: corpusPath, token: corpusToken }], 'the same token for the same file');
    assert.equal(remembered.recent.checkpoints[0].iteration, 300);
  });

  test('an opened checkpoint is what Start continues; resume: false starts anew', async () => {
    const recent = (await api.getSettings()).recent.checkpoints.find((c) => c.path === join(folder.path, 'sea-300.ckpt'))!;
    const info = await api.openCheckpointFile(recent.token);
    assert.equal(info.iteration, 300);
    const opened = await api.status();
    assert.equal(opened.phase, 'idle');
    assert.equal(opened.checkpointPath, join(folder.path, 'sea-300.ckpt'));

    // "stop after 320 iterations" is a total: the checkpoint's 300 count
    const h = tinyHyperparameters({ stopAfter: { kind: 'iterations', value: 320 }, learningRate: 0.05 });
    const continued = await api.startTraining(corpusToken, h);
    assert.ok(continued.iteration >= 300 && continued.iteration <= 320, 'continues at the checkpoint');
    assert.equal(continued.hyperparameters?.training.learningRate, 0.05, 'with the new learning rate');
    await waitFor('the continued run to stop', () => backend.session.status().phase === 'stopped');
    assert.equal((await api.status()).iteration, 320, '20 more iterations');

    const fresh = await api.startTraining(corpusToken, withSettings(h, { stopAfter: { kind: 'iterations', value: 20 } }), { resume: false });
    assert.equal(fresh.checkpointPath, null);
    await waitFor('the new run to stop', () => backend.session.status().phase === 'stopped');
    assert.equal((await api.status()).iteration, 20, 'a new model counts from zero');
  });

  test('"Add run to chart": an earlier checkpoint\'s history, read without opening it; a cancel and a wrong file', async () => {
    const before = await api.status();
    const recentBefore = (await api.getSettings()).recent.checkpoints.length;
    dialogs.answers.push(join(folder.path, 'sea-300.ckpt'));
    const run = (await api.compareCheckpoint())!;
    assert.equal(run.fileName, 'sea-300.ckpt');
    assert.equal(run.iteration, 300);
    assert.equal(run.history.at(-1)?.iter, 300);
    assert.ok(run.history.every((p) => p.elapsedMs !== undefined && p.epoch !== undefined), 'points carry epoch and training time');
    const after = await api.status();
    assert.equal(after.checkpointPath, before.checkpointPath, 'the model held is not replaced');
    assert.equal(after.iteration, before.iteration);
    assert.equal((await api.getSettings()).recent.checkpoints.length, recentBefore, 'nor is the recent list');
    assert.equal(await api.compareCheckpoint(), null, 'a cancelled dialog');
    dialogs.answers.push(join(folder.path, 'sample.txt'));
    await assert.rejects(api.compareCheckpoint(), (e: Error) => /sample\.txt/.test(e.message) && !e.message.includes('\n'));
  });

  test('menu commands travel as events', () => {
    const got: string[] = [];
    const off = api.onMenuCommand((c) => got.push(c));
    backend.sendMenuCommand('start');
    off();
    backend.sendMenuCommand('stop');
    assert.deepEqual(got, ['start']);
  });

  test('dispose autosaves and stops the worker; the next backend restores it with its chart history', async () => {
    const h = tinyHyperparameters({ autosaveMinutes: 60 }); // no timer autosave: only the one on quit
    await api.startTraining(corpusToken, h, { resume: false });
    await waitFor('some training', () => backend.session.status().iteration > 50);
    const paused = await api.pause();
    // what a window reloaded now would fetch: the run's chart so far, up to where it paused
    const history = await api.history();
    assert.ok(history.length >= 5);
    assert.equal(history.at(-1)!.iter, paused.iteration);
    const pid = backend.session.workerPid!;
    await backend.dispose();
    assert.throws(() => process.kill(pid, 0), 'the worker process is gone');
    const autosaves = join(folder.path, 'user-data', 'autosave');
    assert.ok(existsSync(join(autosaves, 'latest.json')));

    const next = createBackend({ userDataDir: join(folder.path, 'user-data'), dialogs, forkWorker: sourceForkWorker(), log: () => {} });
    const progress: ProgressEvent[] = [];
    next.on('training:progress', (e) => progress.push(e));
    try {
      const status = await next.handle('training:status', null);
      assert.equal(status.phase, 'idle');
      assert.equal(status.canRestoreAutosave, true, 'a quit session can be restored on the next start');
      assert.deepEqual(await next.handle('training:history', null), [], 'no model, no history');
      const restored = await next.handle('training:restore-autosave', null);
      assert.equal(restored.phase, 'paused');
      assert.equal(restored.iteration, paused.iteration);
      assert.equal(restored.corpusPath, corpusPath);
      assert.match(restored.corpusToken ?? '', /^file-[0-9a-f]{32}$/, 'the page can reopen the restored run\'s corpus by token');
      assert.equal((await next.handle('corpus:open-file', { token: restored.corpusToken! })).path, corpusPath);

      // the chart's history came with it: one progress event, ahead of the reply, with the autosave's whole history
      assert.equal(progress.length, 1);
      const autosaved = (await readCheckpointFile(next.session.lastAutosave!.checkpointPath)).state.lossHistory;
      assert.deepEqual(autosaved, history, 'the autosave holds the quit run\'s whole history');
      assert.deepEqual(progress[0].points, autosaved);
      assert.equal(progress[0].iteration, paused.iteration);
      assert.ok(Number.isFinite(progress[0].smoothLoss));
      // a window that loads now fetches the same history
      assert.deepEqual(await next.handle('training:history', null), autosaved);
      // and resuming continues the curve after it
      await next.handle('training:resume', null);
      await waitFor('new points', () => progress.length > 1 && progress.at(-1)!.points.length > 0);
      assert.ok(progress.slice(1).flatMap((e) => e.points).every((p) => p.iter > paused.iteration));
      await next.handle('training:pause', null);
    } finally {
      await next.dispose();
    }
  });
});

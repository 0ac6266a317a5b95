// 'preset:auto' over the real backend and worker: core's rule for the opened text and the form's budget, this
// machine's speed measured in the worker once (then kept), a budget-less or unknown-text request refused, and
// no calibration while a run trains.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { autoPreset } from '../../core/auto-preset.js';
import type { AutoPresetChoice } from '../../main/contract/api.js';
import { createBackend, type Backend } from '../../main/backend.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { rejectsWith, StubDialogs, generatedText, tempFolder, tinyHyperparameters, writeCorpus } from './shell-support.js';

const TEXT = generatedText(400);
const chars = [...TEXT].length, vocabulary = new Set(TEXT).size;

describe('preset:auto', () => {
  const folder = tempFolder('auto-preset');
  const dialogs = new StubDialogs();
  let backend: Backend;
  let corpus: string;
  before(async () => {
    backend = createBackend({ userDataDir: folder.path, dialogs, forkWorker: sourceForkWorker(), log: () => {} });
    dialogs.answers.push(writeCorpus(folder.path, 'story.txt', TEXT));
    corpus = (await backend.handle('corpus:open-dialog', null))!.token;
  });
  after(async () => {
    await backend.dispose();
    folder.remove();
  });

  test('chooses for the opened text and the budget, measures the speed once and says why in one line', async () => {
    const first: AutoPresetChoice = await backend.handle('preset:auto', { corpus, stopAfter: { kind: 'minutes', value: 1 }, valFraction: 0.1, threads: 1 });
    assert.equal(first.measured, true, 'the first request measures this machine');
    assert.equal(first.settings.cell, 'gru');
    assert.equal(first.settings.lrSchedule, 'cosine');
    // a small text: the weight average, and dropout 0.2, or 0.35 where the minute buys 40 passes or more
    assert.ok([0.2, 0.35].includes(first.dropout), `a small text gets dropout: ${first.dropout}`);
    assert.equal(first.ema, 0.999, 'a small text: the weight average');
    const trainChars = Math.floor(chars * 0.9);
    assert.match(first.reason, new RegExp(`^${Math.round(trainChars / 1000)}k chars, vocabulary ${vocabulary}, 60 s, ~[\\d.]+[kM]? chars/s here → ` +
      `GRU ${first.settings.hiddenSize}, dropout ${String(first.dropout).replace('.', '\\.')}, EMA 0\\.999, Adam [\\d.]+ cosine`), first.reason);
    assert.ok(!first.reason.includes('\n'));

    const again = await backend.handle('preset:auto', { corpus, stopAfter: { kind: 'minutes', value: 1 }, valFraction: 0.1, threads: 1 });
    assert.equal(again.measured, false, 'the speed is kept for the same reference shape and threads');
    assert.deepEqual(again.settings, first.settings);

    // an iteration budget fixes the characters trained on: the choice is core's for this text's size and vocabulary
    const byIterations = await backend.handle('preset:auto', { corpus, stopAfter: { kind: 'iterations', value: 2000 }, valFraction: 0.2, threads: 1 });
    const core = autoPreset({ trainChars: Math.floor(chars * 0.8), vocabSize: vocabulary, budget: { iterations: 2000 }, flopsPerSecond: 1 });
    assert.deepEqual(byIterations.settings, { ...core.settings });
    assert.equal(byIterations.reason, core.reason);
  });

  test('a request without a budget, with a token never handed out, or with a bad split is refused with a specific message', async () => {
    await rejectsWith(backend.handle('preset:auto', { corpus, stopAfter: { kind: 'never' }, valFraction: 0.1 } as never), 'invalid-request',
      'preset:auto: stopAfter.kind must be "iterations" or "minutes" (Auto sizes the model to a budget); got "never".');
    await rejectsWith(backend.handle('preset:auto', { corpus: `file-${'0'.repeat(32)}`, stopAfter: { kind: 'minutes', value: 1 }, valFraction: 0.1 }),
      'invalid-request');
    await rejectsWith(backend.handle('preset:auto', { corpus, stopAfter: { kind: 'minutes', value: 1 }, valFraction: 0.9 }), 'invalid-request',
      /^preset:auto: valFraction must be a number from 0 to 0\.5; got 0\.9\.$/);
  });

  test('no calibration while a run trains: the worker says it is busy, and nothing is kept', async () => {
    await backend.handle('training:start', { corpus, hyperparameters: tinyHyperparameters() });
    try {
      // 2 threads: a key not measured yet (the first test measured 1), so the request reaches the worker
      await rejectsWith(backend.handle('preset:auto', { corpus, stopAfter: { kind: 'minutes', value: 1 }, valFraction: 0.1, threads: 2 }),
        'busy', /Training is running/);
    } finally {
      await backend.handle('training:stop', null);
    }
    const after = await backend.handle('preset:auto', { corpus, stopAfter: { kind: 'minutes', value: 1 }, valFraction: 0.1, threads: 2 });
    assert.equal(after.measured, true, 'the refused measurement was not kept');
  });
});

test('settings say whether the hyperparameters were ever set: Auto is the default for a new text only until they are', async () => {
  const folder = tempFolder('auto-chosen');
  const open = () => createBackend({ userDataDir: folder.path, dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
  let backend = open();
  try {
    assert.equal((await backend.handle('settings:get', null)).hyperparametersChosen, false, 'the first launch');
    {
      // opening a text writes the recent list, not a choice of settings
      const stub = new StubDialogs();
      await backend.dispose();
      backend = createBackend({ userDataDir: folder.path, dialogs: stub, forkWorker: sourceForkWorker(), log: () => {} });
      stub.answers.push(writeCorpus(folder.path, 'story.txt', TEXT));
      await backend.handle('corpus:open-dialog', null);
      await backend.dispose();
      backend = open();
      assert.equal((await backend.handle('settings:get', null)).hyperparametersChosen, false, 'after opening a text and a restart');
    }
    await backend.handle('settings:set-hyperparameters', tinyHyperparameters());
    assert.equal((await backend.handle('settings:get', null)).hyperparametersChosen, true);
    await backend.dispose();
    backend = open();
    assert.equal((await backend.handle('settings:get', null)).hyperparametersChosen, true, 'kept across launches');
  } finally {
    await backend.dispose();
    folder.remove();
  }
});

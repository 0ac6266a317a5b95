// The Inspect view's requests through the backend and a real worker: validation, no model, and on an
// opened checkpoint the same numbers as the engine (surprisal's mean = evaluateLoss), copies by corpus token.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serializeCheckpoint } from '../../core/checkpoint.js';
import { prepareCorpus } from '../../core/corpus.js';
import { SEED_TRAINING } from '../../core/config.js';
import { createTrainingState, evaluateLoss, Trainer } from '../../core/trainer.js';
import { createBackend, type Backend } from '../../main/backend.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { generatedText, rejectsWith, StubDialogs, tempFolder, tokenFor } from './shell-support.js';

const folder = tempFolder('inspect-backend');
let backend: Backend;
const text = generatedText(120);
let corpusPath = '', modelPath = '';
let state: ReturnType<typeof createTrainingState>;

before(() => {
  backend = createBackend({ userDataDir: folder.path, dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
  corpusPath = join(folder.path, 'corpus.txt');
  writeFileSync(corpusPath, text);
  const training = { ...SEED_TRAINING, seqLength: 16, valFraction: 0.1 };
  const corpus = prepareCorpus(text, training);
  state = createTrainingState({ cell: 'lstm', vocabSize: corpus.vocab.size, hiddenSize: 16, layers: 2 }, training, corpus.vocab);
  const trainer = new Trainer(state, corpus);
  for (let i = 0; i < 40; i++) trainer.step();
  modelPath = join(folder.path, 'model.ckpt');
  writeFileSync(modelPath, serializeCheckpoint(state));
});

after(async () => {
  await backend.dispose();
  folder.remove();
});

const invalid = (promise: Promise<unknown>, message: string | RegExp) => rejectsWith(promise, 'invalid-request', message);

test('requests are validated in main with specific messages', async () => {
  await invalid(backend.handle('inspect:surprisal', { text: 'abc', corpus: '/etc/passwd', topK: 5 }),
    /^inspect:surprisal: corpus must be null or a file token the app handed out .*; got "\/etc\/passwd"\.$/);
  await invalid(backend.handle('inspect:surprisal', { text: 'abc', corpus: null, topK: 11 }), 'inspect:surprisal: topK must be a whole number from 1 to 10; got 11.');
  await invalid(backend.handle('inspect:units', { text: 'abc', part: 'x', unit: null, rank: true }), /^inspect:units: part must be one of "h", "c"; got "x"\.$/);
  await invalid(backend.handle('inspect:copies', { sample: 'abc', corpus: null, minLength: 5 }), 'inspect:copies: minLength must be a whole number from 12 to 10000; got 5.');
  await invalid(backend.handle('inspect:temperatures', { prime: '', length: 10, seed: 1, temperatures: [] }), /^inspect:temperatures: temperatures /);
  await rejectsWith(backend.handle('inspect:surprisal', { text: 'abc', corpus: null, topK: 5 }), 'no-model');
});

test('on an opened checkpoint: surprisal = evaluateLoss, units, copies by token, temperature strip', async () => {
  await backend.handle('checkpoint:open-file', { token: await tokenFor(backend, modelPath) });
  const piece = text.slice(200, 900);
  const s = await backend.handle('inspect:surprisal', { text: piece, corpus: null, topK: 3 });
  assert.equal(s.chars.join(''), piece);
  assert.equal(s.nats[0], null);
  assert.equal(s.topChars.length, piece.length * 3);
  assert.ok(Math.abs(s.meanNats - evaluateLoss(state.model, state.params, state.vocab.encode(piece))) < 1e-9, 'the engine\'s loss');

  // an excerpt of the corpus's validation part when there is no text
  const excerpt = await backend.handle('inspect:surprisal', { text: null, corpus: await tokenFor(backend, corpusPath), topK: 5 });
  assert.ok(text.includes(excerpt.chars.join('')));
  assert.ok(text.indexOf(excerpt.chars.join('')) >= Math.floor(text.length * 0.9) - 3000);

  const units = await backend.handle('inspect:units', { text: piece, part: 'c', unit: { layer: 1, unit: 3 }, rank: true });
  assert.deepEqual([units.cell, units.layers, units.hiddenSize], ['lstm', 2, 16]);
  assert.equal(units.trace!.length, piece.length);
  assert.ok(units.interesting!.length > 0 && units.interesting!.length <= 12);
  await invalid(backend.handle('inspect:units', { text: piece, part: 'h', unit: { layer: 2, unit: 0 }, rank: false }), /There is no unit 2:0/);
  await rejectsWith(backend.handle('inspect:surprisal', { text: 'abc ☃ def', corpus: null, topK: 5 }), 'corpus-vocabulary', /"☃"/);
  // with skipUnknown (what the Inspect view sends): the unknown characters are left out and counted, the rest scored
  const skipping = await backend.handle('inspect:surprisal', { text: `${piece.slice(0, 50)}☃☃${piece.slice(50, 100)}`, corpus: null, topK: 5, skipUnknown: true });
  assert.deepEqual([skipping.skipped, skipping.skippedChars, skipping.chars.join('')], [2, ['☃'], piece.slice(0, 100)]);
  const plainPart = await backend.handle('inspect:surprisal', { text: piece.slice(0, 100), corpus: null, topK: 5 });
  assert.deepEqual([plainPart.meanNats, plainPart.skipped], [skipping.meanNats, 0]);

  const sample = `${text.slice(1000, 1030)}@@@@`;
  const copies = await backend.handle('inspect:copies', { sample, corpus: await tokenFor(backend, corpusPath), minLength: 20 });
  assert.equal(copies.corpusName, 'corpus.txt');
  assert.ok(copies.indexMs > 0, 'indexed on first use');
  assert.equal(copies.spans.length, 1);
  assert.equal(text.slice(copies.spans[0].corpusOffset, copies.spans[0].corpusOffset + copies.spans[0].length), sample.slice(0, copies.spans[0].length));
  const again = await backend.handle('inspect:copies', { sample, corpus: await tokenFor(backend, corpusPath), minLength: 20 });
  assert.equal(again.indexMs, 0, 'the index is kept for the same corpus');
  // no corpus token and no training run: nothing to compare with
  await rejectsWith(backend.handle('inspect:copies', { sample, corpus: null, minLength: 20 }), 'no-model', /no corpus to compare with/);

  const strip = await backend.handle('inspect:temperatures', { prime: 'The ', length: 50, seed: 3, temperatures: [0.5, 1, 1.5] });
  assert.deepEqual(strip.samples.map((x) => x.temperature), [0.5, 1, 1.5]);
  assert.ok(strip.samples.every((x) => [...x.text].length === 50));
  const same = await backend.handle('inspect:temperatures', { prime: 'The ', length: 50, seed: 3, temperatures: [1] });
  assert.equal(same.samples[0].text, strip.samples[1].text, 'the same seed gives the same text');
});

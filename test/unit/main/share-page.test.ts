// The shared web page without a browser: the CSP's hashes are those of the page's own inline script and
// style, the model data cannot close its script element, and the model it carries samples as the checkpoint.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeSharedModel, sampleShared, type SharedModelJson } from '../../../core/export/shared-model.js';
import { sampleText } from '../../../core/sampler.js';
import { Vocabulary } from '../../../core/vocab.js';
import { createTrainingState } from '../../../core/trainer.js';
import { SEED_TRAINING } from '../../../core/config.js';
import { sharePageHtml } from '../../../main/export/share-page.js';
import { sharePageScript } from '../../../main/export/share-page-script.js';
import { trainedModel } from '../../helpers/trained-model.js';

let script = '';
before(async () => { script = await sharePageScript(); });

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

test('the CSP allows exactly the inline script and style (by hash) and WebAssembly, nothing else', () => {
  const { state } = trainedModel('gru', 1, 16, 2);
  const html = sharePageHtml(state, { name: 'Gregor <bot>', textName: 'kafka.txt', valLoss: 1.25 }, script);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
  const inlineScript = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
  assert.equal(csp, `default-src 'none'; script-src ${sha256(inlineScript)} 'wasm-unsafe-eval'; style-src ${sha256(style)}; base-uri 'none'; form-action 'none'`);
  assert.equal(inlineScript, script);
  assert.match(html, /<h1>Gregor &#60;bot&#62;<\/h1>/, 'the name is escaped');
  assert.match(html, /validation loss <b>1\.2500<\/b> nats\/char \(1\.803 bits\)/);
  assert.equal((html.match(/<script/g) ?? []).length, 2, 'the data block and the script');
});

test('no character of the vocabulary can end the data block; the model comes back whole', () => {
  const text = 'a</script><!-- <b>"x"</b> \u2028 é 😀\n'.repeat(8);
  const vocab = Vocabulary.fromText(text);
  const state = createTrainingState({ cell: 'lstm', hiddenSize: 8, layers: 2, vocabSize: vocab.size }, SEED_TRAINING, vocab);
  const html = sharePageHtml(state, { name: 'x', textName: null, valLoss: null }, script);
  const data = /<script type="application\/json" id="char-rnn-model">([^<]*)<\/script>/.exec(html)![1];
  const shared = decodeSharedModel(JSON.parse(data) as SharedModelJson);
  assert.deepEqual(shared.vocab.chars, vocab.chars);
  assert.deepEqual(shared.params, state.params);
  assert.deepEqual(shared.model, state.model);
  assert.match(html, /Training text not recorded · no validation loss recorded/);
});

test('the carried model samples exactly as the checkpoint does, prime first', () => {
  const { state } = trainedModel('lstm', 2, 16, 10);
  const html = sharePageHtml(state, { name: 'x', textName: null, valLoss: null }, script);
  const shared = decodeSharedModel(JSON.parse(/id="char-rnn-model">([^<]*)</.exec(html)![1]) as SharedModelJson);
  for (const options of [{ prime: 'The ', length: 120, temperature: 0.7, topK: 0, seed: 7 }, { prime: '', length: 80, temperature: 1.2, topK: 3, seed: 99 }]) {
    assert.equal(sampleShared(shared, options), options.prime + sampleText(state.model, state.params, state.vocab, options));
  }
});

test('code and markup stay within 60 KB: the page less its weights', () => {
  const { state } = trainedModel('rnn', 1, 8, 1);
  const html = sharePageHtml(state, { name: 'x', textName: null, valLoss: null }, script);
  const weights = /"weights":"([^"]*)"/.exec(html)![1];
  assert.ok(Buffer.byteLength(html) - weights.length <= 60 * 1024, `${Buffer.byteLength(html) - weights.length} bytes`);
});

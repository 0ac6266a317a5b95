// Checkpoints that cannot be loaded or saved: a specific one-line message for every way (foreign files, versions,
// truncation, checksums, the header's fields, buffer sizes, the vocabulary, config values, non-finite numbers).
// Its own file because these cases are the contract of the error messages; round trips are checkpoint.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHECKPOINT_VERSION, serializeCheckpoint } from '../../../core/checkpoint.js';
import { encodeSafetensors } from '../../../core/safetensors.js';
import { assemble, edited, loadFails, parts, trainedState } from '../../helpers/checkpoint-files.js';

test('foreign files: empty, not a checkpoint, safetensors', () => {
  loadFails(new Uint8Array(0), /^The checkpoint file is empty \(0 bytes\).*use an earlier checkpoint\.$/);
  loadFails(new TextEncoder().encode('hello, this is a text file\n'), /^Not a Char-RNN Studio checkpoint: .*"CHARRNN" signature; choose a checkpoint saved by Char-RNN Studio\.$/);
  loadFails(new Uint8Array([0x7b]), /^Not a Char-RNN Studio checkpoint/);
  const safetensors = encodeSafetensors([{ name: 'by', dtype: 'F32', shape: [2], data: new Float32Array(2) }], { vocab: '["a","b"]' });
  loadFails(safetensors, /^This is a safetensors weights file, not a checkpoint: import it instead/);
});

test('format version newer than this app, and version 0', () => {
  const p = parts(serializeCheckpoint(trainedState()));
  loadFails(assemble(JSON.stringify(p.header), p.data, CHECKPOINT_VERSION + 1),
    new RegExp(`^This checkpoint uses format version ${CHECKPOINT_VERSION + 1}, newer than this app supports \\(version ${CHECKPOINT_VERSION}\\); update Char-RNN Studio to open it\\.$`));
  loadFails(assemble(JSON.stringify(p.header), p.data, 0), /format version 0, which does not exist/);
});

test('truncated files name the byte where they end and the size expected', () => {
  const bytes = serializeCheckpoint(trainedState());
  const n = bytes.length;
  loadFails(bytes.subarray(0, 5), /^The checkpoint is truncated at byte 5 \(expected at least 16 bytes\): the file was cut short/);
  loadFails(bytes.subarray(0, 12), /^The checkpoint is truncated at byte 12 \(expected at least 16 bytes\)/);
  const headerEnd = 16 + new DataView(bytes.buffer).getUint32(12, true);
  loadFails(bytes.subarray(0, 100), new RegExp(`^The checkpoint is truncated at byte 100 \\(expected at least ${headerEnd + 4} bytes\\)`));
  loadFails(bytes.subarray(0, n - 100), new RegExp(`^The checkpoint is truncated at byte ${n - 100} \\(expected ${n} bytes\\).*use a complete copy or an earlier checkpoint\\.$`));
  loadFails(bytes.subarray(0, n - 1), new RegExp(`truncated at byte ${n - 1} \\(expected ${n} bytes\\)`));
  const longer = new Uint8Array(n + 3);
  longer.set(bytes);
  loadFails(longer, new RegExp(`^The checkpoint has 3 unexpected bytes after its end at byte ${n}: the file is damaged`));
});

test('a flipped bit anywhere is a checksum mismatch, even inside the header', () => {
  const bytes = serializeCheckpoint(trainedState());
  const { dataStart } = parts(bytes);
  for (const at of [dataStart + 5, bytes.length - 10, bytes.length - 2, 40]) {
    const damaged = bytes.slice();
    damaged[at] ^= 0x10;
    loadFails(damaged, /^The checkpoint's checksum does not match \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\): the file is corrupted; use an intact copy or an earlier checkpoint\.$/);
  }
});

test('a header that is not JSON, not UTF-8 or not an object', () => {
  const { data } = parts(serializeCheckpoint(trainedState()));
  loadFails(assemble('{"model": {', data), /^The checkpoint header is not valid JSON \(.*\); the file is damaged; use an intact copy\.$/);
  loadFails(assemble(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), data), /^The checkpoint header is not valid UTF-8 text/);
  loadFails(assemble('[1, 2]', data), /^The checkpoint header is an array, not a JSON object/);
});

test('missing or wrong-typed header fields are named', () => {
  const cases: [(h: any) => void, RegExp][] = [
    [(h) => delete h.iteration, /^The checkpoint header's field "iteration" is missing; the file was written by another program or edited by hand; use a checkpoint saved by Char-RNN Studio\.$/],
    [(h) => (h.smoothLoss = 'abc'), /field "smoothLoss" is "abc", not a number/],
    [(h) => (h.epoch = -1), /field "epoch" is -1, not a whole number from 0/],
    [(h) => (h.charsSeen = 1.5), /field "charsSeen" is 1.5, not a whole number/],
    [(h) => delete h.optimizerSteps, /field "optimizerSteps" is missing/],
    [(h) => (h.vocab[3] = 7), /field "vocab\[3\]" is 7, not a string/],
    [(h) => (h.vocab = 'abc'), /field "vocab" is "abc", not an array of characters/],
    [(h) => (h.rngState = [1, 2, 3]), /field "rngState" is an array, not an array of four unsigned 32-bit integers/],
    [(h) => (h.rngState = [1, 2, 3, 2 ** 32]), /field "rngState\[3\]" is 4294967296, not a whole number from 0 to 4294967295/],
    [(h) => (h.positions = [0, -3]), /field "positions\[1\]" is -3/],
    [(h) => (h.corpusFingerprint = 5), /field "corpusFingerprint" is 5, not a string or null/],
    [(h) => (h.lossHistory = [{ iter: 1 }]), /field "lossHistory\[0\]\.loss" is missing/],
    [(h) => (h.lossHistory = [{ iter: 1, loss: 2, elapsedMs: -5 }]), /field "lossHistory\[0\]\.elapsedMs" is -5, not a number of 0 or more/],
    [(h) => (h.lossHistory = [{ iter: 1, loss: 2, epoch: 'two' }]), /field "lossHistory\[0\]\.epoch" is "two", not a number of 0 or more/],
    [(h) => delete h.bestValLoss, /field "bestValLoss" is missing/],
    [(h) => delete h.model, /field "model" is missing/],
    [(h) => (h.training = null), /field "training" is null, not an object/],
    [(h) => (h.precision = 'f16'), /field "precision" is "f16", not "f32" or "f64"/],
    [(h) => delete h.buffers, /field "buffers" is missing/],
    [(h) => delete h.buffers.hidden, /field "buffers\.hidden" is missing/],
    [(h) => (h.buffers.hidden.offset += 4), /field "buffers\.hidden\.offset" is \d+, not a multiple of 8/],
    [(h) => (h.buffers.params.byteLength -= 2), /field "buffers\.params\.byteLength" is \d+, not a multiple of 4 \(f32\)/],
    [(h) => (h.buffers.optimizerState.offset = 8), /buffers "params" and "optimizerState" overlap/],
  ];
  for (const [edit, pattern] of cases) loadFails(edited(edit), pattern);
});

test('buffer sizes that disagree with the config say what the config needs', () => {
  const state = trainedState();
  const V = state.vocab.size;
  const layers = (H: number) => (H * V + H * H + H) + (H * H + H * H + H) + V * H + V;
  const message = loadFails(edited((h) => (h.model.hiddenSize = 8)),
    /^The checkpoint's params has \d+ floats; a 2-layer rnn with hidden size 8 and \d+ characters needs \d+: the file does not match its own config; use an intact checkpoint\.$/);
  assert.ok(message.includes(`params has ${layers(7)} floats`) && message.includes(`needs ${layers(8)}`), message);
  loadFails(edited((h) => (h.training.optimizer = 'adam')),
    new RegExp(`^The checkpoint's optimizerState has ${layers(7)} floats; a 2-layer rnn with hidden size 7 and ${V} characters with adam needs ${2 * layers(7)}`));
  loadFails(edited((h) => { h.training.batchSize = 3; h.positions.push(0); }),
    /^The checkpoint's hidden has 28 floats; a 2-layer rnn with hidden size 7 and \d+ characters at batch size 3 needs 42/);
  loadFails(edited((h) => (h.positions = [0])), /^The checkpoint has 1 stream positions but its batch size is 2/);
  loadFails(edited((h) => (h.model.cell = 'lstm')), /^The checkpoint's params has \d+ floats; a 2-layer lstm with hidden size 7/);
});

test('vocabulary size mismatch and unusable vocabularies', () => {
  const V = trainedState().vocab.size;
  loadFails(edited((h) => h.vocab.pop()), new RegExp(`^The checkpoint's vocabulary has ${V - 1} characters but its model expects ${V}; the file was edited`));
  loadFails(edited((h) => (h.vocab[1] = h.vocab[0])), /^The checkpoint's vocabulary is invalid: the vocabulary lists a character twice; the file was edited/);
  loadFails(edited((h) => (h.vocab[1] = 'ab')), /^The checkpoint's vocabulary is invalid: vocabulary entry 1 \("ab"\) is not a single character/);
});

test('invalid config values are reported as a bad checkpoint with the rule broken', () => {
  loadFails(edited((h) => (h.training.learningRate = -1)),
    /^The checkpoint's training config is invalid: learningRate must be a number above 0 and at most 10; got -1; the file was edited or written by another program\.$/);
  loadFails(edited((h) => (h.model.cell = 'transformer')), /^The checkpoint's model config is invalid: model must be one of rnn, lstm, gru; got "transformer"/);
  loadFails(edited((h) => (h.model.layers = 0)), /^The checkpoint's model config is invalid: layers must be a whole number from 1 to 16; got 0/);
});

test('non-finite parameters and states are refused on load, and on save', () => {
  loadFails(edited(() => {}, (data) => new DataView(data.buffer).setFloat32(4 * 9, NaN, true)),
    /^The checkpoint's parameter Wxh\[0, 9\] is NaN: training had diverged when it was saved; use an earlier checkpoint\.$/);
  loadFails(edited(() => {}, (data, h) => new DataView(data.buffer).setFloat32(h.buffers.hidden.offset, Infinity, true)),
    /^The checkpoint's hidden\[0\] is Infinity/);
  const state = trainedState();
  state.params[state.params.length - 1] = NaN; // by[last]
  assert.throws(() => serializeCheckpoint(state), (e: any) => e.code === 'diverged' &&
    new RegExp(`^Cannot save a checkpoint: parameter by\\[${state.vocab.size - 1}\\] is NaN — training has diverged`).test(e.message));
});

test('saving an inconsistent state is refused as misuse', () => {
  const state = trainedState();
  state.hidden = new Float32Array(3);
  assert.throws(() => serializeCheckpoint(state), (e: any) => e.code === 'state-misuse' && /hidden has 3 floats/.test(e.message));
  const other = trainedState();
  other.optimizerState = new Float64Array(other.optimizerState.length);
  assert.throws(() => serializeCheckpoint(other), (e: any) => e.code === 'state-misuse' && /optimizerState is f64 but params are f32/.test(e.message));
});

// Checkpoints: exact round trips, the documented byte layout, and a specific message for every way a load can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import {
  CHECKPOINT_MAGIC, CHECKPOINT_VERSION, deserializeCheckpoint, serializeCheckpoint, summarizeCheckpoint,
} from '../../../core/checkpoint.js';
import { SEED_TRAINING, type ModelConfig, type TrainConfig } from '../../../core/config.js';
import { prepareCorpus } from '../../../core/corpus.js';
import { crc32 } from '../../../core/crc32.js';
import { CharRnnError } from '../../../core/errors.js';
import { appendLossPoint } from '../../../core/history.js';
import { encodeSafetensors } from '../../../core/safetensors.js';
import type { Precision } from '../../../core/tensor.js';
import { createTrainingState, Trainer, type TrainingState } from '../../../core/trainer.js';

const TEXT = 'It was a bright cold day in April, and the clocks were striking thirteen. '.repeat(6);

function trainedState(opts: { cell?: ModelConfig['cell']; precision?: Precision; training?: Partial<TrainConfig>; steps?: number } = {}): TrainingState {
  const training = { ...SEED_TRAINING, seqLength: 9, batchSize: 2, ...opts.training };
  const corpus = prepareCorpus(TEXT, training);
  const model = { cell: opts.cell ?? 'rnn', vocabSize: corpus.vocab.size, hiddenSize: 7, layers: 2 } as const;
  const state = createTrainingState(model, training, corpus.vocab, opts.precision ?? 'f32');
  state.corpusFingerprint = corpus.fingerprint;
  const trainer = new Trainer(state, corpus);
  for (let i = 0; i < (opts.steps ?? 6); i++) {
    trainer.step();
    // older points carry no epoch or training time; newer ones do (fractional epochs, milliseconds)
    appendLossPoint(state.lossHistory, i % 3 === 2 ? { iter: state.iteration, loss: state.smoothLoss, raw: 3 + i / 9, valLoss: 3.25 + i / 7, epoch: i / 7, elapsedMs: 1000.5 * i }
      : { iter: state.iteration, loss: state.smoothLoss });
  }
  state.bestValLoss = 3.1415926535897936;
  return state;
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function assertSameState(got: TrainingState, want: TrainingState): void {
  assert.deepEqual(got.model, want.model);
  assert.deepEqual(got.training, want.training);
  assert.deepEqual(got.vocab.chars, want.vocab.chars);
  assert.equal(got.params.constructor, want.params.constructor);
  for (const name of ['params', 'optimizerState', 'hidden', 'positions'] as const) {
    assert.deepEqual(bytesOf(got[name]), bytesOf(want[name]), `${name} bytes`);
  }
  for (const name of ['optimizerSteps', 'iteration', 'epoch', 'charsSeen', 'smoothLoss', 'bestValLoss', 'corpusFingerprint'] as const) {
    assert.ok(Object.is(got[name], want[name]), `${name}: ${got[name]} vs ${want[name]}`);
  }
  assert.deepEqual(got.lossHistory, want.lossHistory);
}

test('a checkpoint round-trips every field exactly (float32, float64, every cell)', () => {
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    for (const precision of ['f32', 'f64'] as const) {
      const state = trainedState({ cell, precision, training: { optimizer: 'adam' } });
      const back = deserializeCheckpoint(serializeCheckpoint(state));
      assertSameState(back, state);
      assert.equal(back.params instanceof Float64Array, precision === 'f64');
    }
  }
});

test('losses JSON cannot hold (NaN, ±Infinity) round-trip as strings', () => {
  const state = trainedState();
  state.smoothLoss = Infinity;
  state.bestValLoss = NaN;
  state.lossHistory = [{ iter: 1, loss: -Infinity, valLoss: NaN }, { iter: 2, loss: 5e-324 }];
  const back = deserializeCheckpoint(serializeCheckpoint(state));
  assertSameState(back, state);
});

test('the file is laid out as docs/checkpoint-format.md says', () => {
  const state = trainedState();
  const bytes = serializeCheckpoint(state);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(CHECKPOINT_MAGIC, 'CHARRNN\0');
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 8)), CHECKPOINT_MAGIC);
  assert.equal(view.getUint32(8, true), 2, 'a run without a weight average is written as version 2, which older readers open');
  const { header, dataStart } = parts(bytes);
  assert.equal(dataStart % 8, 0);
  assert.equal(header.precision, 'f32');
  assert.deepEqual(header.vocab, [...state.vocab.chars]);
  const p = header.buffers.params, o = header.buffers.optimizerState, h = header.buffers.hidden;
  assert.deepEqual([p.offset, p.byteLength], [0, state.params.length * 4]);
  assert.equal(o.offset, Math.ceil(p.byteLength / 8) * 8);
  assert.equal(h.offset, Math.ceil((o.offset + o.byteLength) / 8) * 8);
  assert.equal(bytes.length, dataStart + Math.ceil((h.offset + h.byteLength) / 8) * 8 + 4);
  const params = new Float32Array(state.params.length);
  new Uint8Array(params.buffer).set(bytes.subarray(dataStart, dataStart + p.byteLength));
  assert.deepEqual(params, state.params);
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926); // the standard check value
  const stored = view.getUint32(bytes.length - 4, true);
  assert.equal(stored, crc32(bytes.subarray(0, bytes.length - 4)));
  const zlibCrc = (zlib as unknown as { crc32?: (b: Uint8Array) => number }).crc32;
  if (zlibCrc) assert.equal(stored, zlibCrc(bytes.subarray(0, bytes.length - 4)));
});

test('summarizeCheckpoint reports what a checkpoint holds and its size', () => {
  const state = trainedState({ steps: 4 });
  const bytes = serializeCheckpoint(state);
  const summary = summarizeCheckpoint(state);
  assert.deepEqual(summary, {
    model: state.model, training: state.training, vocabSize: state.vocab.size, iteration: 4, epoch: state.epoch,
    charsSeen: 4 * 9 * 2, smoothLoss: state.smoothLoss, bestValLoss: 3.1415926535897936, precision: 'f32',
    parameterCount: state.params.length, bytes: bytes.length, historyPoints: 4, kernels: state.kernels,
  });
  assert.match(summary.kernels ?? '', /^wasm-/, 'the kernel set that trained it');
  assert.equal(summarizeCheckpoint(state, 12345).bytes, 12345);
});

// --- Building damaged and foreign files: an independent writer of the documented layout. ---

interface Parts { header: any; dataStart: number; data: Uint8Array; version: number }

function parts(bytes: Uint8Array): Parts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const dataStart = Math.ceil((16 + headerLength) / 8) * 8;
  return {
    header: JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))),
    dataStart, data: bytes.slice(dataStart, bytes.length - 4), version: view.getUint32(8, true),
  };
}

function assemble(headerText: string | Uint8Array, data: Uint8Array, version = CHECKPOINT_VERSION): Uint8Array {
  const header = typeof headerText === 'string' ? new TextEncoder().encode(headerText) : headerText;
  const dataStart = Math.ceil((16 + header.length) / 8) * 8;
  const out = new Uint8Array(dataStart + data.length + 4);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(CHECKPOINT_MAGIC));
  view.setUint32(8, version, true);
  view.setUint32(12, header.length, true);
  out.set(header, 16);
  out.set(data, dataStart);
  view.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

/** A valid checkpoint with its header (and optionally data) edited, and a correct checksum. */
function edited(editHeader: (h: any) => void, editData?: (data: Uint8Array, h: any) => void): Uint8Array {
  const p = parts(serializeCheckpoint(trainedState()));
  editHeader(p.header);
  editData?.(p.data, p.header);
  return assemble(JSON.stringify(p.header), p.data, p.version);
}

function loadFails(bytes: Uint8Array, pattern: RegExp): string {
  let message = '';
  assert.throws(() => deserializeCheckpoint(bytes), (e: unknown) => {
    assert.ok(e instanceof CharRnnError, `a CharRnnError, got ${e}`);
    assert.equal(e.code, 'bad-checkpoint');
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    message = e.message;
    return true;
  });
  return message;
}

test('the thread count: recorded, read back, 1 for checkpoints written before it existed, checked against the batch', () => {
  const state = trainedState({ training: { batchSize: 2 } });
  state.threads = 2;
  assert.equal(parts(serializeCheckpoint(state)).header.threads, 2);
  assert.equal(deserializeCheckpoint(serializeCheckpoint(state)).threads, 2);
  assert.equal(deserializeCheckpoint(edited((h) => { delete h.threads; })).threads, 1);
  loadFails(edited((h) => { h.threads = h.training.batchSize + 1; }), /trained on \d+ threads but its batch size is \d+/);
  loadFails(edited((h) => { h.threads = 0; }), /trained on 0 threads/);
  loadFails(edited((h) => { h.threads = 'two'; }), /"threads"/);
});

test('foreign files: empty, not a checkpoint, safetensors', () => {
  loadFails(new Uint8Array(0), /^The checkpoint file is empty \(0 bytes\).*use an earlier checkpoint\.$/);
  loadFails(new TextEncoder().encode('hello, this is a text file\n'), /^Not a Char-RNN Studio checkpoint: .*"CHARRNN" signature; choose a checkpoint saved by Char-RNN Studio\.$/);
  loadFails(new Uint8Array([0x7b]), /^Not a Char-RNN Studio checkpoint/);
  const safetensors = encodeSafetensors([{ name: 'by', dtype: 'F32', shape: [2], data: new Float32Array(2) }], { vocab: '["a","b"]' });
  loadFails(safetensors, /^This is a safetensors weights file, not a checkpoint: import it instead/);
});

test('version 2 writes no rngState; a version 1 checkpoint (which has one) still loads, the same state', () => {
  const state = trainedState();
  const p = parts(serializeCheckpoint(state));
  assert.equal(p.version, 2);
  assert.equal('rngState' in p.header, false);
  const v1 = assemble(JSON.stringify({ ...p.header, rngState: [217369913, 1265866860, 2523151327, 1473000308] }), p.data, 1);
  assertSameState(deserializeCheckpoint(v1), state);
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

test('deserialize reads from an unaligned view into a larger buffer', () => {
  const state = trainedState();
  const bytes = serializeCheckpoint(state);
  const big = new Uint8Array(bytes.length + 7);
  big.set(bytes, 3);
  assertSameState(deserializeCheckpoint(big.subarray(3, 3 + bytes.length)), state);
});

test('a run that keeps a weight average is version 3 with an emaParams buffer after the others, and round-trips it', () => {
  const state = trainedState({ training: { ema: 0.9, dropout: 0.2 } });
  assert.ok(state.emaParams, 'the run keeps an average');
  assert.notDeepEqual(bytesOf(state.emaParams!), bytesOf(state.params), 'the average is not the weights');
  const bytes = serializeCheckpoint(state);
  const p = parts(bytes);
  assert.equal(p.version, 3);
  const table = p.header.buffers;
  assert.equal(table.emaParams.byteLength, state.params.length * 4);
  assert.ok(table.emaParams.offset >= table.hidden.offset + table.hidden.byteLength, 'after the version 2 buffers');
  assert.deepEqual(p.header.training, { ...state.training });
  const back = deserializeCheckpoint(bytes);
  assertSameState(back, state);
  assert.deepEqual(bytesOf(back.emaParams!), bytesOf(state.emaParams!));
  // a damaged average is refused like damaged weights
  const nan = p.data.slice();
  new DataView(nan.buffer).setFloat32(table.emaParams.offset + 8, NaN, true);
  loadFails(assemble(JSON.stringify(p.header), nan, 3), /^The checkpoint's averaged parameter Wxh\[0, 2\] is NaN/);
  const short = { ...p.header, buffers: { ...table, emaParams: { offset: table.emaParams.offset, byteLength: 8 } } };
  loadFails(assemble(JSON.stringify(short), p.data.subarray(0, table.emaParams.offset + 8), 3),
    new RegExp(`^The checkpoint's emaParams has 2 floats; .* needs ${state.params.length}`));
});

test('a checkpoint written before dropout and the weight average (no such training fields) loads with both off', () => {
  const state = trainedState();
  const p = parts(serializeCheckpoint(state));
  const { dropout, ema, ...older } = p.header.training;
  assert.deepEqual([dropout, ema], [0, 0]);
  const back = deserializeCheckpoint(assemble(JSON.stringify({ ...p.header, training: older }), p.data, 2));
  assert.equal(back.training.dropout, 0);
  assert.equal(back.training.ema, 0);
  assert.equal(back.emaParams, null);
  assertSameState(back, state);
});

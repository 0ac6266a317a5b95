// Checkpoints: exact round trips, the documented byte layout, and what each format version writes and reads.
// How a load fails (a specific message for every way) is checkpoint-errors.test.ts; both build on test/helpers/checkpoint-files.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { CHECKPOINT_MAGIC, deserializeCheckpoint, serializeCheckpoint, summarizeCheckpoint } from '../../../core/checkpoint.js';
import { crc32 } from '../../../core/crc32.js';
import { assemble, assertSameState, bytesOf, edited, loadFails, parts, trainedState } from '../../helpers/checkpoint-files.js';

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

test('version 2 writes no rngState; a version 1 checkpoint (which has one) still loads, the same state', () => {
  const state = trainedState();
  const p = parts(serializeCheckpoint(state));
  assert.equal(p.version, 2);
  assert.equal('rngState' in p.header, false);
  const v1 = assemble(JSON.stringify({ ...p.header, rngState: [217369913, 1265866860, 2523151327, 1473000308] }), p.data, 1);
  assertSameState(deserializeCheckpoint(v1), state);
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

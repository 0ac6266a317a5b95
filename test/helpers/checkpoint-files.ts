// What the checkpoint tests share (checkpoint.test.ts and checkpoint-errors.test.ts): a small trained state to
// save, an exact comparison of two states, and an independent writer of the layout docs/checkpoint-format.md
// documents, for building damaged and foreign files. Its own file because both test files need all of it.
import assert from 'node:assert/strict';
import { CHECKPOINT_MAGIC, CHECKPOINT_VERSION, deserializeCheckpoint, serializeCheckpoint } from '../../core/checkpoint.js';
import { SEED_TRAINING, type ModelConfig, type TrainConfig } from '../../core/config.js';
import { prepareCorpus } from '../../core/corpus.js';
import { crc32 } from '../../core/crc32.js';
import { CharRnnError } from '../../core/errors.js';
import { appendLossPoint } from '../../core/history.js';
import type { Precision } from '../../core/tensor.js';
import { createTrainingState, Trainer, type TrainingState } from '../../core/trainer.js';

const TEXT = 'It was a bright cold day in April, and the clocks were striking thirteen. '.repeat(6);

export function trainedState(opts: { cell?: ModelConfig['cell']; precision?: Precision; training?: Partial<TrainConfig>; steps?: number } = {}): TrainingState {
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

export const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function assertSameState(got: TrainingState, want: TrainingState): void {
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

// --- Building damaged and foreign files: an independent writer of the documented layout. ---

export interface Parts { header: any; dataStart: number; data: Uint8Array; version: number }

export function parts(bytes: Uint8Array): Parts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const dataStart = Math.ceil((16 + headerLength) / 8) * 8;
  return {
    header: JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))),
    dataStart, data: bytes.slice(dataStart, bytes.length - 4), version: view.getUint32(8, true),
  };
}

export function assemble(headerText: string | Uint8Array, data: Uint8Array, version = CHECKPOINT_VERSION): Uint8Array {
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
export function edited(editHeader: (h: any) => void, editData?: (data: Uint8Array, h: any) => void): Uint8Array {
  const p = parts(serializeCheckpoint(trainedState()));
  editHeader(p.header);
  editData?.(p.data, p.header);
  return assemble(JSON.stringify(p.header), p.data, p.version);
}

export function loadFails(bytes: Uint8Array, pattern: RegExp): string {
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

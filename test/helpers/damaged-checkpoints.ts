// The damaged checkpoints of the fuzz suite (checkpoint-fuzz.test.ts), generated from a seed: byte flips in
// every region, truncation at every region boundary, wrong magic, future versions, a valid checksum over
// inconsistent contents, non-finite values, random bytes. Its own file because the generator is as long as
// the tests and knows the checkpoint's layout (preamble, header, padding, buffers, checksum); the models it
// damages are shared with the safetensors generator.
import { CHECKPOINT_VERSION, serializeCheckpoint } from '../../core/checkpoint.js';
import { SEED_TRAINING, type CellType } from '../../core/config.js';
import { crc32 } from '../../core/crc32.js';
import type { Rng } from '../../core/rng.js';
import { createTrainingState, type TrainingState } from '../../core/trainer.js';
import { Vocabulary } from '../../core/vocab.js';

const PREAMBLE = 16;

export interface Case {
  kind: string;     // the category, counted
  bytes: Uint8Array;
}

function model(cell: CellType, hiddenSize: number, layers: number, batchSize: number, optimizer: 'adagrad' | 'adam' | 'rmsprop',
               ema = 0): TrainingState {
  const vocab = Vocabulary.fromText('the cat sat on the mat, and é ü 😀\n');
  const state = createTrainingState({ cell, hiddenSize, layers, vocabSize: vocab.size },
    { ...SEED_TRAINING, batchSize, optimizer, seqLength: 8, ema, dropout: ema > 0 ? 0.2 : 0 }, vocab);
  state.iteration = 123;
  state.lossHistory = [{ iter: 100, loss: 3.1 }, { iter: 120, loss: 2.9, valLoss: 3.0 }];
  state.hidden.fill(0.25);
  return state;
}

/** The intact models every generator damages: each cell, optimizer and a version-3 file with the average. */
export const MODELS = [
  model('rnn', 6, 1, 1, 'adagrad'),
  model('lstm', 5, 2, 2, 'adam'),
  model('gru', 4, 1, 3, 'rmsprop'),
  model('gru', 3, 2, 2, 'adam', 0.99), // version 3: with the weights' average (emaParams)
];

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** The regions of a checkpoint: preamble, header, padding, each buffer, checksum (start, end). */
function regions(bytes: Uint8Array): [string, number, number][] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerEnd = PREAMBLE + view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE, headerEnd))) as { buffers: Record<string, { offset: number; byteLength: number }> };
  const dataStart = align8(headerEnd);
  const out: [string, number, number][] = [['magic', 0, 8], ['version', 8, 12], ['header length', 12, 16], ['header', PREAMBLE, headerEnd]];
  if (dataStart > headerEnd) out.push(['padding', headerEnd, dataStart]);
  for (const [name, b] of Object.entries(header.buffers)) {
    if (b.byteLength > 0) out.push([name, dataStart + b.offset, dataStart + b.offset + b.byteLength]);
  }
  out.push(['checksum', bytes.length - 4, bytes.length]);
  return out;
}

/** The file with a new header (as JSON) over the same data, and a checksum that matches. */
function withHeader(bytes: Uint8Array, edit: (header: Record<string, unknown>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerEnd = PREAMBLE + view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE, headerEnd))) as Record<string, unknown>;
  edit(header);
  return withRawHeader(bytes, new TextEncoder().encode(JSON.stringify(header)));
}

function resealed(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

export function checkpointCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const int = (n: number) => rng.nextUint32() % n;
  for (const state of MODELS) {
    const good = serializeCheckpoint(state);
    const regionList = regions(good);
    // a flipped bit anywhere: the checksum (or the preamble's own checks) catches it
    for (const [name, start, end] of regionList) {
      for (let k = 0; k < 24; k++) {
        const bytes = good.slice();
        bytes[start + int(end - start)] ^= 1 << int(8);
        cases.push({ kind: `flip in ${name}`, bytes });
      }
    }
    // cut short at every region boundary, and a byte either side
    const cuts = new Set<number>([0]);
    for (const [, start, end] of regionList) for (const at of [start - 1, start, start + 1, end - 1, end]) if (at >= 0 && at < good.length) cuts.add(at);
    for (const at of cuts) cases.push({ kind: 'truncated at a boundary', bytes: good.slice(0, at) });
    for (let k = 0; k < 20; k++) cases.push({ kind: 'truncated anywhere', bytes: good.slice(0, int(good.length)) });
    // extra bytes after the end
    for (let k = 1; k <= 5; k++) cases.push({ kind: 'trailing bytes', bytes: resealed(Uint8Array.from([...good, ...new Uint8Array(k * 3)])) });
    // wrong magic
    for (let k = 0; k < 10; k++) {
      const bytes = good.slice();
      for (let i = 0; i < 8; i++) if (int(3) === 0 || i === k % 8) bytes[i] = int(256);
      if (bytes.subarray(0, 8).every((b, i) => b === good[i])) bytes[0] ^= 0xff;
      cases.push({ kind: 'wrong magic', bytes });
    }
    // a version from the future, or zero
    for (const version of [0, CHECKPOINT_VERSION + 1, CHECKPOINT_VERSION + 2, 99, 0xffffffff]) {
      const bytes = good.slice();
      new DataView(bytes.buffer).setUint32(8, version, true);
      cases.push({ kind: 'unknown version', bytes: resealed(bytes) });
    }
    // a header length that points anywhere
    for (const length of [0, 1, 7, 0x7fffffff, 0xffffffff, good.length]) {
      const bytes = good.slice();
      new DataView(bytes.buffer).setUint32(12, length, true);
      cases.push({ kind: 'header length', bytes: resealed(bytes) });
    }
    // valid checksum over contents that disagree with themselves
    const edits: [string, (h: Record<string, any>) => void][] = [
      ['hidden size', (h) => { h.model.hiddenSize += 1; }],
      ['layers', (h) => { h.model.layers += 1; }],
      ['cell', (h) => { h.model.cell = h.model.cell === 'rnn' ? 'gru' : 'rnn'; }],
      ['unknown cell', (h) => { h.model.cell = 'transformer'; }],
      ['vocabulary size', (h) => { h.model.vocabSize += 1; }],
      ['vocabulary short', (h) => { h.vocab = h.vocab.slice(1); }],
      ['vocabulary duplicate', (h) => { h.vocab[1] = h.vocab[0]; }],
      ['vocabulary not strings', (h) => { h.vocab[0] = 5; }],
      ['batch size', (h) => { h.training.batchSize += 1; }],
      ['optimizer', (h) => { h.training.optimizer = h.training.optimizer === 'adam' ? 'rmsprop' : 'adam'; }],
      ['learning rate', (h) => { h.training.learningRate = -1; }],
      ['positions', (h) => { h.positions = [...h.positions, 0]; }],
      ['positions type', (h) => { h.positions = 'none'; }],
      ['threads', (h) => { h.threads = 0; }],
      ['threads over batch', (h) => { h.threads = 99; }],
      ['iteration', (h) => { h.iteration = -5; }],
      ['iteration fraction', (h) => { h.iteration = 1.5; }],
      ['smooth loss', (h) => { h.smoothLoss = 'many'; }],
      ['history', (h) => { h.lossHistory = { iter: 1 }; }],
      ['history point', (h) => { h.lossHistory = [{ iter: 'x', loss: 1 }]; }],
      ['precision', (h) => { h.precision = 'f16'; }],
      ['buffer size', (h) => { h.buffers.params.byteLength += 4; }],
      ['buffer shrunk', (h) => { h.buffers.params.byteLength -= 4; }],
      ['buffer offset', (h) => { h.buffers.hidden.offset += 8; }],
      ['buffer overlap', (h) => { h.buffers.optimizerState.offset = h.buffers.params.offset; }],
      ['buffer missing', (h) => { delete h.buffers.hidden; }],
      ['buffer negative', (h) => { h.buffers.params.offset = -8; }],
      ['no model', (h) => { delete h.model; }],
      ['no training', (h) => { delete h.training; }],
      ['header an array', (h) => { for (const k of Object.keys(h)) delete h[k]; }],
    ];
    for (const [name, edit] of edits) cases.push({ kind: `inconsistent: ${name}`, bytes: withHeader(good, edit) });
    // non-finite values in each buffer, with a checksum that matches
    for (const [name, start, end] of regionList.filter(([n]) => ['params', 'optimizerState', 'hidden'].includes(n))) {
      for (const value of [NaN, Infinity, -Infinity]) {
        for (let k = 0; k < 4; k++) {
          const bytes = good.slice();
          const at = start + 4 * int((end - start) / 4);
          new DataView(bytes.buffer).setFloat32(at, value, true);
          cases.push({ kind: `non-finite in ${name}`, bytes: resealed(bytes) });
        }
      }
    }
    // a header that is not JSON, or not UTF-8, with a matching checksum
    for (const junk of ['{', '[]', 'null', '"x"', '{"model":']) {
      cases.push({ kind: 'header not an object', bytes: withRawHeader(good, new TextEncoder().encode(junk)) });
    }
    cases.push({ kind: 'header not UTF-8', bytes: withRawHeader(good, Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])) });
  }
  // random bytes, some starting like a checkpoint
  for (let k = 0; k < 60; k++) {
    const bytes = new Uint8Array(int(300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
    if (k % 2 === 0 && bytes.length >= 8) bytes.set(new TextEncoder().encode('CHARRNN\0'));
    cases.push({ kind: 'random bytes', bytes });
  }
  return cases;
}

/** The file with `header`'s bytes as its header (JSON or not) over the same data, padded again, and a checksum that matches. */
function withRawHeader(bytes: Uint8Array, header: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerEnd = PREAMBLE + view.getUint32(12, true);
  const data = bytes.subarray(align8(headerEnd), bytes.length - 4);
  const dataStart = align8(PREAMBLE + header.length);
  const out = new Uint8Array(dataStart + data.length + 4);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(12, header.length, true);
  out.set(header, PREAMBLE);
  out.set(data, dataStart);
  return resealed(out);
}

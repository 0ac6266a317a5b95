// Checkpoint fuzz (issue 7, counted suite): over a thousand damaged checkpoint and safetensors files from
// a fixed seed — byte flips in every region, truncation at every region boundary, wrong magic, future
// versions, a valid checksum over inconsistent contents, non-finite values, safetensors with missing,
// extra, misshapen or mistyped tensors, random bytes. Every one is refused with the format's own error
// code (never another exception), and a run that resumes from one leaves its --out untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKPOINT_VERSION, deserializeCheckpoint, serializeCheckpoint } from '../../core/checkpoint.js';
import { SEED_TRAINING, type CellType } from '../../core/config.js';
import { crc32 } from '../../core/crc32.js';
import { CharRnnError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { exportSafetensors, importSafetensors } from '../../core/safetensors.js';
import { createTrainingState, type TrainingState } from '../../core/trainer.js';
import { Vocabulary } from '../../core/vocab.js';

const SEED = 20261130;
const PREAMBLE = 16;

interface Case {
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

const MODELS = [
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
  const data = bytes.subarray(align8(headerEnd), bytes.length - 4);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align8(PREAMBLE + json.length);
  const out = new Uint8Array(dataStart + data.length + 4);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, PREAMBLE);
  out.set(data, dataStart);
  return resealed(out);
}

function resealed(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer).setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

function checkpointCases(rng: Rng): Case[] {
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

/** A safetensors file rebuilt with an edited header over the same data. */
function safetensorsWith(bytes: Uint8Array, edit: (header: Record<string, any>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, any>;
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + length), 8 + json.length);
  return out;
}

function safetensorsCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const int = (n: number) => rng.nextUint32() % n;
  for (const state of MODELS) {
    const good = exportSafetensors(state);
    const length = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + length))) as Record<string, any>;
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    for (const name of names) {
      cases.push({ kind: 'safetensors: missing tensor', bytes: safetensorsWith(good, (h) => { delete h[name]; }) });
      cases.push({ kind: 'safetensors: misshapen tensor', bytes: safetensorsWith(good, (h) => { h[name].shape = [...h[name].shape.slice(0, -1), h[name].shape.at(-1) + 1]; }) });
      if (header[name].shape.length > 1) {
        cases.push({ kind: 'safetensors: misshapen tensor', bytes: safetensorsWith(good, (h) => { h[name].shape = [h[name].shape.reduce((a: number, b: number) => a * b, 1)]; }) });
      }
      cases.push({ kind: 'safetensors: misshapen tensor', bytes: safetensorsWith(good, (h) => { h[name].shape = [...h[name].shape, 1, 2]; }) });
      for (const dtype of ['F16', 'BF16', 'I32', 'U8', 'bogus', 7]) {
        cases.push({ kind: 'safetensors: mistyped tensor', bytes: safetensorsWith(good, (h) => { h[name].dtype = dtype; }) });
      }
      cases.push({ kind: 'safetensors: offsets out of range', bytes: safetensorsWith(good, (h) => { h[name].data_offsets = [0, 1e9]; }) });
      cases.push({ kind: 'safetensors: offsets backwards', bytes: safetensorsWith(good, (h) => { h[name].data_offsets = [h[name].data_offsets[1], h[name].data_offsets[0]]; }) });
      cases.push({ kind: 'safetensors: offsets not numbers', bytes: safetensorsWith(good, (h) => { h[name].data_offsets = ['0', 'x']; }) });
    }
    cases.push({ kind: 'safetensors: extra tensor', bytes: safetensorsWith(good, (h) => { h.Wextra = { ...h[names[0]] }; }) });
    cases.push({ kind: 'safetensors: extra tensor', bytes: safetensorsWith(good, (h) => { h.Wextra = { dtype: 'F32', shape: [1], data_offsets: [0, 4] }; }) });
    cases.push({ kind: 'safetensors: no vocab', bytes: safetensorsWith(good, (h) => { delete h.__metadata__.vocab; }) });
    cases.push({ kind: 'safetensors: vocab not JSON', bytes: safetensorsWith(good, (h) => { h.__metadata__.vocab = '[a'; }) });
    cases.push({ kind: 'safetensors: vocab short', bytes: safetensorsWith(good, (h) => { h.__metadata__.vocab = JSON.stringify(JSON.parse(h.__metadata__.vocab).slice(1)); }) });
    cases.push({ kind: 'safetensors: metadata not strings', bytes: safetensorsWith(good, (h) => { h.__metadata__ = { vocab: ['a'] }; }) });
    cases.push({ kind: 'safetensors: config not JSON', bytes: safetensorsWith(good, (h) => { h.__metadata__.config = '{'; }) });
    // non-finite weights
    for (const value of [NaN, Infinity, -Infinity]) {
      for (let k = 0; k < 4; k++) {
        const bytes = good.slice();
        const dataStart = 8 + length;
        new DataView(bytes.buffer).setFloat32(dataStart + 4 * int((bytes.length - dataStart) / 4), value, true);
        cases.push({ kind: 'safetensors: non-finite weight', bytes });
      }
    }
    // header length wrong, truncation anywhere
    for (const bad of [0n, 1n, BigInt(good.length), 2n ** 63n, 2n ** 64n - 1n]) {
      const bytes = good.slice();
      new DataView(bytes.buffer).setBigUint64(0, bad, true);
      cases.push({ kind: 'safetensors: header length', bytes });
    }
    for (let k = 0; k < 15; k++) cases.push({ kind: 'safetensors: truncated', bytes: good.slice(0, int(good.length)) });
    // flips inside the JSON header that keep it JSON or not
    for (let k = 0; k < 15; k++) {
      const bytes = good.slice();
      bytes[8 + int(length)] ^= 1 << int(7);
      cases.push({ kind: 'safetensors: flipped header byte', bytes });
    }
  }
  for (let k = 0; k < 40; k++) {
    const bytes = new Uint8Array(int(200));
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
    cases.push({ kind: 'safetensors: random bytes', bytes });
  }
  return cases;
}

/** How a loader answered one case: its error code, or what went wrong instead. */
function outcome(load: () => unknown): string {
  try {
    load();
    return 'loaded';
  } catch (e) {
    if (e instanceof CharRnnError) {
      assert.ok(!e.message.includes('\n') && e.message.length > 20, `one clear line: ${e.message}`);
      return e.code;
    }
    return `crash: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

test('checkpoint fuzz: every damaged checkpoint is refused as bad-checkpoint, none crashes', (t) => {
  const cases = checkpointCases(Rng.fromSeed(SEED));
  const byKind = new Map<string, number>();
  const wrong: string[] = [];
  for (const c of cases) {
    byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
    const got = outcome(() => deserializeCheckpoint(c.bytes));
    // a flipped bit may land in a float of the data and make another valid checkpoint only if the checksum missed it: never
    if (got !== 'bad-checkpoint') wrong.push(`${c.kind} (${c.bytes.length} bytes): ${got}`);
  }
  t.diagnostic(`checkpoint fuzz: ${cases.length} cases in ${byKind.size} kinds, seed ${SEED}`);
  assert.deepEqual(wrong, []);
  assert.ok(cases.length >= 800, `${cases.length} checkpoint cases`);
  for (const state of MODELS) assert.equal(outcome(() => deserializeCheckpoint(serializeCheckpoint(state))), 'loaded', 'the intact files load');
});

test('safetensors fuzz: every damaged file is refused as bad-safetensors, none crashes', (t) => {
  const cases = safetensorsCases(Rng.fromSeed(SEED + 1));
  const wrong: string[] = [];
  for (const c of cases) {
    const got = outcome(() => importSafetensors(c.bytes));
    // safetensors has no checksum, and the "config" metadata is optional by design (the seed's settings
    // replace one that is unusable): a flip that lands there, or a bad config, may load; nothing may crash
    const lenient = c.kind === 'safetensors: config not JSON' || c.kind === 'safetensors: flipped header byte';
    if (got !== 'bad-safetensors' && !(lenient && got === 'loaded')) wrong.push(`${c.kind} (${c.bytes.length} bytes): ${got}`);
  }
  t.diagnostic(`safetensors fuzz: ${cases.length} cases, seed ${SEED + 1}`);
  assert.deepEqual(wrong, []);
  assert.ok(cases.length >= 200, `${cases.length} safetensors cases`);
  for (const state of MODELS) assert.equal(outcome(() => importSafetensors(exportSafetensors(state))), 'loaded');
});

test('fuzz total: at least 1000 generated cases per run', () => {
  const total = checkpointCases(Rng.fromSeed(SEED)).length + safetensorsCases(Rng.fromSeed(SEED + 1)).length;
  assert.ok(total >= 1000, `${total} cases`);
});

test('a damaged checkpoint given to train --resume leaves --out as it was', async () => {
  const { trainCommand } = await import('../../main/cli/train.js');
  const dir = await mkdtemp(join(tmpdir(), 'char-rnn-fuzz-'));
  try {
    const corpus = join(dir, 'corpus.txt');
    await writeFile(corpus, 'the cat sat on the mat, and é ü 😀\n'.repeat(40));
    const out = join(dir, 'good.ckpt');
    const goodBytes = serializeCheckpoint(MODELS[0]);
    await writeFile(out, goodBytes);
    const cases = checkpointCases(Rng.fromSeed(SEED + 2));
    const io = { out: () => {}, line: () => {}, note: () => {}, warn: () => {}, stdoutIsTty: false };
    const damaged = join(dir, 'damaged.ckpt');
    for (let i = 0; i < cases.length; i += Math.floor(cases.length / 25)) {
      await writeFile(damaged, cases[i].bytes);
      await assert.rejects(trainCommand(corpus, { resume: damaged, out, force: true, iterations: '200' }, io),
        (e: unknown) => e instanceof CharRnnError && e.code === 'bad-checkpoint', cases[i].kind);
      assert.deepEqual(new Uint8Array(await readFile(out)), goodBytes, `${cases[i].kind}: --out untouched`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

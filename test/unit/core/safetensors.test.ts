// safetensors: the container round-trips, rejects every malformed file with a specific message,
// carries a model's weights out and back in, and reads what a numpy user of the seed writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serializeCheckpoint } from '../../../core/checkpoint.js';
import { SEED_TRAINING, type CellType } from '../../../core/config.js';
import { prepareCorpus } from '../../../core/corpus.js';
import { CharRnnError } from '../../../core/errors.js';
import { paramLayout, tensorViews } from '../../../core/layout.js';
import {
  decodeSafetensors, encodeSafetensors, exportSafetensors, importSafetensors, type NamedTensor,
} from '../../../core/safetensors.js';
import { createTrainingState, evaluateLoss, Trainer, type TrainingState } from '../../../core/trainer.js';
import { Vocabulary } from '../../../core/vocab.js';
import { expectClose } from '../../helpers/close.js';

const enc = new TextEncoder();

/** An independent writer: any header object (valid or not) and raw data, as a hand-rolled numpy script would. */
function rawSafetensors(header: unknown, data: Uint8Array = new Uint8Array(0), headerText = JSON.stringify(header)): Uint8Array {
  const json = enc.encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function f32Bytes(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

function decodeFails(bytes: Uint8Array, pattern: RegExp, code = 'bad-safetensors'): void {
  assert.throws(() => decodeSafetensors(bytes), (e: unknown) => {
    assert.ok(e instanceof CharRnnError, `a CharRnnError, got ${e}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
}

function importFails(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(() => importSafetensors(bytes), (e: unknown) => {
    assert.ok(e instanceof CharRnnError, `a CharRnnError, got ${e}`);
    assert.equal(e.code, 'bad-safetensors');
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
}

test('encode/decode round-trips F32 and F64 tensors, scalars, empty tensors and metadata', () => {
  const tensors: NamedTensor[] = [
    { name: 'a', dtype: 'F32', shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 1e-40, -0, 65504) },
    { name: 'b.weight', dtype: 'F64', shape: [3], data: Float64Array.of(Math.PI, -1e300, 5e-324) },
    { name: 'scalar', dtype: 'F32', shape: [], data: Float32Array.of(7) },
    { name: 'empty', dtype: 'F64', shape: [0, 4], data: new Float64Array(0) },
  ];
  const bytes = encodeSafetensors(tensors, { vocab: '["x"]', note: 'ünïcode ✓' });
  const view = new DataView(bytes.buffer);
  const headerLength = Number(view.getBigUint64(0, true));
  assert.equal((8 + headerLength) % 8, 0, 'data starts 8-aligned (header padded with spaces)');
  const { tensors: back, metadata } = decodeSafetensors(bytes);
  assert.deepEqual(metadata, { vocab: '["x"]', note: 'ünïcode ✓' });
  assert.deepEqual([...back.keys()], tensors.map((t) => t.name));
  for (const t of tensors) {
    const got = back.get(t.name)!;
    assert.equal(got.dtype, t.dtype);
    assert.deepEqual(got.shape, t.shape);
    assert.equal(got.data.constructor, t.data.constructor);
    assert.deepEqual(new Uint8Array(got.data.buffer), new Uint8Array(t.data.buffer), `${t.name} bytes`);
  }
  assert.deepEqual(decodeSafetensors(encodeSafetensors([])).tensors.size, 0);
});

test('the reader accepts a hand-written file: unpadded header, keys in any order, unaligned input view', () => {
  const data = new Uint8Array([...f32Bytes([9, 8]), ...new Uint8Array(Float64Array.of(0.25).buffer)]);
  const bytes = rawSafetensors({ y: { dtype: 'F64', shape: [1], data_offsets: [8, 16] }, x: { dtype: 'F32', shape: [2, 1], data_offsets: [0, 8] } }, data);
  const shifted = new Uint8Array(bytes.length + 1);
  shifted.set(bytes, 1);
  const { tensors, metadata } = decodeSafetensors(shifted.subarray(1));
  assert.deepEqual(metadata, {});
  assert.deepEqual(Array.from(tensors.get('x')!.data), [9, 8]);
  assert.deepEqual(Array.from(tensors.get('y')!.data), [0.25]);
});

test('strict validation: every malformed file gets a specific message', () => {
  const one = { t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const data8 = f32Bytes([1, 2]);
  decodeFails(new Uint8Array(5), /^Not a valid safetensors file: it is truncated at byte 5 \(expected at least 8 bytes/);
  // header length
  const big = rawSafetensors(one, data8);
  new DataView(big.buffer).setUint32(0, 5000, true);
  decodeFails(big, new RegExp(`^Not a valid safetensors file: it is truncated at byte ${big.length} \\(the header alone needs 5008 bytes\\)`));
  const huge = rawSafetensors(one, data8);
  new DataView(huge.buffer).setUint32(4, 1, true);
  decodeFails(huge, /header length field says 4294967\d+ bytes, more than the format's limit of 100000000/);
  decodeFails(rawSafetensors(null, data8, '[1]'), /the header does not start with a JSON object/);
  decodeFails(rawSafetensors(null, data8, '{"t": '), /^Not a valid safetensors file: its header is not valid UTF-8 JSON \(/);
  // data_offsets
  decodeFails(rawSafetensors({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, data8),
    /tensors "a" and "b" overlap \(data_offsets \[0, 8\] and \[4, 8\]\)/);
  decodeFails(rawSafetensors({ t: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, data8),
    /tensor "t" has data_offsets \[0, 16\] past the end of the data \(8 bytes\): the file is truncated or damaged/);
  decodeFails(rawSafetensors({ t: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, data8), /bytes 0\.\.4 of the data belong to no tensor/);
  decodeFails(rawSafetensors({ t: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, data8), /the data has 4 bytes after the last tensor \(ends at 4\)/);
  decodeFails(rawSafetensors({ t: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, data8), /data_offsets \[8,0\]; they must be \[begin, end\] with 0 ≤ begin ≤ end/);
  decodeFails(rawSafetensors({ t: { dtype: 'F32', shape: [2], data_offsets: [0] } }, data8), /tensor "t" has data_offsets \[0\]/);
  // dtype
  decodeFails(rawSafetensors({ t: { dtype: 'F128', shape: [2], data_offsets: [0, 8] } }, data8), /tensor "t" has unknown dtype "F128"/);
  decodeFails(rawSafetensors({ t: { dtype: 'F16', shape: [4], data_offsets: [0, 8] } }, data8),
    /^Unsupported safetensors tensor "t": dtype F16; only F32 and F64 are supported/);
  decodeFails(rawSafetensors({ t: { shape: [2], data_offsets: [0, 8] } }, data8), /tensor "t" has no dtype/);
  // shape
  decodeFails(rawSafetensors({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, data8),
    /tensor "t" has shape \[3\] of F32 \(12 bytes\) but data_offsets \[0, 8\] hold 8 bytes/);
  decodeFails(rawSafetensors({ t: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } }, data8), /shape \[2\] of F64 \(16 bytes\)/);
  decodeFails(rawSafetensors({ t: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, data8), /tensor "t" has shape \[-2\]; a shape is a list of whole numbers/);
  decodeFails(rawSafetensors({ t: { dtype: 'F32', shape: '2', data_offsets: [0, 8] } }, data8), /has shape "2"/);
  decodeFails(rawSafetensors({ t: 5 }, data8), /tensor "t" is not described by an object/);
  // metadata
  decodeFails(rawSafetensors({ __metadata__: { vocab: ['a', 'b'] }, ...one }, data8), /metadata "vocab" is an array, but metadata values must be strings/);
  decodeFails(rawSafetensors({ __metadata__: { n: 3 }, ...one }, data8), /metadata "n" is number, but metadata values must be strings/);
  decodeFails(rawSafetensors({ __metadata__: 'x', ...one }, data8), /"__metadata__" must be an object of strings/);
  // truncated anywhere in the data
  const good = encodeSafetensors([{ name: 'w', dtype: 'F64', shape: [4, 4], data: new Float64Array(16) }]);
  decodeFails(good.subarray(0, good.length - 3), /tensor "w" has data_offsets \[0, 128\] past the end of the data \(125 bytes\)/);
  decodeFails(good.subarray(0, 20), /truncated at byte 20 \(the header alone needs \d+ bytes\)/);
});

test('a checkpoint handed to the safetensors reader says so', () => {
  const state = smallState('rnn', 1);
  decodeFails(serializeCheckpoint(state), /^This is a Char-RNN Studio checkpoint, not a safetensors file: open it as a checkpoint instead\.$/);
});

test('the writer refuses inconsistent tensors', () => {
  assert.throws(() => encodeSafetensors([{ name: 'a', dtype: 'F32', shape: [3], data: new Float32Array(2) }]), /shape \[3\] \(3 values\) but 2 values/);
  assert.throws(() => encodeSafetensors([{ name: 'a', dtype: 'F64', shape: [2], data: new Float32Array(2) }]), /declared F64 but its data is a Float32Array/);
  const t = { name: 'a', dtype: 'F32' as const, shape: [1], data: new Float32Array(1) };
  assert.throws(() => encodeSafetensors([t, t]), /"a" is reserved or used twice/);
  assert.throws(() => encodeSafetensors([{ ...t, name: '__metadata__' }]), /reserved/);
});

// --- Model weights ---

const TEXT = 'Call me Ishmael. Some years ago—never mind how long precisely—having little money in my purse. ';

function smallState(cell: CellType, layers: number): TrainingState {
  const training = { ...SEED_TRAINING, seqLength: 7, batchSize: 2, optimizer: 'rmsprop' as const, learningRate: 0.02, seed: 3 };
  const corpus = prepareCorpus(TEXT.repeat(3), training);
  const state = createTrainingState({ cell, vocabSize: corpus.vocab.size, hiddenSize: 5, layers }, training, corpus.vocab);
  const trainer = new Trainer(state, corpus);
  for (let i = 0; i < 4; i++) trainer.step();
  return state;
}

test('export writes the layout names and shapes, "vocab" and "config"; import restores the weights exactly', () => {
  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    for (const layers of [1, 3]) {
      const state = smallState(cell, layers);
      const bytes = exportSafetensors(state);
      const { tensors, metadata } = decodeSafetensors(bytes);
      const layout = paramLayout(state.model);
      assert.deepEqual([...tensors.keys()], layout.tensors.map((t) => t.name));
      for (const spec of layout.tensors) assert.deepEqual(tensors.get(spec.name)!.shape, spec.shape);
      assert.deepEqual(JSON.parse(metadata.vocab), [...state.vocab.chars]);
      assert.deepEqual(JSON.parse(metadata.config), { model: state.model, training: state.training });

      const imported = importSafetensors(bytes);
      assert.deepEqual(imported.model, state.model);
      assert.deepEqual(imported.training, state.training);
      assert.deepEqual(imported.vocab.chars, state.vocab.chars);
      assert.deepEqual(imported.params, state.params);
      // a fresh run: new optimizer state, iteration 0, zero hidden state
      assert.equal(imported.iteration, 0);
      assert.equal(imported.optimizerSteps, 0);
      assert.ok(imported.optimizerState.every((x) => x === 0) && imported.hidden.every((x) => x === 0));
      assert.ok(imported.positions.every((x) => x === 0));
      assert.equal(imported.lossHistory.length, 0);
    }
  }
});

test('import: training from "config" when valid, else the seed defaults; the argument overrides', () => {
  const state = smallState('gru', 2);
  const bytes = exportSafetensors(state);
  assert.equal(importSafetensors(bytes).training.optimizer, 'rmsprop');
  const overridden = importSafetensors(bytes, { batchSize: 4, learningRate: 0.5, seqLength: undefined });
  assert.deepEqual(overridden.training, { ...state.training, batchSize: 4, learningRate: 0.5 });
  assert.equal(overridden.hidden.length, 2 * 4 * 5);
  assert.throws(() => importSafetensors(bytes, { learningRate: -1 }), (e: any) => e.code === 'bad-hyperparameter');

  const { tensors, metadata } = decodeSafetensors(bytes);
  const named = [...tensors].map(([name, t]) => ({ name, ...t }));
  for (const config of [undefined, 'not json', '{"training": {"learningRate": -5}}', '[]']) {
    const meta: Record<string, string> = config === undefined ? { vocab: metadata.vocab } : { vocab: metadata.vocab, config };
    assert.deepEqual(importSafetensors(encodeSafetensors(named, meta)).training, SEED_TRAINING, `config ${config}`);
  }
});

/** A model's tensors as a plain record (name → tensor) to edit for the error cases. */
function exported(cell: CellType = 'rnn', layers = 1) {
  const { tensors, metadata } = decodeSafetensors(exportSafetensors(smallState(cell, layers)));
  return { tensors: new Map(tensors), metadata: { ...metadata } };
}

function reencode(parts: ReturnType<typeof exported>): Uint8Array {
  return encodeSafetensors([...parts.tensors].map(([name, t]) => ({ name, ...t })), parts.metadata);
}

test('import errors name what is missing or wrong and how to fix it', () => {
  const V = smallState('rnn', 1).vocab.size;
  let p = exported();
  delete (p.metadata as Record<string, string>).vocab;
  importFails(reencode(p), /^The safetensors file has no "vocab" metadata, so its characters are unknown; add __metadata__ \{"vocab": json\.dumps\(chars\)\}/);
  p = exported(); p.metadata.vocab = '["a", ';
  importFails(reencode(p), /"vocab" metadata is not valid JSON/);
  p = exported(); p.metadata.vocab = '{"a": 0}';
  importFails(reencode(p), /"vocab" metadata is not a JSON array of strings/);
  p = exported(); p.metadata.vocab = JSON.stringify(['ab', ...Array(V - 1).fill('c')]);
  importFails(reencode(p), /"vocab" metadata is unusable: Vocabulary entry 0 \("ab"\) is not a single character/);
  p = exported(); p.metadata.vocab = JSON.stringify([...exportedVocab(p)].slice(1));
  importFails(reencode(p), new RegExp(`^The "vocab" metadata lists ${V - 1} characters but Why has ${V} rows \\(one per character\\)`));
  p = exported(); p.tensors.delete('Wxh');
  importFails(reencode(p), /^The safetensors file holds no recurrent layer this app knows: expected Wxh, Whh, bh \(rnn\) or Wxg, Whg, bg \(lstm\) or Wxg, Whg, bxg, bhg \(gru\), found Whh, bh, Why, by\.$/);
  p = exported(); p.tensors.delete('by');
  importFails(reencode(p), new RegExp(`^The safetensors file lacks tensor "by", which a 1-layer rnn with hidden size 5 and ${V} characters needs\\.$`));
  p = exported(); p.tensors.set('mem_Wxh', p.tensors.get('Wxh')!);
  importFails(reencode(p), /^Unexpected tensor "mem_Wxh" in the safetensors file: a 1-layer rnn .* has only Wxh, Whh, bh, Why, by\.$/);
  p = exported(); p.tensors.set('Wxh', { dtype: 'F32', shape: [V, 5], data: p.tensors.get('Wxh')!.data });
  importFails(reencode(p), new RegExp(`^Tensor "Wxh" has shape \\[${V}, 5\\]; a 1-layer rnn with hidden size 5 and ${V} characters needs \\[5, ${V}\\]\\.$`));
  p = exported('lstm'); p.tensors.set('Whg', { dtype: 'F32', shape: [15, 5], data: new Float32Array(75) });
  importFails(reencode(p), /^Tensor "Whg" has shape \[15, 5\]; an lstm's recurrent weights are \[4·H, H\]\.$/);
  p = exported(); p.tensors.get('Whh')!.data[7] = NaN;
  importFails(reencode(p), /^Tensor Whh\[1, 2\] is NaN in the safetensors file; the weights are unusable\.$/);
  p = exported();
  p.tensors.set('by', { dtype: 'F64', shape: [V], data: new Float64Array(V).fill(1e300) });
  importFails(reencode(p), /^Parameter by\[0\] is too large for float32/);
});

function exportedVocab(p: ReturnType<typeof exported>): string[] {
  return JSON.parse(p.metadata.vocab);
}

test('export refuses diverged weights', () => {
  const state = smallState('rnn', 1);
  state.params[3] = Infinity;
  assert.throws(() => exportSafetensors(state), (e: any) => e.code === 'diverged' &&
    /^Cannot export: parameter Wxh\[0, 3\] is Infinity — training has diverged/.test(e.message));
});

test('import infers cell type, layers and hidden size from names and shapes', () => {
  for (const [cell, layers] of [['rnn', 2], ['lstm', 3], ['gru', 1]] as const) {
    const imported = importSafetensors(reencode(exported(cell, layers)));
    assert.deepEqual(imported.model, { cell, vocabSize: imported.vocab.size, hiddenSize: 5, layers });
  }
});

// --- Interop: a numpy user's file (test/fixtures/safetensors/make_seed_fixture.py) ---

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/safetensors/${name}`, import.meta.url));

interface SeedFixture { vocab: string[]; hidden: number; eval_text: string; loss_per_char: number; shapes: Record<string, number[]> }

test('weights trained by the numpy seed import and give the loss numpy computed', () => {
  const bytes = new Uint8Array(readFileSync(fixture('seed-rnn-h8.safetensors')));
  const want: SeedFixture = JSON.parse(readFileSync(fixture('seed-rnn-h8.json'), 'utf8'));
  const state = importSafetensors(bytes);
  assert.deepEqual(state.model, { cell: 'rnn', vocabSize: want.vocab.length, hiddenSize: want.hidden, layers: 1 });
  assert.deepEqual(state.vocab.chars, want.vocab);
  assert.deepEqual(state.training, SEED_TRAINING, 'no "config" metadata: the seed defaults');
  const text = state.vocab.encode(want.eval_text);
  expectClose('float32 loss', [evaluateLoss(state.model, state.params, text)], [want.loss_per_char], 1e-5);

  // In float64, straight from the F64 tensors (numpy's (H, 1) bias columns), the loss matches to rounding.
  const { tensors } = decodeSafetensors(bytes);
  assert.deepEqual(tensors.get('bh')!.shape, want.shapes.bh);
  const layout = paramLayout(state.model);
  const params64 = new Float64Array(layout.size);
  const views = tensorViews(layout, params64);
  for (const [name, t] of tensors) {
    assert.equal(t.dtype, 'F64');
    views.get(name)!.set(t.data);
  }
  expectClose('float64 loss', [evaluateLoss(state.model, params64, new Vocabulary(want.vocab).encode(want.eval_text))], [want.loss_per_char], 1e-12);
});

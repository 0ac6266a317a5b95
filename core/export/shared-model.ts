// The model as the shared web page carries it: JSON with the weights as little-endian float32 in base64,
// read back in the page and sampled by the engine's own sampler, so the page's text is `char-rnn sample`'s.
import { CELL_TYPES, validateModelConfig, type ModelConfig } from '../config.js';
import { CharRnnError } from '../errors.js';
import { paramLayout } from '../layout.js';
import { sampleText, type SampleOptions } from '../sampler.js';
import type { FloatArray } from '../tensor.js';
import { Vocabulary } from '../vocab.js';

export const SHARED_MODEL_FORMAT = 'char-rnn-shared-model/1';

/** What the page shows and `window.charRnn.info` gives. */
export interface SharedModelInfo {
  name: string;
  cell: ModelConfig['cell'];
  hiddenSize: number;
  layers: number;
  vocabSize: number;
  iteration: number;
  parameters: number;
  textName: string | null;   // the training text's file name, where known
  valLoss: number | null;    // nats per char
}

export interface SharedModelJson extends SharedModelInfo {
  format: typeof SHARED_MODEL_FORMAT;
  vocab: string[];           // characters in id order
  weights: string;           // float32 little-endian, base64, laid out by paramLayout
}

export interface SharedModel {
  info: SharedModelInfo;
  model: ModelConfig;
  vocab: Vocabulary;
  params: Float32Array;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function littleEndianFloats(values: FloatArray): Uint8Array {
  const bytes = new Uint8Array(values.length * 4), view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

export function encodeSharedModel(model: ModelConfig, params: FloatArray, vocab: Vocabulary,
                                  about: Omit<SharedModelInfo, 'cell' | 'hiddenSize' | 'layers' | 'vocabSize' | 'parameters'>): SharedModelJson {
  return {
    format: SHARED_MODEL_FORMAT,
    ...about,
    cell: model.cell, hiddenSize: model.hiddenSize, layers: model.layers, vocabSize: model.vocabSize,
    parameters: params.length,
    vocab: [...vocab.chars],
    weights: toBase64(littleEndianFloats(params)),
  };
}

export function decodeSharedModel(json: SharedModelJson): SharedModel {
  if (json.format !== SHARED_MODEL_FORMAT || !CELL_TYPES.includes(json.cell)) {
    throw new CharRnnError('bad-checkpoint', 'The page holds no model this sampler can read.');
  }
  const model = validateModelConfig({ cell: json.cell, hiddenSize: json.hiddenSize, layers: json.layers, vocabSize: json.vocabSize });
  const bytes = fromBase64(json.weights), view = new DataView(bytes.buffer);
  const params = new Float32Array(bytes.length / 4);
  for (let i = 0; i < params.length; i++) params[i] = view.getFloat32(i * 4, true);
  if (params.length !== paramLayout(model).size) throw new CharRnnError('bad-checkpoint', 'The page\'s weights do not fit its model.');
  const { format: _f, vocab, weights: _w, ...info } = json;
  return { info, model, vocab: new Vocabulary(vocab), params };
}

/** The prime followed by the sample: exactly what `char-rnn sample` prints to a pipe for the same options. */
export function sampleShared(shared: SharedModel, options: SampleOptions): string {
  return (options.prime ?? '') + sampleText(shared.model, shared.params, shared.vocab, options);
}

// Hidden-unit activations over a text: the carried state after each character, one step at a time
// from a zero start. h for rnn and gru; for lstm either h or the cell state c ([h | c] per layer).
import { CharRnnError } from '../errors.js';
import type { ModelConfig } from '../config.js';
import type { Kernels } from '../kernels/kernels.js';
import { Network } from '../network.js';
import { allocFloats, precisionOf, type FloatArray } from '../tensor.js';
import type { IndexArray } from '../vocab.js';

export type StatePart = 'h' | 'c';

export interface Activations {
  /** values[(l·n + t)·H + j]: unit j of layer l after reading character t; [L, n, H]. */
  values: Float32Array;
  layers: number;
  hiddenSize: number;
  length: number;
  part: StatePart;
}

export function checkStatePart(model: ModelConfig, part: StatePart): void {
  if (part === 'c' && model.cell !== 'lstm') {
    throw new CharRnnError('bad-hyperparameter', `Only an lstm has a cell state c; this model is a ${model.cell} (use h).`);
  }
}

/** Every unit of every layer after each character of text (state carried from zeros). */
export function activations(model: ModelConfig, params: FloatArray, text: IndexArray, part: StatePart = 'h',
                            kernels?: Kernels): Activations {
  checkStatePart(model, part);
  const { layers: L, hiddenSize: H } = model, n = text.length;
  const net = new Network(model, params, null, { maxSteps: 1, batchSize: 1, kernels });
  net.adopt(params);
  const state = allocFloats(precisionOf(params), net.stateLength); // [L, 1, stateSize]
  const offset = part === 'c' ? H : 0; // lstm's state is [h | c]
  const values = new Float32Array(L * n * H);
  const input = new Int32Array(1);
  for (let t = 0; t < n; t++) {
    input[0] = text[t];
    net.forward(input, null, state, 1);
    for (let l = 0; l < L; l++) {
      const from = l * net.stateSize + offset;
      values.set(state.subarray(from, from + H), (l * n + t) * H);
    }
  }
  return { values, layers: L, hiddenSize: H, length: n, part };
}

/** One unit's activation over the text. */
export function unitTrace(a: Activations, layer: number, unit: number): Float32Array {
  if (layer < 0 || layer >= a.layers || unit < 0 || unit >= a.hiddenSize) {
    throw new CharRnnError('bad-hyperparameter',
      `There is no unit ${layer}:${unit}; the model has layers 0..${a.layers - 1} and units 0..${a.hiddenSize - 1}.`);
  }
  const out = new Float32Array(a.length), H = a.hiddenSize;
  for (let t = 0; t < a.length; t++) out[t] = a.values[(layer * a.length + t) * H + unit];
  return out;
}

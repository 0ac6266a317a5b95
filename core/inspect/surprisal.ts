// Per-character surprisal of a text under a model (state carried from a zero start), with each
// position's top-k predictions. Its mean is exactly evaluateLoss on the same text.
import { CharRnnError } from '../errors.js';
import type { ModelConfig } from '../config.js';
import type { Kernels } from '../kernels/kernels.js';
import { Network } from '../network.js';
import { allocFloats, precisionOf, type FloatArray } from '../tensor.js';
import type { IndexArray } from '../vocab.js';

export interface Surprisal {
  /** −log p of each character given the ones before it, in nats; [n]. Position 0 has no prediction: NaN. */
  nats: Float32Array;
  /** The k most likely next characters at each position (what the model expected there), best first; [n, k]. */
  topIndex: Int32Array;
  /** Their probabilities; [n, k]. Position 0's row is empty (index −1, p 0). */
  topProb: Float32Array;
  k: number;
  /** Mean nats over the n − 1 predicted characters: the same sum, in the same order, as evaluateLoss. */
  meanNats: number;
}

export const DEFAULT_CHUNK = 256;

/** Indices and values of the k largest entries of row (length V), best first, written at out offset o. */
export function topK(row: ArrayLike<number>, k: number, outIndex: Int32Array, outValue: Float32Array, o: number): void {
  const V = row.length;
  for (let j = 0; j < k; j++) { outIndex[o + j] = -1; outValue[o + j] = -Infinity; }
  for (let v = 0; v < V; v++) {
    const x = row[v];
    if (x <= outValue[o + k - 1]) continue;
    let j = k - 1;
    while (j > 0 && outValue[o + j - 1] < x) {
      outValue[o + j] = outValue[o + j - 1];
      outIndex[o + j] = outIndex[o + j - 1];
      j--;
    }
    outValue[o + j] = x;
    outIndex[o + j] = v;
  }
  for (let j = 0; j < k; j++) if (outIndex[o + j] < 0) outValue[o + j] = 0;
}

/**
 * Surprisal of every character of text (indices), forward in chunks of `chunk` steps. The chunking
 * matches evaluateLoss's, so meanNats is bit for bit the value `char-rnn eval` prints.
 */
export function surprisal(model: ModelConfig, params: FloatArray, text: IndexArray, k = 5,
                          kernels?: Kernels, chunk = DEFAULT_CHUNK): Surprisal {
  if (text.length < 2) throw new CharRnnError('corpus-too-short', 'Surprisal needs a text of at least 2 characters.');
  const V = model.vocabSize;
  k = Math.max(1, Math.min(k, V));
  const n = text.length;
  const nats = new Float32Array(n), topIndex = new Int32Array(n * k), topProb = new Float32Array(n * k);
  nats[0] = NaN;
  topIndex.fill(-1, 0, k);
  const steps = Math.min(chunk, n - 1);
  const net = new Network(model, params, null, { maxSteps: steps, batchSize: 1, kernels });
  net.adopt(params);
  const state = allocFloats(precisionOf(params), net.stateLength);
  let total = 0;
  for (let start = 0; start < n - 1; start += steps) {
    const T = Math.min(steps, n - 1 - start);
    total += net.forward(text.subarray(start, start + T), text.subarray(start + 1, start + T + 1), state, T);
    const probs = net.logits; // after a forward with targets: probabilities [T, 1, V]
    for (let t = 0; t < T; t++) {
      const pos = start + t + 1, row = probs.subarray(t * V, (t + 1) * V);
      const p = row[text[pos]];
      // p can underflow float32 where the log-sum-exp loss stays finite: fall back to the smallest float
      nats[pos] = -Math.log(p > 0 ? p : 1.4e-45);
      topK(row, k, topIndex, topProb, pos * k);
    }
  }
  return { nats, topIndex, topProb, k, meanNats: total / (n - 1) };
}

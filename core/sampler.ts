// Sampling text from a model: prime, temperature, top-k or argmax, with draws from a seeded RNG.
// The same parameters + start state + prime + seed + settings always give the same text.
import { checkLimit, LIMITS, type ModelConfig } from './config.js';
import { CharRnnError } from './errors.js';
import type { Kernels } from './kernels/kernels.js';
import { paramLayout, tensorViews } from './layout.js';
import { Network } from './network.js';
import { Rng } from './rng.js';
import { allocFloats, precisionOf, type FloatArray } from './tensor.js';
import { describeChar, type Vocabulary } from './vocab.js';

export interface SampleOptions {
  length: number;          // characters to generate (after the prime)
  prime?: string;          // fed through the model first
  temperature?: number;    // > 0; logits are divided by it (default 1)
  topK?: number;           // keep only the k most likely characters (0 or undefined: all)
  argmax?: boolean;        // always take the most likely character (no draws)
  seed: number;            // the sampler's own RNG seed, separate from the prime
}

export const MAX_SAMPLE_LENGTH = LIMITS.samplerLength.max;

/** The seed's sample_mult: the index whose cumulative probability first exceeds coin ∈ [0,1). */
export function pickIndex(probs: ArrayLike<number>, coin: number): number {
  let cdf = 0;
  for (let i = 0; i < probs.length; i++) {
    cdf += probs[i];
    if (coin < cdf) return i;
  }
  for (let i = probs.length - 1; i >= 0; i--) if (probs[i] > 0) return i; // rounding: the last possible one
  return probs.length - 1;
}

/** Turn logits into probabilities in place, with temperature and top-k. */
export function logitsToProbs(logits: FloatArray, temperature: number, topK: number): void {
  const V = logits.length;
  if (topK > 0 && topK < V) {
    const sorted = Array.from(logits).sort((a, b) => b - a);
    const threshold = sorted[topK - 1];
    let kept = 0;
    for (let v = 0; v < V; v++) {
      // ties at the threshold: keep the lowest indices, so exactly k survive
      if (logits[v] > threshold || (logits[v] === threshold && kept < topK)) kept++;
      else logits[v] = -Infinity;
    }
  }
  let max = -Infinity;
  for (let v = 0; v < V; v++) if (logits[v] > max) max = logits[v];
  let sum = 0;
  for (let v = 0; v < V; v++) sum += (logits[v] = Math.exp((logits[v] - max) / temperature));
  for (let v = 0; v < V; v++) logits[v] /= sum;
}

function argmaxIndex(a: FloatArray): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

export function validateSampleOptions(o: SampleOptions, vocab: Vocabulary): void {
  checkLimit('samplerLength', o.length, 'length');
  checkLimit('temperature', o.temperature ?? 1);
  if (o.topK !== undefined) checkLimit('topK', o.topK, 'top-k');
  checkLimit('samplerSeed', o.seed, 'the sampling seed');
  const unknown = vocab.unknownChars(o.prime ?? '');
  if (unknown.length > 0) {
    throw new CharRnnError('bad-prime',
      `The prime text has characters the model does not know: ${unknown.map(describeChar).join(', ')}.`);
  }
}

/**
 * Generate characters one at a time. startState ([layers, stateSize] of one stream) defaults to
 * zeros. The first character is drawn from the read-out of the state after the prime; each drawn
 * character is then fed back in.
 */
export function* sampleStream(model: ModelConfig, params: FloatArray, vocab: Vocabulary, opts: SampleOptions,
                              startState?: FloatArray, kernels?: Kernels): Generator<string, void, undefined> {
  validateSampleOptions(opts, vocab);
  const temperature = opts.temperature ?? 1, topK = opts.topK ?? 0;
  const rng = Rng.fromSeed(opts.seed);
  const net = new Network(model, params, null, { maxSteps: 1, batchSize: 1, kernels });
  net.adopt(params); // on the WebAssembly path: copy the parameters in once, not on every character
  const state = allocFloats(precisionOf(params), net.stateLength);
  if (startState) {
    if (startState.length !== state.length) throw new RangeError(`start state has ${startState.length} floats; expected ${state.length}`);
    state.set(startState);
  }
  const prime = vocab.encode(opts.prime ?? '');
  const input = new Int32Array(1);
  for (let i = 0; i < prime.length; i++) {
    input[0] = prime[i];
    net.forward(input, null, state, 1);
  }
  // The first draw reads out the start state (y = Why·h_top + by) when no prime was fed; after
  // that each forward leaves exactly this read-out of the new state in net.logits, which is read
  // (and turned into probabilities in place) before the next forward overwrites it.
  const V = model.vocabSize, y = net.logits.subarray(0, V);
  if (prime.length === 0) {
    const views = tensorViews(paramLayout(model), params);
    const Why = views.get('Why')!, by = views.get('by')!, H = model.hiddenSize;
    const top = (model.layers - 1) * net.stateSize; // h is the first H floats of the top layer's state
    for (let v = 0; v < V; v++) {
      let sum = by[v];
      for (let j = 0; j < H; j++) sum += Why[v * H + j] * state[top + j];
      y[v] = sum;
    }
  }
  // On the WebAssembly path the softmax (without top-k) and the draw run there too.
  const wasm = net.arena && topK === 0 ? net.arena.x : null;
  for (let n = 0; n < opts.length; n++) {
    let ix: number;
    if (opts.argmax) ix = argmaxIndex(y);
    else if (wasm) {
      wasm.softmaxTemperature(y.byteOffset, V, 1 / temperature);
      ix = wasm.pickIndex(y.byteOffset, V, rng.nextFloat());
    } else {
      logitsToProbs(y, temperature, topK);
      ix = pickIndex(y, rng.nextFloat());
    }
    yield vocab.chars[ix];
    input[0] = ix;
    net.forward(input, null, state, 1);
  }
}

/** The whole sample as one string (without the prime). */
export function sampleText(model: ModelConfig, params: FloatArray, vocab: Vocabulary, opts: SampleOptions,
                           startState?: FloatArray, kernels?: Kernels): string {
  let s = '';
  for (const ch of sampleStream(model, params, vocab, opts, startState, kernels)) s += ch;
  return s;
}

/** One stream's state ([layers, stateSize]) out of a batched hidden buffer [layers, batch, stateSize]. */
export function streamState(hidden: FloatArray, layers: number, batch: number, stateSize: number, stream = 0): FloatArray {
  const out = allocFloats(precisionOf(hidden), layers * stateSize);
  for (let l = 0; l < layers; l++) {
    out.set(hidden.subarray((l * batch + stream) * stateSize, (l * batch + stream + 1) * stateSize), l * stateSize);
  }
  return out;
}

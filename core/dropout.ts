// Inverted dropout on a layer's output, y = x ⊙ m / (1 − p) with m ~ Bernoulli(1 − p), so the expected
// output is x and nothing changes at evaluation time (Srivastava et al. 2014; karpathy/char-rnn).
//
// The masks are counter-based draws, never a stateful generator: the keep bit of element (t, b, j) of
// layer l at iteration i is mix32(key(seed, i, l, b), t·H + j) ≥ p·2³². So the same seed gives the
// same masks, a resumed run draws exactly the masks the uninterrupted one would (the seed and the
// iteration are in the checkpoint), and a stream's mask depends on its index in the whole batch, not
// on which thread runs it: any thread count draws the same masks. wasm/assembly/dropout.ts computes
// the same bits; the float64 gradient check runs these loops.
import { mix32 } from './rng.js';
import type { FloatArray } from './tensor.js';

/** What one training step's dropout draws from: the step's key, and the batch index of the network's first stream. */
export interface DropoutDraw {
  key: number;
  firstStream: number;
}

/** The key of a training step's masks: from the run's seed and the iteration it takes (any size up to 2⁵³). */
export function dropoutStepKey(seed: number, iteration: number): number {
  const low = iteration % 4294967296, high = Math.floor(iteration / 4294967296);
  return mix32(mix32(seed >>> 0, low), high);
}

/** The key of one layer's masks in a step. */
export function dropoutLayerKey(stepKey: number, layer: number): number {
  return mix32(stepKey ^ 0x6a09e667, layer);
}

/** An element is dropped when its 32-bit draw is below this: p·2³² (p = 0 drops none). */
export function dropThreshold(rate: number): number {
  return Math.min(0xffffffff, Math.round(rate * 4294967296));
}

/**
 * dropped = out ⊙ mask, with mask [T, B, H] filled with 0 or 1/(1 − p) from the layer's key.
 * Buffers are time-major (row t·B + b); stream b's draws are keyed by its batch index firstStream + b.
 */
export function dropoutForward(dropped: FloatArray, mask: FloatArray, out: FloatArray, T: number, B: number, H: number,
                               rate: number, layerKey: number, firstStream: number): void {
  const threshold = dropThreshold(rate), scale = 1 / (1 - rate);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const streamKey = mix32(layerKey, firstStream + b), o = (t * B + b) * H;
      for (let j = 0; j < H; j++) {
        mask[o + j] = mix32(streamKey, t * H + j) >= threshold ? scale : 0;
        dropped[o + j] = out[o + j] * mask[o + j]; // the mask as stored: 1/(1 − p) in the buffer's precision
      }
    }
  }
}

/** d ⊙= mask over n floats: the gradient wrt the dropped output becomes the gradient wrt the layer's output. */
export function dropoutBackward(d: FloatArray, mask: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) d[i] *= mask[i];
}

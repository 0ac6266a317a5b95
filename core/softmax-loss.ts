// The loss of the network's read-out: softmax over the vocabulary and cross-entropy with the next character, as a
// forward/backward pair over rows of logits (llm.c's crossentropy_forward and crossentropy_softmax_backward, fused).
// The plain path's; the WebAssembly path runs the same as softmaxLoss and softmaxBackward (core/kernels/arena.ts).
import type { FloatArray } from './tensor.js';

/**
 * Turns logits [rows, V] into probabilities in place and returns Σ_rows −log p[target]. Max-shifted for stability,
 * and the cross-entropy taken in log-sum-exp form, −log p = log Σ exp(y − max) − (y_target − max), so it stays
 * finite where p underflows float32.
 */
export function softmaxCrossEntropyForward(logits: FloatArray, targets: ArrayLike<number>, rows: number, V: number): number {
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * V, target = targets[r];
    let max = -Infinity;
    for (let v = 0; v < V; v++) if (logits[o + v] > max) max = logits[o + v];
    const shiftedTarget = logits[o + target] - max;
    let sum = 0;
    for (let v = 0; v < V; v++) sum += (logits[o + v] = Math.exp(logits[o + v] - max));
    for (let v = 0; v < V; v++) logits[o + v] /= sum;
    loss += Math.log(sum) - shiftedTarget;
  }
  return loss;
}

/**
 * The gradient of the loss / B wrt the logits, in place over the forward's probabilities: dy = (p − onehot) / B.
 * Accumulates dby += Σ_rows dy.
 */
export function softmaxCrossEntropyBackward(probs: FloatArray, gby: FloatArray, targets: ArrayLike<number>, rows: number, V: number, B: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * V;
    probs[o + targets[r]] -= 1;
    for (let v = 0; v < V; v++) probs[o + v] /= B;
    for (let v = 0; v < V; v++) gby[v] += probs[o + v];
  }
}

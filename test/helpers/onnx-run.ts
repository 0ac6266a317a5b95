// Running an exported ONNX model in onnxruntime-node, and comparing its logits with the engine's.
import ort from 'onnxruntime-node';
import type { ModelConfig } from '../../core/config.js';
import { Network } from '../../core/network.js';
import type { FloatArray } from '../../core/tensor.js';

export interface OnnxRun {
  logits: Float32Array; // [T, B, V]
  hT: Float32Array;     // [layers, B, H]
  cT?: Float32Array;
}

/** Run tokens [T, B] (time-major) through the model, from the given start states ([layers, B, H]) or zeros. */
export async function runOnnx(bytes: Uint8Array, model: ModelConfig, tokens: ArrayLike<number>, T: number, B: number,
                              start: { h0?: Float32Array; c0?: Float32Array } = {}): Promise<OnnxRun> {
  const { layers: L, hiddenSize: H } = model;
  const session = await ort.InferenceSession.create(bytes);
  const state = (given: Float32Array | undefined) =>
    given ? new ort.Tensor('float32', given, [L, B, H]) : new ort.Tensor('float32', new Float32Array(L * H), [L, 1, H]);
  const feeds: Record<string, ort.Tensor> = {
    tokens: new ort.Tensor('int64', BigInt64Array.from(Array.from(tokens, (t) => BigInt(t))), [T, B]),
    h0: state(start.h0),
    ...(model.cell === 'lstm' ? { c0: state(start.c0) } : {}),
  };
  const out = await session.run(feeds);
  await session.release();
  return {
    logits: out.logits.data as Float32Array,
    hT: out.hT.data as Float32Array,
    ...(out.cT ? { cT: out.cT.data as Float32Array } : {}),
  };
}

/** The engine's logits [T, B, V] for the same tokens (default kernels, as `char-rnn sample` and `eval` run). */
export function engineLogits(model: ModelConfig, params: FloatArray, tokens: Int32Array, T: number, B: number, state?: FloatArray): { logits: Float32Array; state: FloatArray } {
  const net = new Network(model, params, null, { maxSteps: T, batchSize: B });
  const carried = state ?? new Float32Array(net.stateLength);
  net.forward(tokens, null, carried, T);
  return { logits: Float32Array.from(net.logits.subarray(0, T * B * model.vocabSize)), state: carried };
}

/** The largest |got − want| / max(1, |want|): relative where logits are large, absolute near zero. */
export function maxRelativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  return worst;
}

/** Mean cross-entropy, nats per char, of each next token given the logits before it ([T, 1, V], float64 softmax). */
export function meanCrossEntropy(logits: Float32Array, tokens: ArrayLike<number>, V: number): number {
  let total = 0;
  for (let t = 0; t + 1 < tokens.length; t++) {
    const row = logits.subarray(t * V, (t + 1) * V);
    let max = -Infinity;
    for (const y of row) max = Math.max(max, y);
    let sum = 0;
    for (const y of row) sum += Math.exp(y - max);
    total += Math.log(sum) + max - row[tokens[t + 1]];
  }
  return total / (tokens.length - 1);
}

// The engine's weights in the layout ONNX's recurrent operators expect (onnx.ai Operators: RNN, LSTM, GRU).
//
// Gate blocks are stacked rows of H in both, in different orders:
//   LSTM  engine i, f, o, g    ONNX i, o, f, c      (c is the engine's g, the candidate)
//   GRU   engine r, z, n       ONNX z, r, h         (h is the engine's n)
//   RNN   one block, nothing to reorder
// Biases: ONNX's B is [Wb | Rb], 2·G·H. The engine's bx is Wb; Rb is the GRU's bh (it must stay
// apart: with linear_before_reset=1, ONNX computes h = tanh(x·Whᵀ + Wbh + r⊙(h·Rhᵀ + Rbh)), the
// engine's n = tanh(xn + r⊙hn)), and zeros for RNN and LSTM, which have no recurrent bias.
import type { CellType, ModelConfig } from '../config.js';
import { cellDefinition } from '../cells/index.js';
import { layerTensors, paramLayout, tensorViews } from '../layout.js';
import type { FloatArray } from '../tensor.js';

/** For each ONNX gate block in order, the engine's block it is taken from. */
export const ONNX_GATE_ORDER: Readonly<Record<CellType, readonly number[]>> = Object.freeze({
  rnn: [0],
  lstm: [0, 2, 1, 3], // i, o, f, c  ←  engine i=0, f=1, o=2, g=3
  gru: [1, 0, 2],     // z, r, h     ←  engine r=0, z=1, n=2
});

/** One recurrent layer as an ONNX RNN/LSTM/GRU node's initializers (num_directions = 1). */
export interface OnnxLayerWeights {
  W: Float32Array; // [1, G·H, In]
  R: Float32Array; // [1, G·H, H]
  B: Float32Array; // [1, 2·G·H] = [Wb | Rb]
  inputSize: number;
}

export interface OnnxWeights {
  layers: OnnxLayerWeights[];
  readoutT: Float32Array; // [H, V]: Whyᵀ, so logits = h·Whyᵀ + by is one MatMul and one Add
  by: Float32Array;       // [V]
}

/** Rows of `src` ([G·H, cols]) with its gate blocks put in `order`. */
export function reorderGateRows(src: FloatArray, order: readonly number[], H: number, cols: number): Float32Array {
  const out = new Float32Array(src.length);
  const block = H * cols;
  order.forEach((from, to) => out.set(src.subarray(from * block, (from + 1) * block), to * block));
  return out;
}

export function onnxWeights(model: ModelConfig, params: FloatArray): OnnxWeights {
  const views = tensorViews(paramLayout(model), params);
  const { hiddenSize: H, vocabSize: V } = model;
  const G = cellDefinition(model.cell).gates;
  const order = ONNX_GATE_ORDER[model.cell];
  const layers: OnnxLayerWeights[] = [];
  for (let l = 0; l < model.layers; l++) {
    const p = layerTensors(model, views, l);
    const inputSize = l === 0 ? V : H;
    const B = new Float32Array(2 * G * H);
    B.set(reorderGateRows(p.bx, order, H, 1), 0);
    if (p.bh) B.set(reorderGateRows(p.bh, order, H, 1), G * H);
    layers.push({ W: reorderGateRows(p.Wx, order, H, inputSize), R: reorderGateRows(p.Wh, order, H, H), B, inputSize });
  }
  const Why = views.get('Why')!;
  const readoutT = new Float32Array(H * V);
  for (let v = 0; v < V; v++) for (let j = 0; j < H; j++) readoutT[j * V + v] = Why[v * H + j];
  return { layers, readoutT, by: Float32Array.from(views.get('by')!) };
}

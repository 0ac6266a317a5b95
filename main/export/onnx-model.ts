// A model as an ONNX file (opset 17): tokens → Gather(one-hot) → RNN/LSTM/GRU per layer → MatMul/Add → logits.
// The protobuf is written by onnx-proto, protobufjs's static module generated from the official onnx.proto.
//
//   inputs   tokens int64 [T, B];  h0 float [layers, B or 1, H] (and c0 for lstm): zeros [layers, 1, H] to start afresh
//   outputs  logits float [T, B, V];  hT [layers, B, H] (and cT)
// The weight conversions (gate order, biases) are core/export/onnx-weights.ts; docs/sharing.md explains them.
import onnxProto from 'onnx-proto';
import type { ModelConfig } from '../../core/config.js';
import { onnxWeights, type OnnxWeights } from '../../core/export/onnx-weights.js';
import type { TrainingState } from '../../core/trainer.js';

const { onnx } = onnxProto;
type Node = InstanceType<typeof onnx.NodeProto>;
type Tensor = InstanceType<typeof onnx.TensorProto>;

export const ONNX_OPSET = 17;
const IR_VERSION = 8;              // the IR of opset 17 (ONNX 1.12)
export const ONNX_PRODUCER = 'char-rnn-studio'; // main/files/output-guard.ts knows our files by it
const FLOAT = onnx.TensorProto.DataType.FLOAT, INT64 = onnx.TensorProto.DataType.INT64;
const OPS: Record<ModelConfig['cell'], string> = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU' };

function floatTensor(name: string, dims: number[], data: Float32Array): Tensor {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength); // little-endian, as raw_data must be
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: bytes });
}

function int64Tensor(name: string, values: number[]): Tensor {
  return onnx.TensorProto.create({ name, dims: [values.length], dataType: INT64, int64Data: values });
}

function node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, number> = {}): Node {
  const attribute = Object.entries(attributes).map(([name, i]) =>
    onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i }));
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name: `${outputs[0]}_${opType}`, attribute });
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim } } } });
}

export interface OnnxModelInfo {
  iteration: number;
  valLoss: number | null;
  name: string;
}

/** The ONNX file's bytes. `weights` defaults to the converted parameters (tests pass altered ones). */
export function onnxModelBytes(state: TrainingState, info: OnnxModelInfo, weights: OnnxWeights = onnxWeights(state.model, state.params)): Uint8Array {
  const { cell, hiddenSize: H, vocabSize: V, layers: L } = state.model;
  const G = { rnn: 1, lstm: 4, gru: 3 }[cell];
  const lstm = cell === 'lstm';
  const nodes: Node[] = [];
  const init: Tensor[] = [];

  // One-hot as a Gather of identity rows: x⁰ [T, B, V].
  const eye = new Float32Array(V * V);
  for (let v = 0; v < V; v++) eye[v * V + v] = 1;
  init.push(floatTensor('one_hot_table', [V, V], eye));
  nodes.push(node('Gather', ['one_hot_table', 'tokens'], ['x0'], { axis: 0 }));

  // The start states, [L, B, H] or [L, 1, H] broadcast to the batch (zeros [L, 1, H] start every stream
  // afresh). Ordinary inputs, not initializers with a zero default: onnxruntime-node does not feed those.
  init.push(int64Tensor('axis1', [1]), int64Tensor('one', [1]), int64Tensor('two', [2]),
    int64Tensor('layers_dim', [L]), int64Tensor('hidden_dim', [H]));
  nodes.push(node('Shape', ['tokens'], ['tokens_shape']),
    node('Slice', ['tokens_shape', 'one', 'two'], ['batch_dim']),
    node('Concat', ['layers_dim', 'batch_dim', 'hidden_dim'], ['state_shape'], { axis: 0 }));
  const states = lstm ? ['h0', 'c0'] : ['h0'];
  for (const s of states) nodes.push(node('Expand', [s, 'state_shape'], [`${s}_full`]));

  let x = 'x0';
  const finals: string[][] = states.map(() => []);
  for (let l = 0; l < L; l++) {
    const w = weights.layers[l];
    init.push(floatTensor(`W_${l}`, [1, G * H, w.inputSize], w.W), floatTensor(`R_${l}`, [1, G * H, H], w.R),
      floatTensor(`B_${l}`, [1, 2 * G * H], w.B), int64Tensor(`layer_${l}`, [l]), int64Tensor(`layer_${l}_end`, [l + 1]));
    const start = states.map((s) => {
      nodes.push(node('Slice', [`${s}_full`, `layer_${l}`, `layer_${l}_end`], [`${s}_${l}`]));
      return `${s}_${l}`;
    });
    const outs = [`y_${l}`, `h_${l}`, ...(lstm ? [`c_${l}`] : [])];
    const attributes: Record<string, number> = { hidden_size: H };
    if (cell === 'gru') attributes.linear_before_reset = 1; // the reset gate scales (h·Rhᵀ + Rbh), as the engine does
    nodes.push(node(OPS[cell], [x, `W_${l}`, `R_${l}`, `B_${l}`, '', ...start], outs, attributes));
    nodes.push(node('Squeeze', [`y_${l}`, 'axis1'], [`out_${l}`])); // [T, 1, B, H] → [T, B, H]
    finals[0].push(`h_${l}`);
    if (lstm) finals[1].push(`c_${l}`);
    x = `out_${l}`;
  }
  nodes.push(node('Concat', finals[0], ['hT'], { axis: 0 }));
  if (lstm) nodes.push(node('Concat', finals[1], ['cT'], { axis: 0 }));

  init.push(floatTensor('Why_T', [H, V], weights.readoutT), floatTensor('by', [V], weights.by));
  nodes.push(node('MatMul', [x, 'Why_T'], ['readout']), node('Add', ['readout', 'by'], ['logits']));

  const graph = onnx.GraphProto.create({
    name: info.name,
    node: nodes,
    initializer: init,
    input: [valueInfo('tokens', INT64, ['T', 'B']), ...states.map((s) => valueInfo(s, FLOAT, [L, 'B_or_1', H]))],
    output: [valueInfo('logits', FLOAT, ['T', 'B', V]), valueInfo('hT', FLOAT, [L, 'B', H]), ...(lstm ? [valueInfo('cT', FLOAT, [L, 'B', H])] : [])],
  });
  const config = { cell, hiddenSize: H, layers: L, vocabSize: V, iteration: info.iteration, valLoss: info.valLoss };
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: ONNX_PRODUCER,
    producerVersion: '1',
    docString: `char-rnn ${cell}, ${L}×${H}, vocabulary ${V}: tokens are indices into the vocabulary (metadata "vocab").`,
    graph,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    metadataProps: [
      { key: 'vocab', value: JSON.stringify(state.vocab.chars) },
      { key: 'config', value: JSON.stringify(config) },
    ],
  });
  return onnx.ModelProto.encode(model).finish();
}

// Sample 200 characters from an exported model with onnxruntime-node: node docs/sample-onnx.mjs model.onnx
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
const bytes = readFileSync(process.argv[2] ?? 'kafka.onnx');
const meta = Object.fromEntries(onnxProto.onnx.ModelProto.decode(bytes).metadataProps.map((p) => [p.key, p.value]));
const vocab = JSON.parse(meta.vocab), { cell, layers, hiddenSize } = JSON.parse(meta.config);
const session = await ort.InferenceSession.create(bytes);
const zeros = new ort.Tensor('float32', new Float32Array(layers * hiddenSize), [layers, 1, hiddenSize]);
let state = cell === 'lstm' ? { h0: zeros, c0: zeros } : { h0: zeros }, text = 'The ', ids = [...text].map((c) => vocab.indexOf(c));
for (let n = 0; n < 200; n++) {
  const out = await session.run({ ...state, tokens: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [ids.length, 1]) });
  const last = out.logits.data.slice(-vocab.length), p = last.map((y) => Math.exp(y - Math.max(...last)));
  let coin = Math.random() * p.reduce((a, b) => a + b), next = 0;
  while ((coin -= p[next]) > 0 && next < p.length - 1) next++;
  text += vocab[next]; ids = [next];
  state = out.cT ? { h0: out.hT, c0: out.cT } : { h0: out.hT };
}
console.log(text);

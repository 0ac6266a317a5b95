// `char-rnn export MODEL.ckpt model.onnx` checked in onnxruntime-node (issue 16): for every cell and 1 and 2
// layers, the logits over a text are the engine's within 1e-5 (relative, absolute below 1), their mean
// cross-entropy is what `char-rnn eval` prints, and states go in and out (zeros [layers, 1, H] broadcast). A model with two gates swapped,
// or the GRU's recurrent bias merged into the input bias, fails the same comparison.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { CellType } from '../../core/config.js';
import { onnxWeights, reorderGateRows } from '../../core/export/onnx-weights.js';
import { writeCheckpointFile } from '../../main/files/model-files.js';
import { onnxModelBytes } from '../../main/export/onnx-model.js';
import { ok, runCli } from '../helpers/cli-run.js';
import { engineLogits, maxRelativeError, meanCrossEntropy, runOnnx } from '../helpers/onnx-run.js';
import { trainedModel, type TrainedModel } from '../helpers/trained-model.js';
import { writeFile } from 'node:fs/promises';

const TOLERANCE = 1e-5;
let dir = '';

before(async () => {
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:cli: ${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-onnx-'));
});

after(() => rm(dir, { recursive: true, force: true }));

/** The held-out end of the model's text (the trainer used its start), as ids. */
function heldOut(m: TrainedModel, chars = 600): { text: string; ids: Int32Array } {
  const text = m.text.slice(-chars);
  return { text, ids: Int32Array.from(m.state.vocab.encode(text)) };
}

const CASES: [CellType, number][] = [['rnn', 1], ['rnn', 2], ['lstm', 1], ['lstm', 2], ['gru', 1], ['gru', 2]];

describe('ONNX export through the CLI, run by onnxruntime-node', () => {
  for (const [cell, layers] of CASES) {
    test(`${cell}, ${layers} layer${layers > 1 ? 's' : ''}: logits within 1e-5 of the engine's, mean cross-entropy = char-rnn eval`, async () => {
      const m = trainedModel(cell, layers);
      const checkpoint = join(dir, `${cell}-${layers}.ckpt`), onnx = join(dir, `${cell}-${layers}.onnx`), textFile = join(dir, `${cell}-${layers}.txt`);
      await writeCheckpointFile(checkpoint, m.state);
      ok(await runCli(['export', checkpoint, onnx]), 'export');
      const bytes = new Uint8Array(await readFile(onnx));
      const { text, ids } = heldOut(m);
      const T = ids.length, V = m.state.model.vocabSize;

      const got = await runOnnx(bytes, m.state.model, ids, T, 1);
      const want = engineLogits(m.state.model, m.state.params, ids, T, 1);
      const error = maxRelativeError(got.logits, want.logits);
      assert.ok(error <= TOLERANCE, `logits differ by ${error} (relative)`);

      await writeFile(textFile, text);
      const evalRun = ok(await runCli(['eval', checkpoint, textFile, '--json']), 'eval');
      const evaluated = JSON.parse(evalRun.stdout).natsPerChar as number;
      const crossEntropy = meanCrossEntropy(got.logits, ids, V);
      assert.ok(Math.abs(crossEntropy - evaluated) <= TOLERANCE * evaluated,
        `ONNX mean cross-entropy ${crossEntropy} vs char-rnn eval ${evaluated}`);
    });
  }

  test('states in and out: two streams from given h0 and c0 give the engine\'s logits, hT and cT', async () => {
    for (const cell of ['lstm', 'gru'] as const) {
      const m = trainedModel(cell, 2);
      const { model, params } = m.state;
      const { hiddenSize: H, layers: L } = model;
      const B = 2, T = 40, stateSize = cell === 'lstm' ? 2 * H : H;
      const ids = heldOut(m, 200).ids;
      const tokens = new Int32Array(2 * T * B);           // [2T, B]: stream b reads from offset 37·b
      for (let t = 0; t < 2 * T; t++) for (let b = 0; b < B; b++) tokens[t * B + b] = ids[t + 37 * b];
      const first = engineLogits(model, params, tokens.subarray(0, T * B), T, B);
      const startState = Float32Array.from(first.state);  // [L, B, stateSize]: h then c per stream
      const second = engineLogits(model, params, tokens.subarray(T * B), T, B, Float32Array.from(startState));
      const split = (state: ArrayLike<number>, offset: number) => {
        const out = new Float32Array(L * B * H);
        for (let l = 0; l < L; l++) for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) out[(l * B + b) * H + j] = state[(l * B + b) * stateSize + offset + j];
        return out;
      };
      const bytes = onnxModelBytes(m.state, { name: 'x', iteration: 0, valLoss: null });
      const got = await runOnnx(bytes, model, tokens.subarray(T * B), T, B,
        { h0: split(startState, 0), c0: cell === 'lstm' ? split(startState, H) : undefined });
      assert.ok(maxRelativeError(got.logits, second.logits) <= TOLERANCE, `${cell}: logits from a given state`);
      assert.ok(maxRelativeError(got.hT, split(second.state, 0)) <= TOLERANCE, `${cell}: hT`);
      if (cell === 'lstm') assert.ok(maxRelativeError(got.cT!, split(second.state, H)) <= TOLERANCE, 'lstm: cT');
    }
  });

  test('the vocabulary and configuration travel in metadata_props; opset 17', async () => {
    const m = trainedModel('gru', 1);
    const model = onnxProto.onnx.ModelProto.decode(onnxModelBytes(m.state, { name: 'kafka', iteration: 1234, valLoss: 1.5 }));
    const meta = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]));
    assert.deepEqual(JSON.parse(meta.vocab), [...m.state.vocab.chars]);
    assert.deepEqual(JSON.parse(meta.config), { cell: 'gru', hiddenSize: 24, layers: 1, vocabSize: m.state.model.vocabSize, iteration: 1234, valLoss: 1.5 });
    assert.equal(Number(model.opsetImport[0].version), 17);
    assert.deepEqual(model.graph!.node!.filter((n) => n.opType === 'GRU').map((n) => n.attribute!.map((a) => [a.name, Number(a.i)])),
      [[['hidden_size', 24], ['linear_before_reset', 1]]]);
  });
});

test('docs/sample-onnx.mjs, the documented JavaScript example, samples 200 characters of the vocabulary', async () => {
  const m = trainedModel('lstm', 2);
  const onnx = join(dir, 'example.onnx');
  await writeFile(onnx, onnxModelBytes(m.state, { name: 'x', iteration: 0, valLoss: null }));
  const run = spawnSync(process.execPath, ['docs/sample-onnx.mjs', onnx], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const text = run.stdout.replace(/\n$/, '');
  assert.equal([...text].length, 204);
  assert.ok(text.startsWith('The '));
  assert.deepEqual(m.state.vocab.unknownChars(text), []);
});

describe('the conversions matter: a wrong one fails the comparison', () => {
  async function errorOf(m: TrainedModel, alter: (w: ReturnType<typeof onnxWeights>) => void): Promise<number> {
    const weights = onnxWeights(m.state.model, m.state.params);
    alter(weights);
    const { ids } = heldOut(m, 200);
    const got = await runOnnx(onnxModelBytes(m.state, { name: 'x', iteration: 0, valLoss: null }, weights), m.state.model, ids, ids.length, 1);
    return maxRelativeError(got.logits, engineLogits(m.state.model, m.state.params, ids, ids.length, 1).logits);
  }
  /** Swap gate blocks a and b of a layer's W, R and both halves of B. */
  const swap = (G: number, H: number, a: number, b: number) => (w: ReturnType<typeof onnxWeights>) => {
    const order = [...Array(G).keys()];
    [order[a], order[b]] = [order[b], order[a]];
    for (const layer of w.layers) {
      layer.W = reorderGateRows(layer.W, order, H, layer.inputSize);
      layer.R = reorderGateRows(layer.R, order, H, H);
      layer.B = Float32Array.from([...reorderGateRows(layer.B.subarray(0, G * H), order, H, 1), ...reorderGateRows(layer.B.subarray(G * H), order, H, 1)]);
    }
  };

  test('the unaltered conversion passes (the control)', async () => {
    assert.ok(await errorOf(trainedModel('lstm', 1), () => {}) <= TOLERANCE);
  });

  test('lstm with its forget and output gates swapped fails', async () => {
    const error = await errorOf(trainedModel('lstm', 1), swap(4, 24, 1, 2));
    assert.ok(error > 100 * TOLERANCE, `swapped gates were not caught: ${error}`);
  });

  test('gru with its update and reset gates swapped fails', async () => {
    const error = await errorOf(trainedModel('gru', 1), swap(3, 24, 0, 1));
    assert.ok(error > 100 * TOLERANCE, `swapped gates were not caught: ${error}`);
  });

  test('gru with its recurrent bias folded into the input bias fails (linear_before_reset keeps them apart)', async () => {
    const error = await errorOf(trainedModel('gru', 1), (w) => {
      const B = w.layers[0].B, GH = B.length / 2;
      for (let i = 0; i < GH; i++) { B[i] += B[GH + i]; B[GH + i] = 0; }
    });
    assert.ok(error > 100 * TOLERANCE, `a merged bias was not caught: ${error}`);
  });
});

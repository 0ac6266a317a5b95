// The engine's RNN against the numpy reference of the seed: loss, every clipped gradient, last state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Network } from '../../../core/network.js';
import { paramLayout, tensorViews } from '../../../core/layout.js';
import { clipElementwise } from '../../../core/optim.js';
import { Vocabulary } from '../../../core/vocab.js';
import { referenceKernels } from '../../../core/kernels/reference.js';
import { loopKernels } from '../../../core/kernels/loops.js';
import { wasmKernels } from '../../../core/kernels/wasm.js';
import { expectClose, flat } from '../../helpers/close.js';
import { GOLDEN_FILES, SEED_NAMES, goldenModel, goldenParams, loadGolden } from '../../helpers/golden.js';

for (const file of GOLDEN_FILES) {
  for (const kernels of [referenceKernels, loopKernels]) {
    test(`rnn forward/backward equals the seed's lossFun: ${file} (${kernels.name} kernels, float64)`, () => {
      const g = loadGolden(file);
      const model = goldenModel(g);
      const text = g.vocab.join('');
      assert.deepEqual(Vocabulary.fromText(text).chars, g.vocab, 'vocabulary is the sorted set of code points');
      const params = goldenParams(g);
      const grads = new Float64Array(params.length);
      const T = g.inputs.length;
      const net = new Network(model, params, grads, { maxSteps: T, batchSize: 1, kernels });
      const state = new Float64Array(net.stateLength);
      const loss = net.forward(g.inputs, g.targets, state, T);
      expectClose('loss', [loss], [g.loss], 1e-12);
      expectClose('h_last', state, g.h_last, 1e-10, 1e-14);
      net.backward();
      clipElementwise(grads, 5);
      const views = tensorViews(paramLayout(model), grads);
      for (const name of SEED_NAMES) expectClose(`d${name}`, views.get(name)!, flat(g.grads[name]), 1e-9, 1e-12);
    });
  }
}

for (const kernels of [loopKernels, wasmKernels]) {
  test(`rnn in float32 stays within 1e-4 relative of the float64 golden loss and gradients (${kernels.name} kernels)`, () => {
    const g = loadGolden('rnn-kafka-h16.json');
    const model = goldenModel(g);
    const params = Float32Array.from(goldenParams(g));
    const grads = new Float32Array(params.length);
    const T = g.inputs.length;
    const net = new Network(model, params, grads, { maxSteps: T, batchSize: 1, kernels });
    assert.equal(net.kernelsName, kernels.name);
    const loss = net.forward(g.inputs, g.targets, new Float32Array(net.stateLength), T);
    expectClose('loss', [loss], [g.loss], 1e-5);
    net.backward();
    clipElementwise(grads, 5);
    const views = tensorViews(paramLayout(model), grads);
    for (const name of SEED_NAMES) expectClose(`d${name}`, views.get(name)!, flat(g.grads[name]), 1e-3, 1e-5);
  });
}

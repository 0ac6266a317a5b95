// The shared page's script: reads the model the page carries, loads the engine's kernels, exposes
// window.charRnn and wires the form. The text is the engine's own sampler's (core/export/shared-model.ts).
import { decodeSharedModel, sampleShared, type SharedModel, type SharedModelInfo, type SharedModelJson } from '../core/export/shared-model.js';
import { kernelsModule } from '../core/kernels/wasm.js';
import type { SampleOptions } from '../core/sampler.js';
import { loadKernels } from './kernels-bytes.js';
import { wireForm } from './form.js';

export interface PageSampleOptions {
  prime?: string;
  length?: number;
  temperature?: number;
  topK?: number;
  seed?: number;
}

export interface CharRnnApi {
  info: Readonly<Pick<SharedModelInfo, 'cell' | 'hiddenSize' | 'layers' | 'vocabSize' | 'iteration'>> & { kernels: 'wasm' | 'loops' };
  sample(options?: PageSampleOptions): string;
}

/** The CLI's defaults: 200 characters, temperature 1, every character (top-k 0), seed 1 where none is given. */
function sampleOptions(o: PageSampleOptions): SampleOptions {
  return { prime: o.prime ?? '', length: o.length ?? 200, temperature: o.temperature ?? 1, topK: o.topK ?? 0, seed: o.seed ?? 1 };
}

function api(shared: SharedModel, kernels: 'wasm' | 'loops'): CharRnnApi {
  const { cell, hiddenSize, layers, vocabSize, iteration } = shared.info;
  return {
    info: Object.freeze({ cell, hiddenSize, layers, vocabSize, iteration, kernels }),
    sample: (options = {}) => sampleShared(shared, sampleOptions(options)),
  };
}

async function start(): Promise<void> {
  const data = document.getElementById('char-rnn-model');
  if (!data?.textContent) throw new Error('This page holds no model.');
  const shared = decodeSharedModel(JSON.parse(data.textContent) as SharedModelJson);
  const kernels = (await loadKernels().catch(() => false)) && kernelsModule() ? 'wasm' : 'loops';
  const charRnn = api(shared, kernels);
  (window as unknown as { charRnn: CharRnnApi }).charRnn = charRnn;
  wireForm(charRnn, kernels === 'wasm');
}

start().catch((e: unknown) => {
  const status = document.getElementById('status');
  if (status) status.textContent = e instanceof Error ? e.message : String(e);
});

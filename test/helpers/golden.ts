// Loading the numpy reference's golden fixtures (seed_rnn.py golden) into the engine's layout.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { paramLayout, tensorViews } from '../../core/layout.js';
import type { ModelConfig } from '../../core/config.js';
import { flat } from './close.js';

export interface Golden {
  vocab: string[];
  hidden: number;
  inputs: number[];
  targets: number[];
  loss: number;
  weights: Record<string, number[][]>;
  grads: Record<string, number[][]>;
  h_last: number[];
}

export const GOLDEN_FILES = ['rnn-ascii-h8.json', 'rnn-unicode-h6.json', 'rnn-kafka-h16.json'];
export const SEED_NAMES = ['Wxh', 'Whh', 'bh', 'Why', 'by'];

export function loadGolden(name: string): Golden {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/golden/${name}`, import.meta.url)), 'utf8'));
}

export function goldenModel(g: Golden): ModelConfig {
  return { cell: 'rnn', vocabSize: g.vocab.length, hiddenSize: g.hidden, layers: 1 };
}

/** The golden weights as one float64 buffer in the engine's layout. */
export function goldenParams(g: Golden): Float64Array {
  const layout = paramLayout(goldenModel(g));
  const params = new Float64Array(layout.size);
  const views = tensorViews(layout, params);
  for (const name of SEED_NAMES) views.get(name)!.set(flat(g.weights[name]));
  return params;
}

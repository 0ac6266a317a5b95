// Training speed on every core: the same loop as train-speed.ts, through the training pool
// (main/training/pool) with a given thread count. One JSON-able row, shaped like the others.
import { readFileSync } from 'node:fs';
import { decodeCorpus } from '../core/text.js';
import { prepareCorpus } from '../core/corpus.js';
import { createTrainingState } from '../core/trainer.js';
import { SEED_MODEL, SEED_TRAINING, type CellType } from '../core/config.js';
import { createTrainingRunner } from '../main/training/pool/pool-trainer.js';
import { flopsPerChar, type SpeedResult } from './train-speed.js';

export interface PoolBenchOptions {
  cell?: CellType;
  hiddenSize?: number;
  batchSize: number;
  learningRate?: number;
  threads: number;
}

export async function benchPoolTraining(corpusPath: string, seconds: number, o: PoolBenchOptions): Promise<SpeedResult> {
  const { text } = decodeCorpus(readFileSync(corpusPath));
  const training = { ...SEED_TRAINING, valFraction: 0, batchSize: o.batchSize, learningRate: o.learningRate ?? SEED_TRAINING.learningRate };
  const corpus = prepareCorpus(text, training);
  const model = { ...SEED_MODEL, cell: o.cell ?? 'rnn', hiddenSize: o.hiddenSize ?? SEED_MODEL.hiddenSize, vocabSize: corpus.vocab.size };
  const state = createTrainingState(model, training, corpus.vocab);
  const runner = await createTrainingRunner(state, corpus, o.threads);
  try {
    runner.step(); // the threads' first step compiles their kernels: not part of the timing
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < seconds * 1000) {
      runner.step();
      n++;
    }
    const el = (performance.now() - t0) / 1000;
    const charsPerS = (n * training.seqLength * training.batchSize) / el;
    return {
      system: `char-rnn-studio ${model.cell} h${model.hiddenSize} batch ${training.batchSize}, ${o.threads} thread${o.threads === 1 ? '' : 's'}`,
      iterations: n,
      seconds: Math.round(el * 100) / 100,
      chars_per_s: Math.round(charsPerS),
      smooth_loss_per_char: Math.round(state.smoothLoss * 1e4) / 1e4,
      gflops: Math.round((charsPerS * flopsPerChar(model)) / 1e7) / 100,
    };
  } finally {
    await runner.dispose();
  }
}

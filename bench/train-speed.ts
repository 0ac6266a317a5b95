// Times the engine's training loop on a corpus for a wall-clock budget; prints one JSON line
// shaped like seed_rnn.py bench's, so the two can be compared.
import { readFileSync } from 'node:fs';
import { decodeCorpus } from '../core/text.js';
import { prepareCorpus } from '../core/corpus.js';
import { createTrainingState, Trainer } from '../core/trainer.js';
import { SEED_MODEL, SEED_TRAINING, type CellType, type ModelConfig } from '../core/config.js';
import { cellDefinition } from '../core/cells/index.js';
import { loopKernels } from '../core/kernels/loops.js';

export interface SpeedResult {
  system: string;
  iterations: number;
  seconds: number;
  chars_per_s: number;
  smooth_loss_per_char: number;
  gflops?: number;
  cpu_chars_per_s?: number; // per CPU-second of this process (steadier than wall-clock on a shared machine)
  cpu_gflops?: number;
}

/** Matmul FLOPs per trained character: forward products, and twice as many backward. */
export function flopsPerChar(m: ModelConfig): number {
  const GH = cellDefinition(m.cell).gates * m.hiddenSize, H = m.hiddenSize;
  const forward = 2 * (m.layers * GH * H + (m.layers - 1) * GH * H + m.vocabSize * H);
  return 3 * forward;
}

export function benchTraining(corpusPath: string, seconds: number, o: { cell?: CellType; hiddenSize?: number; batchSize?: number; learningRate?: number; tsKernels?: boolean } = {}): SpeedResult {
  const { text } = decodeCorpus(readFileSync(corpusPath));
  // The seed trains on all of the text: no validation split here.
  const training = { ...SEED_TRAINING, valFraction: 0, batchSize: o.batchSize ?? 1, learningRate: o.learningRate ?? SEED_TRAINING.learningRate };
  const corpus = prepareCorpus(text, training);
  const model = { ...SEED_MODEL, cell: o.cell ?? 'rnn', hiddenSize: o.hiddenSize ?? SEED_MODEL.hiddenSize, vocabSize: corpus.vocab.size };
  const state = createTrainingState(model, training, corpus.vocab, (process.env.BENCH_PRECISION as 'f32' | 'f64') ?? 'f32');
  const trainer = new Trainer(state, corpus, o.tsKernels ? loopKernels : undefined);
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    trainer.step();
    n++;
  }
  const el = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0), cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const charsPerS = (n * training.seqLength * training.batchSize) / el;
  return {
    system: `char-rnn-studio ${model.cell} h${model.hiddenSize} batch ${training.batchSize}${o.tsKernels ? ' (TS kernels)' : ''}`,
    iterations: n,
    seconds: Math.round(el * 100) / 100,
    chars_per_s: Math.round(charsPerS),
    smooth_loss_per_char: Math.round(state.smoothLoss * 1e4) / 1e4,
    gflops: Math.round((charsPerS * flopsPerChar(model)) / 1e7) / 100,
    cpu_chars_per_s: Math.round((n * training.seqLength * training.batchSize) / cpuSeconds),
    cpu_gflops: Math.round(((n * training.seqLength * training.batchSize) / cpuSeconds) * flopsPerChar(model) / 1e7) / 100,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, secs, cell, hidden, batch] = process.argv.slice(2);
  console.log(JSON.stringify(benchTraining(path, Number(secs ?? 30), {
    cell: (cell as CellType) ?? 'rnn', hiddenSize: hidden ? Number(hidden) : undefined, batchSize: batch ? Number(batch) : undefined,
  })));
}

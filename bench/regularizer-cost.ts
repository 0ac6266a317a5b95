// What dropout and the weights' moving average cost per training step, measured in one process with the
// variants interleaved (a slice of steps each, in turn), so a shared machine's changing load falls on all
// of them alike. `npx tsx bench/regularizer-cost.ts [CORPUS] [ROUNDS] [--threads 1]`; a benchmark, not a test.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SEED_TRAINING, type TrainConfig } from '../core/config.js';
import { prepareCorpus } from '../core/corpus.js';
import { decodeCorpus } from '../core/text.js';
import { createTrainingState, Trainer } from '../core/trainer.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpusPath = process.argv[2] ?? `${root}../shared/corpora/kafka.txt`;
const rounds = Number(process.argv[3] ?? 20);
const SLICE = 10; // steps per variant per round

const VARIANTS: { name: string; dropout: number; ema: number }[] = [
  { name: 'off', dropout: 0, ema: 0 },
  { name: 'ema 0.999', dropout: 0, ema: 0.999 },
  { name: 'dropout 0.2', dropout: 0.2, ema: 0 },
  { name: 'dropout 0.2 + ema 0.999', dropout: 0.2, ema: 0.999 },
];

/** gru-128-cosine's shape and optimisation (core/presets.ts), at a constant rate. */
function trainer(text: string, dropout: number, ema: number): Trainer {
  const training: TrainConfig = { ...SEED_TRAINING, seqLength: 50, batchSize: 16, optimizer: 'adam', learningRate: 0.008, dropout, ema };
  const corpus = prepareCorpus(text, training);
  const state = createTrainingState({ cell: 'gru', hiddenSize: 128, layers: 1, vocabSize: corpus.vocab.size }, training, corpus.vocab);
  return new Trainer(state, corpus);
}

const { text } = decodeCorpus(readFileSync(corpusPath));
const runs = VARIANTS.map((v) => ({ ...v, trainer: trainer(text, v.dropout, v.ema), wallMs: 0, cpuUs: 0, steps: 0 }));
for (const r of runs) for (let i = 0; i < 3; i++) r.trainer.step(); // warm up each (JIT, first allocations)
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = load();
for (let round = 0; round < rounds; round++) {
  for (const r of runs) {
    const t0 = performance.now(), c0 = process.cpuUsage();
    for (let i = 0; i < SLICE; i++) r.trainer.step();
    const c = process.cpuUsage(c0);
    r.wallMs += performance.now() - t0;
    r.cpuUs += c.user + c.system;
    r.steps += SLICE;
  }
}
const chars = 50 * 16;
const base = runs[0];
console.log(`gru 128, batch 16, seq 50, adam; ${rounds} rounds of ${SLICE} steps per variant, interleaved; ` +
  `${cpus().length} cores; load ${loadBefore} before, ${load()} after`);
for (const r of runs) {
  const wall = (r.steps * chars) / (r.wallMs / 1000), cpu = (r.steps * chars) / (r.cpuUs / 1e6);
  const costWall = (r.wallMs / r.steps) / (base.wallMs / base.steps) - 1, costCpu = (r.cpuUs / r.steps) / (base.cpuUs / base.steps) - 1;
  console.log(`${r.name.padEnd(26)} ${Math.round(wall).toLocaleString('en-US').padStart(9)} chars/s wall  ` +
    `${Math.round(cpu).toLocaleString('en-US').padStart(9)} chars/CPU-s  cost ${(costWall * 100).toFixed(1)}% wall, ${(costCpu * 100).toFixed(1)}% CPU`);
}

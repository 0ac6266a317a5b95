// npm run bench [-- SECONDS]: the engine against the seed's numpy reference (and PyTorch where python3 has
// it) on the seed's corpus, each run in turn on the same machine, reported as ratios. A benchmark, not a
// test: nothing here fails on a timing. The last line is one JSON object with the ratios.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchTraining, flopsPerChar, type SpeedResult } from './train-speed.js';
import { readFileSync } from 'node:fs';
import { benchPoolTraining } from './pool-speed.js';
import { benchTorch, torchAvailable, TORCH_SETUP } from './torch.js';
import { benchMemory } from './memory.js';
import { kernelGflops } from './kernels-ceiling.js';
import { benchSampling } from './sample-speed.js';
import { wasmKernels } from '../core/kernels/wasm.js';
import { DEFAULT_QUALITY, formatRow, qualityHeader, runQualityBench } from './quality.js';
import { PRESETS } from '../core/presets.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = `${root}../shared/corpora/kafka.txt`;
const reference = `${root}../shared/reference/seed_rnn.py`;
const seconds = Number(process.argv[2] ?? 20);
const cores = availableParallelism();
const vocabSize = new Set(readFileSync(corpus, 'utf8')).size;

if (!existsSync(corpus)) {
  console.error(`bench: ${corpus} is absent. The benchmarks train on Kafka's Metamorphosis from ../shared/corpora/kafka.txt beside the clone; stopping.`);
  process.exit(1);
}

// The seed's own bench, with the process's CPU seconds around it, so the rows can also be compared
// per CPU-second: on a machine shared with other work, wall-clock rates swing with the load.
const NUMPY_WITH_CPU = `import runpy, sys, time
m = runpy.run_path(sys.argv[1])
c = time.process_time()
m['bench'](sys.argv[2], float(sys.argv[3]))
print(time.process_time() - c)`;

function numpySeed(): SpeedResult | null {
  if (!existsSync(reference)) return null;
  const r = spawnSync('python3', ['-c', NUMPY_WITH_CPU, reference, corpus, String(seconds)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`bench: the numpy reference did not run (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return null;
  }
  const lines = r.stdout.trim().split('\n');
  const result: SpeedResult = JSON.parse(lines[lines.length - 2]);
  result.cpu_chars_per_s = Math.round((result.iterations * 25) / Number(lines[lines.length - 1]));
  return result;
}

// The models, each as PyTorch trains it and as the engine does (learning rates as the engine's rows).
const MODELS = {
  seed: { cell: 'rnn', hidden: 100, batch: 1, lr: 0.1 },
  rnn32: { cell: 'rnn', hidden: 100, batch: 32, lr: 0.1 },
  lstm256: { cell: 'lstm', hidden: 256, batch: 32, lr: 0.05 },
  gru256: { cell: 'gru', hidden: 256, batch: 32, lr: 0.05 },
} as const;
type ModelKey = keyof typeof MODELS;

const ref = numpySeed();
const torch: Partial<Record<ModelKey, SpeedResult | null>> = {};
const haveTorch = torchAvailable();
if (haveTorch) for (const [key, m] of Object.entries(MODELS)) torch[key as ModelKey] = benchTorch(corpus, seconds, m.cell, m.hidden, m.batch, m.lr);

const threads = (batch: number) => Math.min(cores, batch);
const engine: [ModelKey | null, SpeedResult][] = [
  [null, benchTraining(corpus, seconds, { tsKernels: true })],
  ['seed', benchTraining(corpus, seconds)],
  [null, await benchPoolTraining(corpus, seconds, { batchSize: 32, threads: 1 })],
  ['rnn32', await benchPoolTraining(corpus, seconds, { batchSize: 32, threads: threads(32) })],
  ['lstm256', await benchPoolTraining(corpus, seconds, { cell: 'lstm', hiddenSize: 256, batchSize: 32, learningRate: 0.05, threads: threads(32) })],
  ['gru256', await benchPoolTraining(corpus, seconds, { cell: 'gru', hiddenSize: 256, batchSize: 32, learningRate: 0.05, threads: threads(32) })],
];
const sampling = [benchSampling(corpus, Math.min(seconds, 5), true), benchSampling(corpus, Math.min(seconds, 5))];
// The one-core ceiling: the best of the three matmul forms for a 256×256 weight by 256×32 activations,
// per wall-clock second and per CPU-second of this process (steadier on a machine shared with other work).
const forms = (['matmulABt', 'matmulAB', 'matmulAtB'] as const).map((f) => kernelGflops(wasmKernels, f, 500));
const ceiling = Math.max(...forms.map((g) => g.wall)), ceilingCpu = Math.max(...forms.map((g) => g.cpu));
const memory = benchMemory(root, corpus);

// The honest quality table (bench/quality.ts; `npm run bench:quality` for the full set): every preset and Auto on two texts
// of different kinds and sizes, 3 seeds each, a short budget so the bench stays under ten minutes of it.
const qualityOptions = { ...DEFAULT_QUALITY, seconds: 15, texts: ['kafka-story', 'gpl-3'], presets: [...PRESETS.map((p) => p.name), 'auto'], seeds: 3 };
console.error(qualityHeader(qualityOptions));
const quality = runQualityBench(qualityOptions, (line) => console.error(line));

const ratio = (a: number, b: number | undefined) => (b ? a / b : null);
const shown = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);
console.log(`\nTraining on kafka.txt, ${seconds} s a row, ${cores} cores (chars/s = iterations × seq 25 × batch / seconds)`);
// The last column compares chars per CPU-second of each process (where measured): steadier than
// wall-clock ratios when other work shares the machine.
console.log('system'.padEnd(48) + 'chars/s'.padStart(10) + 'vs numpy'.padStart(10) + 'vs torch'.padStart(10) + 'GFLOP/s'.padStart(9) +
  'loss/char'.padStart(11) + 'numpy/cpu-s'.padStart(13));
const row = (r: SpeedResult, vsTorch: number | null) => console.log(r.system.padEnd(48) + String(r.chars_per_s).padStart(10) +
  shown(ratio(r.chars_per_s, ref?.chars_per_s)).padStart(10) + shown(vsTorch).padStart(10) +
  (r.gflops === undefined ? '' : r.gflops.toFixed(2)).padStart(9) + r.smooth_loss_per_char.toFixed(4).padStart(11) +
  (r.cpu_chars_per_s && ref?.cpu_chars_per_s ? shown(ratio(r.cpu_chars_per_s, ref.cpu_chars_per_s)) : '').padStart(13));
if (ref) row(ref, null);
else console.log('seed-numpy'.padEnd(48) + 'skipped: ../shared/reference/seed_rnn.py or numpy is missing');
for (const key of Object.keys(MODELS) as ModelKey[]) if (torch[key]) row(torch[key]!, null);
for (const [key, r] of engine) row(r, key && torch[key] ? ratio(r.chars_per_s, torch[key]!.chars_per_s) : null);
for (const r of sampling) console.log(r.system.padEnd(48) + String(r.chars_per_s).padStart(10) + shown(ratio(r.chars_per_s, ref?.chars_per_s)).padStart(10));
if (!haveTorch) console.log(TORCH_SETUP);
console.log('GFLOP/s counts the matrix products per trained character: forward 2·(G·H·H recurrent + V·H read-out + G·H·H input ' +
  'of each layer above the first), the first layer\'s one-hot input being a gather; backward twice the forward; G gate blocks ' +
  `(rnn 1, gru 3, lstm 4). Per char: ${(Object.keys(MODELS) as ModelKey[]).map((k) => {
    const m = MODELS[k];
    return `${m.cell} h${m.hidden} ${Math.round(flopsPerChar({ cell: m.cell, hiddenSize: m.hidden, layers: 1, vocabSize: vocabSize }) / 1000)}k`;
  }).filter((s, i, all) => all.indexOf(s) === i).join(', ')} (V = ${vocabSize}).`);
console.log(`WebAssembly SIMD ceiling on one core (256×256 by 256×32 matmul): ${ceiling.toFixed(2)} GFLOP/s ` +
  `(${ceilingCpu.toFixed(2)} per CPU-second); ${cores} cores: ${(ceiling * cores).toFixed(2)}`);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
console.log(memory.peakBytes === null
  ? `memory, ${mb(memory.corpusBytes)} corpus: ${memory.note}`
  : `memory, training on a generated ${mb(memory.corpusBytes)} corpus (CLI, batch 32, every core): peak RSS ${mb(memory.peakBytes)}, ` +
    `goal < 3 × corpus + 200 MiB = ${mb(memory.limitBytes)} (${(memory.peakBytes / memory.limitBytes).toFixed(2)} of it), ${memory.seconds} s from start to end`);

console.log(`\n${qualityHeader(qualityOptions)}`);
for (const row of quality) console.log(formatRow(row));
const kafkaBest = quality.find((r) => r.text === 'kafka-story' && r.preset === 'gru-128-cosine' && r.runs.length > 0);

const byKey = Object.fromEntries(engine.filter(([k]) => k).map(([k, r]) => [k!, r])) as Record<ModelKey, SpeedResult>;
const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
console.log(JSON.stringify({
  seed_vs_numpy: round(ratio(byKey.seed.chars_per_s, ref?.chars_per_s)),
  rnn100_b32_all_cores_vs_numpy: round(ratio(byKey.rnn32.chars_per_s, ref?.chars_per_s)),
  lstm256_b32_vs_numpy: round(ratio(byKey.lstm256.chars_per_s, ref?.chars_per_s)),
  gru256_b32_vs_numpy: round(ratio(byKey.gru256.chars_per_s, ref?.chars_per_s)),
  lstm256_b32_vs_torch: round(torch.lstm256 ? ratio(byKey.lstm256.chars_per_s, torch.lstm256.chars_per_s) : null),
  gru256_b32_vs_torch: round(torch.gru256 ? ratio(byKey.gru256.chars_per_s, torch.gru256.chars_per_s) : null),
  rnn100_b32_threads_vs_one: round(ratio(byKey.rnn32.chars_per_s, engine[2][1].chars_per_s)),
  sampling_chars_per_s: sampling[1].chars_per_s,
  memory_peak_vs_goal: memory.peakBytes === null ? null : round(memory.peakBytes / memory.limitBytes),
  gru128_cosine_kafka_held_out_nats_15s: kafkaBest ? Math.round(kafkaBest.runs.reduce((a, r) => a + r.heldOutNats, 0) / kafkaBest.runs.length * 1e4) / 1e4 : null,
}));

// npm run bench [-- SECONDS] [--speed-only]: the engine against the seed's numpy reference and PyTorch (where a
// python3 has it) on the seed's corpus, each run in turn on the same machine, reported as ratios. The engine's
// rows run `char-rnn train` as users do; PyTorch gets the fastest of its thread settings, found in this run.
// A benchmark, not a test: nothing here fails on a timing. The last line is one JSON object with the ratios.
import '../main/training/relaxed-simd.js'; // first: the in-process rows and the ceiling compile the set the CLI runs
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchTraining, flopsPerChar, type SpeedResult } from './train-speed.js';
import { benchCli, buildCli, type CliModel } from './cli-speed.js';
import { benchTorch, torchBlas, torchPython, TORCH_SETTINGS, TORCH_SETUP, type TorchResult } from './torch.js';
import { benchMemory } from './memory.js';
import { kernelGflops } from './kernels-ceiling.js';
import { benchSampling } from './sample-speed.js';
import { wasmKernels } from '../core/kernels/wasm.js';
import { DEFAULT_QUALITY, formatRow, qualityHeader, runQualityBench, TORCH_RIVAL } from './quality.js';
import { PRESETS } from '../core/presets.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = `${root}../shared/corpora/kafka.txt`;
const reference = `${root}../shared/reference/seed_rnn.py`;
const args = process.argv.slice(2);
const speedOnly = args.includes('--speed-only');
const seconds = Number(args.find((a) => !a.startsWith('--')) ?? 20);
const cores = availableParallelism();

if (!existsSync(corpus)) {
  console.error(`bench: ${corpus} is absent. The benchmarks train on Kafka's Metamorphosis from ../shared/corpora/kafka.txt beside the clone; stopping.`);
  process.exit(1);
}
const vocabSize = new Set(readFileSync(corpus, 'utf8')).size;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadBefore = load();

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

// The models, each as PyTorch trains it and as the engine does (the same learning rates).
const MODELS = {
  seed: { cell: 'rnn', hidden: 100, layers: 1, batch: 1, lr: 0.1 },
  rnn32: { cell: 'rnn', hidden: 100, layers: 1, batch: 32, lr: 0.1 },
  lstm256: { cell: 'lstm', hidden: 256, layers: 1, batch: 32, lr: 0.05 },
  gru256: { cell: 'gru', hidden: 256, layers: 1, batch: 32, lr: 0.05 },
  lstm512x2: { cell: 'lstm', hidden: 512, layers: 2, batch: 32, lr: 0.02 },
} as const satisfies Record<string, CliModel>;
type ModelKey = keyof typeof MODELS;
const KEYS = Object.keys(MODELS) as ModelKey[];

const built = buildCli(root);
if (built) { console.error(`bench: ${built}`); process.exit(1); }
const ref = numpySeed();
const torch: Partial<Record<ModelKey, TorchResult | null>> = {};
const py = torchPython();
const blas = py ? torchBlas() : 'none';
for (const key of KEYS) {
  const m = MODELS[key];
  if (py) torch[key] = benchTorch(corpus, seconds / 2, m.cell, m.hidden, m.batch, m.lr, m.layers);
}
const cli: Partial<Record<ModelKey, ReturnType<typeof benchCli>>> = {};
for (const key of KEYS) cli[key] = benchCli(root, corpus, seconds, MODELS[key], vocabSize);
const rnn32OneThread = benchCli(root, corpus, seconds, { ...MODELS.rnn32, threads: 1 }, vocabSize);
const tsKernels = { ...benchTraining(corpus, Math.min(seconds, 10), { tsKernels: true }), system: 'Trainer rnn h100 batch 1' };
// The one-core ceiling: the best of the three matmul forms for a 256×256 weight by 256×32 activations,
// per wall-clock second and per CPU-second of this process (steadier on a machine shared with other work).
const forms = (['matmulABt', 'matmulAB', 'matmulAtB'] as const).map((f) => kernelGflops(wasmKernels, f, 500));
const ceiling = Math.max(...forms.map((g) => g.wall)), ceilingCpu = Math.max(...forms.map((g) => g.cpu));
const loadAfterSpeed = load();

const ratio = (a: number | undefined, b: number | undefined) => (a && b ? a / b : null);
const shown = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);
console.log(`\nTraining on kafka.txt, ${cores} cores, load ${loadBefore} before and ${loadAfterSpeed} after ` +
  `(chars/s = iterations × seq 25 × batch / seconds; engine rows ${seconds} s each, PyTorch ${seconds / 2} s per setting)`);
console.log('system'.padEnd(40) + 'setting'.padEnd(42) + 'chars/s'.padStart(9) + 'vs torch'.padStart(10) + 'cpu-s'.padStart(8) +
  'vs numpy'.padStart(10) + 'GFLOP/s'.padStart(9) + 'loss/char'.padStart(11));
const row = (r: SpeedResult, setting: string, vsTorch: number | null, vsTorchCpu: number | null = null) => console.log(
  r.system.padEnd(40) + setting.slice(0, 41).padEnd(42) + String(r.chars_per_s).padStart(9) + shown(vsTorch).padStart(10) +
  shown(vsTorchCpu).padStart(8) + shown(ratio(r.chars_per_s, ref?.chars_per_s)).padStart(10) +
  (r.gflops === undefined ? '' : r.gflops.toFixed(2)).padStart(9) + r.smooth_loss_per_char.toFixed(4).padStart(11));
if (ref) row(ref, 'numpy, the seed\'s min-char-rnn', null);
else console.log('seed-numpy'.padEnd(40) + 'skipped: ../shared/reference/seed_rnn.py or numpy is missing');
for (const key of KEYS) {
  const t = torch[key];
  if (t) row(t, `${t.setting.replace('OPENBLAS_NUM_THREADS=', 'BLAS ')}`, null);
}
for (const key of KEYS) {
  const r = cli[key], t = torch[key];
  if (r) row(r, r.setting, ratio(r.chars_per_s, t?.chars_per_s), ratio(r.cpu_chars_per_s, t?.cpu_chars_per_s));
}
if (rnn32OneThread) row(rnn32OneThread, rnn32OneThread.setting, null);
row(tsKernels, 'in-process Trainer, TypeScript kernels', null);
console.log('vs torch: the row\'s chars/s over PyTorch\'s on the same model, PyTorch at the fastest of its settings ' +
  `(${TORCH_SETTINGS.map(([t, b]) => `${t} torch × ${b} BLAS`).join(', ')} threads) in this run; cpu-s: the same per CPU-second of each process.`);
if (py) {
  console.log(`PyTorch: ${py}, torch ${spawnSync(py, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).stdout.trim()}, ${blas}; ` +
    `every setting's chars/s: ${KEYS.filter((k) => torch[k]).map((k) => `${k} [${torch[k]!.tried}]`).join(' ')}`);
} else console.log(TORCH_SETUP);
console.log('GFLOP/s counts the matrix products per trained character: forward 2·(G·H·H recurrent + V·H read-out + G·H·H input ' +
  'of each layer above the first), the first layer\'s one-hot input being a gather; backward twice the forward; G gate blocks ' +
  `(rnn 1, gru 3, lstm 4). Per char: ${KEYS.map((k) => {
    const m = MODELS[k];
    return `${m.cell}${m.layers > 1 ? ` x${m.layers}` : ''} h${m.hidden} ${Math.round(flopsPerChar({ cell: m.cell, hiddenSize: m.hidden, layers: m.layers, vocabSize }) / 1000)}k`;
  }).filter((s, i, all) => all.indexOf(s) === i).join(', ')} (V = ${vocabSize}).`);
console.log(`WebAssembly SIMD ceiling on one core (256×256 by 256×32 matmul, ${wasmKernels.name}): ${ceiling.toFixed(2)} GFLOP/s ` +
  `(${ceilingCpu.toFixed(2)} per CPU-second); ${cores} cores: ${(ceiling * cores).toFixed(2)}`);

const sampling = speedOnly ? [] : [benchSampling(corpus, Math.min(seconds, 5), true), benchSampling(corpus, Math.min(seconds, 5))];
for (const r of sampling) console.log(r.system.padEnd(82) + String(r.chars_per_s).padStart(9) + ''.padStart(18) + shown(ratio(r.chars_per_s, ref?.chars_per_s)).padStart(10));
const memory = speedOnly ? null : benchMemory(root, corpus);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
if (memory) {
  console.log(memory.peakBytes === null
    ? `memory, ${mb(memory.corpusBytes)} corpus: ${memory.note}`
    : `memory, training on a generated ${mb(memory.corpusBytes)} corpus (CLI, batch 32, every core): peak RSS ${mb(memory.peakBytes)}, ` +
      `goal < 3 × corpus + 200 MiB = ${mb(memory.limitBytes)} (${(memory.peakBytes / memory.limitBytes).toFixed(2)} of it), ${memory.seconds} s from start to end`);
}

// The honest quality table (bench/quality.ts; `npm run bench:quality` for the full set): every preset and Auto on two
// texts of different kinds and sizes, 3 seeds each, a short budget so the bench stays near ten minutes of it. Each
// run is the CLI's own path; the last 10% of each text neither trained nor chose the model it scores.
const qualityOptions = { ...DEFAULT_QUALITY, seconds: 15, texts: ['kafka-story', 'gpl-3'], presets: [...PRESETS.map((p) => p.name), 'auto', TORCH_RIVAL], seeds: 3 };
const quality = speedOnly ? [] : (console.error(qualityHeader(qualityOptions)), runQualityBench(qualityOptions, (line) => console.error(line)));
if (speedOnly) console.log('quality table, sampling and memory: skipped (--speed-only)');
else {
  console.log(`\n${qualityHeader(qualityOptions)}`);
  for (const row of quality) console.log(formatRow(row));
}
const kafkaBest = quality.find((r) => r.text === 'kafka-story' && r.preset === 'gru-128-cosine' && r.runs.length > 0);

const round = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
const vsTorch = (k: ModelKey) => round(ratio(cli[k]?.chars_per_s, torch[k]?.chars_per_s ?? undefined));
// the 256-wide rows against the ceiling on every core: the share of the SIMD peak the training reaches
const ofCeiling = (k: ModelKey) => round(cli[k]?.gflops ? cli[k]!.gflops! / (ceiling * cores) : null);
console.log(JSON.stringify({
  load: loadBefore,
  seed_vs_torch: vsTorch('seed'),
  rnn100_b32_vs_torch: vsTorch('rnn32'),
  lstm256_b32_vs_torch: vsTorch('lstm256'),
  gru256_b32_vs_torch: vsTorch('gru256'),
  lstm512x2_b32_vs_torch: vsTorch('lstm512x2'),
  lstm256_b32_of_ceiling: ofCeiling('lstm256'),
  gru256_b32_of_ceiling: ofCeiling('gru256'),
  seed_vs_numpy: round(ratio(cli.seed?.chars_per_s, ref?.chars_per_s)),
  rnn100_b32_threads_vs_one: round(ratio(cli.rnn32?.chars_per_s, rnn32OneThread?.chars_per_s)),
  sampling_chars_per_s: sampling[1]?.chars_per_s ?? null,
  memory_peak_vs_goal: memory?.peakBytes ? round(memory.peakBytes / memory.limitBytes) : null,
  gru128_cosine_kafka_held_out_nats_15s: kafkaBest ? Math.round(kafkaBest.runs.reduce((a, r) => a + r.heldOutNats, 0) / kafkaBest.runs.length * 1e4) / 1e4 : null,
}));

// npm run bench [-- SECONDS]: the engine against the seed's numpy reference on the seed's corpus,
// each run in turn on the same machine, reported as a ratio.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchTraining, type SpeedResult } from './train-speed.js';
import { kernelGflops } from './kernels-ceiling.js';
import { benchSampling } from './sample-speed.js';
import { wasmKernels } from '../core/kernels/wasm.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const corpus = `${root}../shared/corpora/kafka.txt`;
const reference = `${root}../shared/reference/seed_rnn.py`;
const seconds = Number(process.argv[2] ?? 20);

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

// The one-core ceiling: the best of the three matmul forms for a 256×256 weight by 256×32
// activations, measured before and after the rows (the better of the two: load only lowers it).
function measureCeiling(): { wall: number; cpu: number } {
  const forms = (['matmulABt', 'matmulAB', 'matmulAtB'] as const).map((f) => kernelGflops(wasmKernels, f, 500));
  return { wall: Math.max(...forms.map((g) => g.wall)), cpu: Math.max(...forms.map((g) => g.cpu)) };
}
const ceilingBefore = measureCeiling();

const rows: SpeedResult[] = [];
const ref = numpySeed();
if (ref) rows.push(ref);
rows.push(benchTraining(corpus, seconds, { tsKernels: true }));
rows.push(benchTraining(corpus, seconds));
rows.push(benchTraining(corpus, seconds, { batchSize: 32 }));
rows.push(benchTraining(corpus, seconds, { cell: 'lstm', hiddenSize: 256, batchSize: 32, learningRate: 0.05 }));
rows.push(benchTraining(corpus, seconds, { cell: 'gru', hiddenSize: 256, batchSize: 32, learningRate: 0.05 }));
const sampling = [benchSampling(corpus, Math.min(seconds, 5), true), benchSampling(corpus, Math.min(seconds, 5))];
const ceilingAfter = measureCeiling();
const ceiling = { wall: Math.max(ceilingBefore.wall, ceilingAfter.wall), cpu: Math.max(ceilingBefore.cpu, ceilingAfter.cpu) };

console.log(`\nTraining speed on kafka.txt, ${seconds} s each (chars/s = iterations × seqLength × batch / seconds)`);
console.log('system'.padEnd(44) + 'chars/s'.padStart(10) + '  vs numpy'.padStart(10) + '  GFLOP/s'.padStart(10) +
  '  chars/cpu-s'.padStart(13) + '  vs numpy'.padStart(10) + '  GFLOP/cpu-s'.padStart(13) + '  smooth loss/char'.padStart(18));
for (const r of rows) {
  const ratio = ref ? (r.chars_per_s / ref.chars_per_s).toFixed(2) + '×' : 'n/a';
  const gflops = r.gflops === undefined ? '' : r.gflops.toFixed(2);
  const cpu = r.cpu_chars_per_s === undefined ? '' : String(r.cpu_chars_per_s);
  const cpuRatio = ref?.cpu_chars_per_s && r.cpu_chars_per_s ? (r.cpu_chars_per_s / ref.cpu_chars_per_s).toFixed(2) + '×' : '';
  console.log(r.system.padEnd(44) + String(r.chars_per_s).padStart(10) + ratio.padStart(10) + gflops.padStart(10) +
    cpu.padStart(13) + cpuRatio.padStart(10) + (r.cpu_gflops?.toFixed(2) ?? '').padStart(13) + r.smooth_loss_per_char.toFixed(4).padStart(18));
}
for (const r of sampling) console.log(r.system.padEnd(44) + String(r.chars_per_s).padStart(10) + ''.padStart(20) + String(r.cpu_chars_per_s).padStart(13));
console.log(`WebAssembly SIMD ceiling on one core (256×256 by 256×32 matmul): ${ceiling.wall.toFixed(2)} GFLOP/s ` +
  `(${ceiling.cpu.toFixed(2)} per CPU-second)`);
// Last line: the ratios against numpy (wall-clock, and per CPU-second), as JSON.
const ratios: Record<string, number | null> = {};
for (const r of rows.filter((row) => row !== ref)) {
  ratios[r.system] = ref ? Math.round((r.chars_per_s / ref.chars_per_s) * 100) / 100 : null;
  ratios[`${r.system} per CPU-second`] = ref?.cpu_chars_per_s && r.cpu_chars_per_s ? Math.round((r.cpu_chars_per_s / ref.cpu_chars_per_s) * 100) / 100 : null;
}
const samplingCharsPerS = Object.fromEntries(sampling.map((r) => [r.system, { wall: r.chars_per_s, cpu: r.cpu_chars_per_s }]));
console.log(JSON.stringify({ ratios_vs_numpy: ratios, sampling_chars_per_s: samplingCharsPerS, ceiling_gflops: ceiling, seconds }));

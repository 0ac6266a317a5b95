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

function numpySeed(): SpeedResult | null {
  if (!existsSync(reference)) return null;
  const r = spawnSync('python3', [reference, 'bench', corpus, String(seconds)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`bench: the numpy reference did not run (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const rows: SpeedResult[] = [];
const ref = numpySeed();
if (ref) rows.push(ref);
rows.push(benchTraining(corpus, seconds, { tsKernels: true }));
rows.push(benchTraining(corpus, seconds));
rows.push(benchTraining(corpus, seconds, { batchSize: 32 }));
rows.push(benchTraining(corpus, seconds, { cell: 'lstm', hiddenSize: 256, batchSize: 32, learningRate: 0.05 }));
rows.push(benchTraining(corpus, seconds, { cell: 'gru', hiddenSize: 256, batchSize: 32, learningRate: 0.05 }));
const sampling = [benchSampling(corpus, Math.min(seconds, 5), true), benchSampling(corpus, Math.min(seconds, 5))];
// The one-core ceiling: the best of the three matmul forms for a 256×256 weight by 256×32 activations.
const ceiling = Math.max(...(['matmulABt', 'matmulAB', 'matmulAtB'] as const).map((f) => kernelGflops(wasmKernels, f, 500)));

console.log(`\nTraining speed on kafka.txt, ${seconds} s each (chars/s = iterations × seqLength × batch / seconds)`);
console.log('system'.padEnd(44) + 'chars/s'.padStart(10) + '  vs numpy'.padStart(10) + '  GFLOP/s'.padStart(10) + '  smooth loss/char'.padStart(18));
for (const r of rows) {
  const ratio = ref ? (r.chars_per_s / ref.chars_per_s).toFixed(2) + '×' : 'n/a';
  const gflops = r.gflops === undefined ? '' : r.gflops.toFixed(2);
  console.log(r.system.padEnd(44) + String(r.chars_per_s).padStart(10) + ratio.padStart(10) + gflops.padStart(10) + r.smooth_loss_per_char.toFixed(4).padStart(18));
}
for (const r of sampling) console.log(r.system.padEnd(44) + String(r.chars_per_s).padStart(10));
console.log(`WebAssembly SIMD ceiling on one core (256×256 by 256×32 matmul): ${ceiling.toFixed(2)} GFLOP/s`);

// The PyTorch rows of `npm run bench`, where python3 has torch: the same models (bench/torch_rnn.py),
// one thread, in the same run. Where it is absent, say how to set up the fair reference and skip.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SpeedResult } from './train-speed.js';

const script = fileURLToPath(new URL('./torch_rnn.py', import.meta.url));
/** The interpreter: python3, or BENCH_PYTHON (for instance a wrapper that sets OpenBLAS up as below). */
const python = process.env.BENCH_PYTHON ?? 'python3';

export const TORCH_SETUP = [
  'PyTorch rows skipped: `python3 -c "import torch"` fails here. To add them (../shared/TOOLCHAIN.md):',
  '  apt-get install -y python3-torch',
  '  apt-get download libopenblas0-pthread && dpkg-deb -x libopenblas0-pthread_*.deb /opt/openblas',
  '  then run the bench with the tuned BLAS, one thread:',
  '  LD_LIBRARY_PATH=/opt/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread OPENBLAS_CORETYPE=SkylakeX \\',
  '    OPENBLAS_NUM_THREADS=1 npm run bench',
  '  (Debian\'s torch alone links the reference BLAS, about 8× slower: not a fair rival.)',
].join('\n');

export function torchAvailable(): boolean {
  return spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

export function benchTorch(corpus: string, seconds: number, cell: string, hidden: number, batch: number, lr: number): SpeedResult | null {
  const r = spawnSync(python, [script, corpus, String(seconds), cell, String(hidden), String(batch), String(lr)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`bench: the PyTorch ${cell} row did not run (${(r.stderr || '').trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

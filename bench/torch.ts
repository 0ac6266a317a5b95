// The PyTorch rows of `npm run bench`, where a python3 has torch: the same models (bench/torch_rnn.py), each
// given its best thread setting found in this run (1 or 2 torch threads × 1 or 2 OpenBLAS threads, the
// fastest kept). Where torch is absent, say how to set up the fair reference and skip.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SpeedResult } from './train-speed.js';

const script = fileURLToPath(new URL('./torch_rnn.py', import.meta.url));

export const TORCH_SETUP = [
  'PyTorch rows skipped: no python3 here imports torch (BENCH_PYTHON, python3, /usr/bin/python3 tried). To add them (../shared/TOOLCHAIN.md):',
  '  apt-get install -y python3-torch',
  '  apt-get download libopenblas0-pthread && dpkg-deb -x libopenblas0-pthread_*.deb /opt/openblas',
  '  then run the bench with the tuned BLAS (the thread settings are tried by the bench itself):',
  '  LD_LIBRARY_PATH=/opt/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread OPENBLAS_CORETYPE=SkylakeX npm run bench',
  '  (SkylakeX: OpenBLAS\'s AVX-512 kernels, where the CPU has AVX-512; Debian\'s torch alone links the reference BLAS,',
  '  about 8× slower: not a fair rival.)',
].join('\n');

/** The settings tried for each row: torch's intra-op threads × OpenBLAS's threads. */
export const TORCH_SETTINGS = [[1, 1], [1, 2], [2, 1], [2, 2]] as const;

export interface TorchResult extends SpeedResult {
  setting: string;       // the winning setting
  tried: string;         // every setting's chars/s
}

let python: string | null | undefined;

/** The first interpreter that imports torch: BENCH_PYTHON, python3, Debian's /usr/bin/python3. */
export function torchPython(): string | null {
  if (python === undefined) {
    const candidates = [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
    python = candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) ?? null;
  }
  return python;
}

/** Which BLAS torch runs here: OpenBLAS's core name, or that it is another (the reference BLAS, say). */
export function torchBlas(): string {
  const py = torchPython();
  if (!py) return 'none';
  const probe = 'import torch, ctypes\n(torch.ones(64, 64) @ torch.ones(64, 64)).sum()\n' +
    'maps = [l.split()[-1] for l in open("/proc/self/maps") if "blas" in l]\n' +
    'try:\n  lib = ctypes.CDLL(next(m for m in maps if "openblas" in m)); lib.openblas_get_corename.restype = ctypes.c_char_p\n' +
    '  print("OpenBLAS " + lib.openblas_get_corename().decode())\nexcept Exception:\n  print(maps[0] if maps else "unknown BLAS")';
  const r = spawnSync(py, ['-c', probe], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown BLAS';
}

function runOnce(py: string, args: string[], torchThreads: number, blasThreads: number): SpeedResult & { setting: string } | null {
  const env = { ...process.env, TORCH_THREADS: String(torchThreads), OPENBLAS_NUM_THREADS: String(blasThreads) };
  const r = spawnSync(py, [script, ...args], { encoding: 'utf8', env });
  if (r.status !== 0) {
    console.error(`bench: a PyTorch row did not run (${(r.stderr || '').trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** Every setting for `seconds` each; the fastest, with the setting that won and what the others gave. */
export function benchTorch(corpus: string, seconds: number, cell: string, hidden: number, batch: number, lr: number,
                           layers = 1): TorchResult | null {
  const py = torchPython();
  if (!py) return null;
  const args = [corpus, String(seconds), cell, String(hidden), String(batch), String(lr), String(layers)];
  const runs = TORCH_SETTINGS.map(([t, b]) => runOnce(py, args, t, b)).filter((r) => r !== null);
  if (runs.length === 0) return null;
  const best = runs.reduce((a, b) => (b.chars_per_s > a.chars_per_s ? b : a));
  return { ...best, tried: runs.map((r) => `${r.setting.replace(/ torch threads?, OPENBLAS_NUM_THREADS=/, 't/')}b ${r.chars_per_s}`).join('; ') };
}

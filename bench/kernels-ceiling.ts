// GFLOP/s of the matrix kernels on one core for the product the issue names: a 256×256 weight by
// 256×32 activations, in each of the three forms the engine uses. The best is the ceiling the
// training rows are compared against.
import { loopKernels } from '../core/kernels/loops.js';
import { wasmKernels } from '../core/kernels/wasm.js';
import type { Kernels } from '../core/kernels/kernels.js';
import type { FloatArray } from '../core/tensor.js';

type Form = 'matmulABt' | 'matmulAB' | 'matmulAtB';
const SHAPES: Record<Form, [number, number, number]> = { matmulABt: [32, 256, 256], matmulAB: [32, 256, 256], matmulAtB: [256, 256, 32] };

/** GFLOP/s of one form, per wall-clock second and per CPU-second of this process. */
export function kernelGflops(k: Kernels, form: Form, ms = 300): { wall: number; cpu: number } {
  const [M, N, K] = SHAPES[form];
  const arena = k.createArena?.(M * N + M * K + K * N + 64) ?? null;
  const alloc = (n: number): FloatArray => (arena ? arena.floats(n) : new Float32Array(n));
  const out = alloc(M * N), a = alloc(form === 'matmulAtB' ? K * M : M * K), b = alloc(form === 'matmulABt' ? N * K : K * N);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i) * 0.01;
  for (let i = 0; i < b.length; i++) b[i] = Math.cos(i) * 0.01;
  for (let i = 0; i < 20; i++) k[form](out, a, b, M, N, K);
  let n = 0;
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  while (performance.now() - t0 < ms) { for (let i = 0; i < 10; i++) k[form](out, a, b, M, N, K); n += 10; }
  const cpu = process.cpuUsage(cpu0), flop = 2 * M * N * K * n;
  return { wall: flop / ((performance.now() - t0) * 1e6), cpu: flop / ((cpu.user + cpu.system) * 1e3) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const k of [loopKernels, wasmKernels]) {
    for (const form of Object.keys(SHAPES) as Form[]) { const g = kernelGflops(k, form); console.log(k.name, form, g.wall.toFixed(2), 'GFLOP/s,', g.cpu.toFixed(2), 'per CPU-second'); }
  }
}

// The few hot kernels of the engine behind one small interface, so faster versions (unrolled JS,
// WebAssembly SIMD) can slot in and be held equal to the reference ones by tests.
import type { FloatArray } from '../tensor.js';
import type { Arena } from './arena.js';

export interface Kernels {
  readonly name: string;
  /** out[M,N] += a[M,K] · b[N,K]ᵀ   (activations times a weight matrix stored [out, in]) */
  matmulABt(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void;
  /** out[M,N] += a[M,K] · b[K,N]    (gradient wrt inputs: dPre · W) */
  matmulAB(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void;
  /** out[M,N] += a[K,M]ᵀ · b[K,N]   (weight gradients: dPreᵀ · inputs, summed over rows) */
  matmulAtB(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void;
  /**
   * Kernels that work inside WebAssembly memory hand out an arena of this many floats for a
   * network's buffers (null when the runtime cannot run them); the plain kernels have none.
   */
  createArena?(floats: number): Arena | null;
}

// The plain matrix kernels: the definition every faster kernel is tested against.
// All matrices are row-major; every kernel accumulates into out (+=), as backward passes need.
import type { FloatArray } from '../tensor.js';
import type { Kernels } from './kernels.js';

/** out[M,N] += a[M,K] · b[N,K]ᵀ */
function matmulABt(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += a[m * K + k] * b[n * K + k];
      out[m * N + n] += sum;
    }
  }
}

/** out[M,N] += a[M,K] · b[K,N] */
function matmulAB(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += a[m * K + k] * b[k * N + n];
      out[m * N + n] += sum;
    }
  }
}

/** out[M,N] += a[K,M]ᵀ · b[K,N] */
function matmulAtB(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let sum = 0;
      for (let k = 0; k < K; k++) sum += a[k * M + m] * b[k * N + n];
      out[m * N + n] += sum;
    }
  }
}

export const referenceKernels: Kernels = Object.freeze({ name: 'reference', matmulABt, matmulAB, matmulAtB });

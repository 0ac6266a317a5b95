// Cache-friendly plain-JavaScript kernels: the default. Loop orders keep the innermost loop on
// contiguous memory, and dot products are unrolled by four to give V8 independent accumulators.
import type { FloatArray } from '../tensor.js';
import type { Kernels } from './kernels.js';

function matmulABt(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
  const K4 = K - (K % 4);
  for (let m = 0; m < M; m++) {
    const ao = m * K;
    for (let n = 0; n < N; n++) {
      const bo = n * K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let k = 0;
      for (; k < K4; k += 4) {
        s0 += a[ao + k] * b[bo + k];
        s1 += a[ao + k + 1] * b[bo + k + 1];
        s2 += a[ao + k + 2] * b[bo + k + 2];
        s3 += a[ao + k + 3] * b[bo + k + 3];
      }
      for (; k < K; k++) s0 += a[ao + k] * b[bo + k];
      out[m * N + n] += (s0 + s1) + (s2 + s3);
    }
  }
}

function matmulAB(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
  // i-k-j order: the inner loop streams a row of b into a row of out.
  for (let m = 0; m < M; m++) {
    const oo = m * N;
    for (let k = 0; k < K; k++) {
      const av = a[m * K + k];
      if (av === 0) continue;
      const bo = k * N;
      for (let n = 0; n < N; n++) out[oo + n] += av * b[bo + n];
    }
  }
}

function matmulAtB(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
  // Sum of outer products a[k,:]ᵀ b[k,:]: the inner loop streams a row of b into a row of out.
  for (let k = 0; k < K; k++) {
    const ao = k * M, bo = k * N;
    for (let m = 0; m < M; m++) {
      const av = a[ao + m];
      if (av === 0) continue;
      const oo = m * N;
      for (let n = 0; n < N; n++) out[oo + n] += av * b[bo + n];
    }
  }
}

export const loopKernels: Kernels = Object.freeze({ name: 'loops', matmulABt, matmulAB, matmulAtB });

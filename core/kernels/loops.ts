// Cache-friendly plain-JavaScript kernels: the default. Loop orders keep the innermost loop on
// contiguous memory, and dot products are unrolled by four to give V8 independent accumulators.
import type { FloatArray } from '../tensor.js';
import type { Kernels } from './kernels.js';

function matmulABt(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
  // Two rows of a against one row of b at a time: each load of b feeds two dot products.
  const M2 = M - (M % 2);
  let m = 0;
  for (; m < M2; m += 2) {
    const a0 = m * K, a1 = a0 + K;
    for (let n = 0; n < N; n++) {
      const bo = n * K;
      let s0 = 0, s1 = 0, t0 = 0, t1 = 0;
      let k = 0;
      for (; k + 1 < K; k += 2) {
        const b0 = b[bo + k], b1 = b[bo + k + 1];
        s0 += a[a0 + k] * b0; s1 += a[a0 + k + 1] * b1;
        t0 += a[a1 + k] * b0; t1 += a[a1 + k + 1] * b1;
      }
      if (k < K) { s0 += a[a0 + k] * b[bo + k]; t0 += a[a1 + k] * b[bo + k]; }
      out[m * N + n] += s0 + s1;
      out[(m + 1) * N + n] += t0 + t1;
    }
  }
  for (; m < M; m++) {
    const ao = m * K;
    for (let n = 0; n < N; n++) {
      const bo = n * K;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let k = 0;
      for (; k + 3 < K; k += 4) {
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
  // i-k-j order, four k at a time: each pass streams four rows of b into one row of out, so out
  // is read and written once per four products instead of once per product.
  const K4 = K - (K % 4);
  for (let m = 0; m < M; m++) {
    const oo = m * N, ao = m * K;
    let k = 0;
    for (; k < K4; k += 4) {
      const a0 = a[ao + k], a1 = a[ao + k + 1], a2 = a[ao + k + 2], a3 = a[ao + k + 3];
      const b0 = k * N, b1 = b0 + N, b2 = b1 + N, b3 = b2 + N;
      for (let n = 0; n < N; n++) out[oo + n] += a0 * b[b0 + n] + a1 * b[b1 + n] + a2 * b[b2 + n] + a3 * b[b3 + n];
    }
    for (; k < K; k++) {
      const av = a[ao + k], bo = k * N;
      for (let n = 0; n < N; n++) out[oo + n] += av * b[bo + n];
    }
  }
}

function matmulAtB(out: FloatArray, a: FloatArray, b: FloatArray, M: number, N: number, K: number): void {
  // A sum of outer products a[k,:]ᵀ b[k,:], four k at a time for the same reason as above.
  const K4 = K - (K % 4);
  let k = 0;
  for (; k < K4; k += 4) {
    const a0 = k * M, a1 = a0 + M, a2 = a1 + M, a3 = a2 + M;
    const b0 = k * N, b1 = b0 + N, b2 = b1 + N, b3 = b2 + N;
    for (let m = 0; m < M; m++) {
      const x0 = a[a0 + m], x1 = a[a1 + m], x2 = a[a2 + m], x3 = a[a3 + m];
      const oo = m * N;
      for (let n = 0; n < N; n++) out[oo + n] += x0 * b[b0 + n] + x1 * b[b1 + n] + x2 * b[b2 + n] + x3 * b[b3 + n];
    }
  }
  for (; k < K; k++) {
    const ao = k * M, bo = k * N;
    for (let m = 0; m < M; m++) {
      const av = a[ao + m], oo = m * N;
      for (let n = 0; n < N; n++) out[oo + n] += av * b[bo + n];
    }
  }
}

export const loopKernels: Kernels = Object.freeze({ name: 'loops', matmulABt, matmulAB, matmulAtB });

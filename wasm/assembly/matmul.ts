// The matrix products (wasm/assembly/index.ts exports them and runs them inside its fused steps):
// every one accumulates into out (+=), matrices row-major, pointers byte offsets, sizes float counts.

// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** [Σa, Σb, Σc, Σd] of four vectors. */
// @ts-ignore: decorator
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7)); // [a0+a2, b0+b2, a1+a3, b1+b3]
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}


/**
 * c + a·b, the product rounded first, in both modules: for gemmRow (one row of out), whose six sums in
 * flight wait on a fused multiply-add's longer latency (the seed's model measured no faster fused).
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * c + a·b for matmulABt and gemmPanel's blocks of two or four rows. The plain-SIMD module rounds the
 * product first; the relaxed one (built with relaxed-simd enabled) uses relaxed_madd, one fused
 * multiply-add where the CPU has FMA. Training through the CLI (two threads, kafka-story.txt) measured
 * fusing the gemm blocks too 12% faster on GRU-256 batch 32 and 8% on LSTM-256 batch 32 (wall, medians
 * of 5 and 4 paired runs); an earlier measurement on one thread had found it ~10% slower in matmulAtB.
 * Each module is deterministic on its own; the two differ in the last bits.
 */
// @ts-ignore: decorator
@inline function maddDot(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** out[M,N] += a[M,K] · b[N,K]ᵀ : dot products along K, a 2×4 block of them at a time. */
export function matmulABt(out: usize, a: usize, b: usize, M: i32, N: i32, K: i32): void {
  const K4 = K & ~3;
  const rowA = <usize>K << 2, rowO = <usize>N << 2;
  let n = 0;
  // b's rows outermost, so each block of four rows of b is read from memory once and a stays in cache.
  for (; n + 4 <= N; n += 4) {
    const b0 = b + <usize>n * rowA, b1 = b0 + rowA, b2 = b1 + rowA, b3 = b2 + rowA;
    let m = 0;
    for (; m + 2 <= M; m += 2) {
      const a0 = a + <usize>m * rowA, a1 = a0 + rowA;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o), y2 = v128.load(b2 + o), y3 = v128.load(b3 + o);
        s00 = maddDot(x0, y0, s00); s01 = maddDot(x0, y1, s01);
        s02 = maddDot(x0, y2, s02); s03 = maddDot(x0, y3, s03);
        s10 = maddDot(x1, y0, s10); s11 = maddDot(x1, y1, s11);
        s12 = maddDot(x1, y2, s12); s13 = maddDot(x1, y3, s13);
      }
      let r0 = hsum4(s00, s01, s02, s03), r1 = hsum4(s10, s11, s12, s13);
      if (K4 < K) {
        let t00: f32 = 0, t01: f32 = 0, t02: f32 = 0, t03: f32 = 0, t10: f32 = 0, t11: f32 = 0, t12: f32 = 0, t13: f32 = 0;
        for (let k = K4; k < K; k++) {
          const o = <usize>k << 2;
          const x0 = load<f32>(a0 + o), x1 = load<f32>(a1 + o);
          const y0 = load<f32>(b0 + o), y1 = load<f32>(b1 + o), y2 = load<f32>(b2 + o), y3 = load<f32>(b3 + o);
          t00 += x0 * y0; t01 += x0 * y1; t02 += x0 * y2; t03 += x0 * y3;
          t10 += x1 * y0; t11 += x1 * y1; t12 += x1 * y2; t13 += x1 * y3;
        }
        r0 = f32x4.add(r0, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t00), 1, t01), 2, t02), 3, t03));
        r1 = f32x4.add(r1, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t10), 1, t11), 2, t12), 3, t13));
      }
      const o0 = out + <usize>m * rowO + (<usize>n << 2), o1 = o0 + rowO;
      v128.store(o0, f32x4.add(v128.load(o0), r0));
      v128.store(o1, f32x4.add(v128.load(o1), r1));
    }
    for (; m < M; m++) {
      const a0 = a + <usize>m * rowA;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const x0 = v128.load(a0 + o);
        s0 = maddDot(x0, v128.load(b0 + o), s0);
        s1 = maddDot(x0, v128.load(b1 + o), s1);
        s2 = maddDot(x0, v128.load(b2 + o), s2);
        s3 = maddDot(x0, v128.load(b3 + o), s3);
      }
      let r = hsum4(s0, s1, s2, s3);
      if (K4 < K) {
        let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
        for (let k = K4; k < K; k++) {
          const o = <usize>k << 2;
          const x0 = load<f32>(a0 + o);
          t0 += x0 * load<f32>(b0 + o); t1 += x0 * load<f32>(b1 + o);
          t2 += x0 * load<f32>(b2 + o); t3 += x0 * load<f32>(b3 + o);
        }
        r = f32x4.add(r, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t0), 1, t1), 2, t2), 3, t3));
      }
      const o0 = out + <usize>m * rowO + (<usize>n << 2);
      v128.store(o0, f32x4.add(v128.load(o0), r));
    }
  }
  for (; n < N; n++) {
    const b0 = b + <usize>n * rowA;
    for (let m = 0; m < M; m++) {
      const a0 = a + <usize>m * rowA;
      let s = f32x4.splat(0);
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        s = maddDot(v128.load(a0 + o), v128.load(b0 + o), s);
      }
      let t: f32 = 0;
      for (let k = K4; k < K; k++) t += load<f32>(a0 + (<usize>k << 2)) * load<f32>(b0 + (<usize>k << 2));
      const o0 = out + <usize>m * rowO + (<usize>n << 2);
      store<f32>(o0, load<f32>(o0) + (hsum(s) + t));
    }
  }
}

/**
 * out[M,N] += Σ_k a(m,k) · b[k,N], where a(m,k) = a[m·sm + k·sk] (sm = K, sk = 1 for a[M,K];
 * sm = 1, sk = M for a[K,M]ᵀ). Vectorised along N: a 2×16 block of out lives in registers over all of K.
 */
export function gemmNN(out: usize, a: usize, sm: i32, sk: i32, b: usize, M: i32, N: i32, K: i32): void {
  // K in blocks, so the block of b's rows that a 16-column strip reads stays in the L1 cache
  // while every pair of rows of a passes over it.
  for (let k0 = 0; k0 < K; k0 += K_BLOCK) {
    gemmPanel(out, a + ((<usize>k0 * sk) << 2), sm, sk, b + ((<usize>k0 * N) << 2), M, N, min<i32>(K_BLOCK, K - k0));
  }
}

const K_BLOCK = 256;

function gemmPanel(out: usize, a: usize, sm: i32, sk: i32, b: usize, M: i32, N: i32, K: i32): void {
  const rowB = <usize>N << 2, rowO = <usize>N << 2;
  const stepM = <usize>sm << 2, stepK = <usize>sk << 2;
  if (M == 1) return gemmRow(out, a, stepK, b, rowB, N, K);
  let n = 0;
  for (; n + 16 <= N; n += 16) {
    const bn = b + (<usize>n << 2);
    let m = 0;
    for (; m + 2 <= M; m += 2) {
      let pa = a + <usize>m * stepM;
      let pb = bn;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        const x0 = v128.load32_splat(pa), x1 = v128.load32_splat(pa + stepM);
        const y0 = v128.load(pb), y1 = v128.load(pb, 16), y2 = v128.load(pb, 32), y3 = v128.load(pb, 48);
        c00 = maddDot(x0, y0, c00); c01 = maddDot(x0, y1, c01);
        c02 = maddDot(x0, y2, c02); c03 = maddDot(x0, y3, c03);
        c10 = maddDot(x1, y0, c10); c11 = maddDot(x1, y1, c11);
        c12 = maddDot(x1, y2, c12); c13 = maddDot(x1, y3, c13);
        pa += stepK; pb += rowB;
      }
      const o0 = out + <usize>m * rowO + (<usize>n << 2), o1 = o0 + rowO;
      v128.store(o0, f32x4.add(v128.load(o0), c00)); v128.store(o0, f32x4.add(v128.load(o0, 16), c01), 16);
      v128.store(o0, f32x4.add(v128.load(o0, 32), c02), 32); v128.store(o0, f32x4.add(v128.load(o0, 48), c03), 48);
      v128.store(o1, f32x4.add(v128.load(o1), c10)); v128.store(o1, f32x4.add(v128.load(o1, 16), c11), 16);
      v128.store(o1, f32x4.add(v128.load(o1, 32), c12), 32); v128.store(o1, f32x4.add(v128.load(o1, 48), c13), 48);
    }
    for (; m < M; m++) {
      let pa = a + <usize>m * stepM;
      let pb = bn;
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        const x0 = v128.load32_splat(pa);
        c0 = maddDot(x0, v128.load(pb), c0); c1 = maddDot(x0, v128.load(pb, 16), c1);
        c2 = maddDot(x0, v128.load(pb, 32), c2); c3 = maddDot(x0, v128.load(pb, 48), c3);
        pa += stepK; pb += rowB;
      }
      const o0 = out + <usize>m * rowO + (<usize>n << 2);
      v128.store(o0, f32x4.add(v128.load(o0), c0)); v128.store(o0, f32x4.add(v128.load(o0, 16), c1), 16);
      v128.store(o0, f32x4.add(v128.load(o0, 32), c2), 32); v128.store(o0, f32x4.add(v128.load(o0, 48), c3), 48);
    }
  }
  // The last N mod 16 columns: four rows at a time, so four sums are in flight instead of one.
  for (; n + 4 <= N; n += 4) {
    const bn = b + (<usize>n << 2);
    let m = 0;
    for (; m + 4 <= M; m += 4) {
      let pa = a + <usize>m * stepM;
      let pb = bn;
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        const y = v128.load(pb);
        c0 = maddDot(v128.load32_splat(pa), y, c0); c1 = maddDot(v128.load32_splat(pa + stepM), y, c1);
        c2 = maddDot(v128.load32_splat(pa + 2 * stepM), y, c2); c3 = maddDot(v128.load32_splat(pa + 3 * stepM), y, c3);
        pa += stepK; pb += rowB;
      }
      const o0 = out + <usize>m * rowO + (<usize>n << 2);
      v128.store(o0, f32x4.add(v128.load(o0), c0));
      v128.store(o0 + rowO, f32x4.add(v128.load(o0 + rowO), c1));
      v128.store(o0 + 2 * rowO, f32x4.add(v128.load(o0 + 2 * rowO), c2));
      v128.store(o0 + 3 * rowO, f32x4.add(v128.load(o0 + 3 * rowO), c3));
    }
    for (; m < M; m++) {
      let pa = a + <usize>m * stepM;
      let pb = bn;
      let c0 = f32x4.splat(0);
      for (let k = 0; k < K; k++) {
        c0 = maddDot(v128.load32_splat(pa), v128.load(pb), c0);
        pa += stepK; pb += rowB;
      }
      const o0 = out + <usize>m * rowO + (<usize>n << 2);
      v128.store(o0, f32x4.add(v128.load(o0), c0));
    }
  }
  for (; n < N; n++) {
    let m = 0;
    for (; m + 4 <= M; m += 4) {
      let pa = a + <usize>m * stepM;
      let pb = b + (<usize>n << 2);
      let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0;
      for (let k = 0; k < K; k++) {
        const y = load<f32>(pb);
        c0 += load<f32>(pa) * y; c1 += load<f32>(pa + stepM) * y;
        c2 += load<f32>(pa + 2 * stepM) * y; c3 += load<f32>(pa + 3 * stepM) * y;
        pa += stepK; pb += rowB;
      }
      const o0 = out + <usize>m * rowO + (<usize>n << 2);
      store<f32>(o0, load<f32>(o0) + c0);
      store<f32>(o0 + rowO, load<f32>(o0 + rowO) + c1);
      store<f32>(o0 + 2 * rowO, load<f32>(o0 + 2 * rowO) + c2);
      store<f32>(o0 + 3 * rowO, load<f32>(o0 + 3 * rowO) + c3);
    }
    for (; m < M; m++) {
      let pa = a + <usize>m * stepM;
      let pb = b + (<usize>n << 2);
      let c: f32 = 0;
      for (let k = 0; k < K; k++) {
        c += load<f32>(pa) * load<f32>(pb);
        pa += stepK; pb += rowB;
      }
      const o0 = out + <usize>m * rowO + (<usize>n << 2);
      store<f32>(o0, load<f32>(o0) + c);
    }
  }
}

/**
 * gemmPanel for one row of out (batch 1's recurrent backward): 24 columns at a time, so six sums are
 * in flight (the 16 columns of the two-row blocks give one row only four, which wait on the adds;
 * more than 24 spill V8's 15 vector registers). Each element sums over k in the same order as in
 * gemmPanel's blocks: the same bits.
 */
function gemmRow(out: usize, a: usize, stepK: usize, b: usize, rowB: usize, N: i32, K: i32): void {
  let n = 0;
  for (; n + 24 <= N; n += 24) rowStrip(out + (<usize>n << 2), a, stepK, b + (<usize>n << 2), rowB, K, 6);
  if (n + 16 <= N) { rowStrip(out + (<usize>n << 2), a, stepK, b + (<usize>n << 2), rowB, K, 4); n += 16; }
  if (n + 8 <= N) { rowStrip(out + (<usize>n << 2), a, stepK, b + (<usize>n << 2), rowB, K, 2); n += 8; }
  if (n + 4 <= N) { rowStrip(out + (<usize>n << 2), a, stepK, b + (<usize>n << 2), rowB, K, 1); n += 4; }
  for (; n < N; n++) {
    let pa = a, pb = b + (<usize>n << 2);
    let c: f32 = 0;
    for (let k = 0; k < K; k++) {
      c += load<f32>(pa) * load<f32>(pb);
      pa += stepK; pb += rowB;
    }
    const o = out + (<usize>n << 2);
    store<f32>(o, load<f32>(o) + c);
  }
}

/** One row × 4·W columns (W ≤ 6, a constant after inlining) of out, in registers over K. */
// @ts-ignore: decorator
@inline function rowStrip(o: usize, pa: usize, stepK: usize, pb: usize, rowB: usize, K: i32, W: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0), c4 = f32x4.splat(0), c5 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const x = v128.load32_splat(pa);
    c0 = madd(x, v128.load(pb), c0);
    if (W > 1) c1 = madd(x, v128.load(pb, 16), c1);
    if (W > 2) { c2 = madd(x, v128.load(pb, 32), c2); c3 = madd(x, v128.load(pb, 48), c3); }
    if (W > 4) { c4 = madd(x, v128.load(pb, 64), c4); c5 = madd(x, v128.load(pb, 80), c5); }
    pa += stepK; pb += rowB;
  }
  v128.store(o, f32x4.add(v128.load(o), c0));
  if (W > 1) v128.store(o, f32x4.add(v128.load(o, 16), c1), 16);
  if (W > 2) { v128.store(o, f32x4.add(v128.load(o, 32), c2), 32); v128.store(o, f32x4.add(v128.load(o, 48), c3), 48); }
  if (W > 4) { v128.store(o, f32x4.add(v128.load(o, 64), c4), 64); v128.store(o, f32x4.add(v128.load(o, 80), c5), 80); }
}

/** out[M,N] += a[M,K] · b[K,N] */
export function matmulAB(out: usize, a: usize, b: usize, M: i32, N: i32, K: i32): void {
  gemmNN(out, a, K, 1, b, M, N, K);
}

// Scratch for matmulAtB's packed panels, inside the page the host reserves below every buffer
// (the module's own data ends near 8 KB).
const PACK: usize = 16384;
const PACK_ROWS = 2048; // rows of a [K, 4] panel: 32 KB

/**
 * out[M,N] += a[K,M]ᵀ · b[K,N]. Reading a's columns directly strides by M floats per k, which
 * aliases in the cache when M is a power of two; so four columns at a time are copied into a
 * contiguous [K, 4] panel (in chunks of PACK_ROWS) and multiplied from there.
 */
export function matmulAtB(out: usize, a: usize, b: usize, M: i32, N: i32, K: i32): void {
  const rowA = <usize>M << 2, rowB = <usize>N << 2;
  for (let m0 = 0; m0 < M; m0 += 4) {
    const mw = min<i32>(4, M - m0);
    for (let k0 = 0; k0 < K; k0 += PACK_ROWS) {
      const kc = min<i32>(PACK_ROWS, K - k0);
      let src = a + <usize>k0 * rowA + (<usize>m0 << 2);
      if (mw == 4) {
        for (let k = 0; k < kc; k++) {
          v128.store(PACK + (<usize>k << 4), v128.load(src));
          src += rowA;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let i = 0; i < mw; i++) store<f32>(PACK + (<usize>k << 4) + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
          src += rowA;
        }
      }
      gemmNN(out + <usize>m0 * rowB, PACK, 1, 4, b + <usize>k0 * rowB, mw, N, kc);
    }
  }
}

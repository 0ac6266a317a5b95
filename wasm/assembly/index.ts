// The engine's WebAssembly SIMD kernels (AssemblyScript; `npm run build:wasm` compiles this file
// into core/kernels/wasm-bytes.ts). Not TypeScript for tsc: this folder is outside tsconfig.json.
//
// Every buffer is float32 in the instance's imported linear memory; every pointer is a byte
// offset, every size a count of floats. Matrices are row-major, as in core/kernels/reference.ts,
// and every matmul accumulates into out (+=). The fused steps below mirror core/cells/*.ts and
// core/network.ts line for line; their tests hold them equal to the TypeScript oracle.

// ---------------------------------------------------------------------------------------------
// Vector math. WebAssembly has no exp or tanh instruction: Cephes' expf (polynomial on
// [−ln2/2, ln2/2] times 2^n) and tanhf (odd polynomial below 0.625, 1 − 2/(e^{2x}+1) above).

const EXP_HI: f32 = 88.0;  // e^88 ≈ 1.65e38 stays finite; 2^n's exponent field stays in range
const EXP_LO: f32 = -86.0; // e^-86 ≈ 4.4e-38 stays a normal float

// @ts-ignore: decorator
@inline function vexp(x: v128): v128 {
  // pmax/pmin (one instruction each) keep x when it is NaN, so NaN flows through
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

// @ts-ignore: decorator
@inline function vtanh(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const ax = f32x4.abs(x);
  const e = vexp(f32x4.add(ax, ax));
  let big = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
  big = v128.bitselect(big, x, i32x4.splat(0x7fffffff)); // |big| with x's sign
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(x, z), p));
  return v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.625)));
}

// @ts-ignore: decorator
@inline function vsigmoid(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

// Scalar forms run the same vector code on one lane, so tails give the same bits as bodies.
function tanhf(x: f32): f32 { return f32x4.extract_lane(vtanh(f32x4.splat(x)), 0); }
function sigmoidf(x: f32): f32 { return f32x4.extract_lane(vsigmoid(f32x4.splat(x)), 0); }
function expf(x: f32): f32 { return f32x4.extract_lane(vexp(f32x4.splat(x)), 0); }

/** out[i] = f(x[i]) for n floats: 0 exp, 1 tanh, 2 sigmoid (the approximations, for tests). */
export function mapApprox(out: usize, x: usize, n: i32, f: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    v128.store(out + (<usize>i << 2), f == 0 ? vexp(v) : f == 1 ? vtanh(v) : vsigmoid(v));
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    store<f32>(out + (<usize>i << 2), f == 0 ? expf(v) : f == 1 ? tanhf(v) : sigmoidf(v));
  }
}

// ---------------------------------------------------------------------------------------------
// Matrix products (a file of their own: wasm/assembly/matmul.ts).

import { gemmNN, hsum, matmulABt } from './matmul';
export { matmulABt, matmulAB, matmulAtB } from './matmul';

// ---------------------------------------------------------------------------------------------
// Element-wise helpers.

/** Each of rows rows of out[rows, N] = bias[N]. */
export function fillRows(out: usize, bias: usize, rows: i32, N: i32): void {
  const bytes = <usize>N << 2;
  for (let r = 0; r < rows; r++) memory.copy(out + <usize>r * bytes, bias, bytes);
}

/** g[N] += Σ_r d[r, N] (bias gradients). */
export function addRowSums(g: usize, d: usize, rows: i32, N: i32): void {
  const rowD = <usize>N << 2;
  let j = 0;
  for (; j + 4 <= N; j += 4) {
    const o = <usize>j << 2;
    let s = v128.load(g + o);
    for (let r = 0; r < rows; r++) s = f32x4.add(s, v128.load(d + <usize>r * rowD + o));
    v128.store(g + o, s);
  }
  for (; j < N; j++) {
    const o = <usize>j << 2;
    let s = load<f32>(g + o);
    for (let r = 0; r < rows; r++) s += load<f32>(d + <usize>r * rowD + o);
    store<f32>(g + o, s);
  }
}

/** dst[N, M] = src[M, N]ᵀ */
export function transpose(dst: usize, src: usize, M: i32, N: i32): void {
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) store<f32>(dst + ((<usize>n * M + m) << 2), load<f32>(src + ((<usize>m * N + n) << 2)));
  }
}

/**
 * The one-hot first layer: xproj[r, j] = bx[j] + Wx[j, ix_r] for Wx [GH, V]. Many rows gather
 * from a transposed copy (rows of WxT are contiguous; scratch holds V·GH floats); few rows read
 * the columns directly. Both give the same bits.
 */
export function embedRows(xproj: usize, bx: usize, Wx: usize, inputs: usize, rows: i32, GH: i32, V: i32, scratch: usize): void {
  const rowX = <usize>GH << 2;
  if (rows * 2 > V) {
    transpose(scratch, Wx, GH, V);
    for (let r = 0; r < rows; r++) {
      const src = scratch + <usize>load<i32>(inputs + (<usize>r << 2)) * rowX, dst = xproj + <usize>r * rowX;
      let j = 0;
      for (; j + 4 <= GH; j += 4) {
        const o = <usize>j << 2;
        v128.store(dst + o, f32x4.add(v128.load(bx + o), v128.load(src + o)));
      }
      for (; j < GH; j++) {
        const o = <usize>j << 2;
        store<f32>(dst + o, load<f32>(bx + o) + load<f32>(src + o));
      }
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const col = Wx + (<usize>load<i32>(inputs + (<usize>r << 2)) << 2), dst = xproj + <usize>r * rowX;
      const stride = <usize>V << 2;
      for (let j = 0; j < GH; j++) {
        store<f32>(dst + (<usize>j << 2), load<f32>(bx + (<usize>j << 2)) + load<f32>(col + <usize>j * stride));
      }
    }
  }
}

/**
 * The gradient of embedRows: gWx[j, ix_r] += dX[r, j], in row order for every (j, ix). Many rows add
 * into a transposed copy (scratch, V·GH floats: contiguous rows, four at a time) that is then written
 * back; few rows add into the columns directly. Every element gets the same additions in the same
 * order either way: the same bits.
 */
export function embedBackward(gWx: usize, dX: usize, inputs: usize, rows: i32, GH: i32, V: i32, scratch: usize): void {
  const rowX = <usize>GH << 2, stride = <usize>V << 2;
  if (rows > 3 * V) { // two transposes of V·GH cost less than the strided adds they replace
    transpose(scratch, gWx, GH, V);
    for (let r = 0; r < rows; r++) {
      const dst = scratch + <usize>load<i32>(inputs + (<usize>r << 2)) * rowX, src = dX + <usize>r * rowX;
      let j = 0;
      for (; j + 4 <= GH; j += 4) {
        const o = <usize>j << 2;
        v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
      }
      for (; j < GH; j++) {
        const o = <usize>j << 2;
        store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
      }
    }
    transpose(gWx, scratch, V, GH);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const col = gWx + (<usize>load<i32>(inputs + (<usize>r << 2)) << 2), src = dX + <usize>r * rowX;
    for (let j = 0; j < GH; j++) {
      const p = col + <usize>j * stride;
      store<f32>(p, load<f32>(p) + load<f32>(src + (<usize>j << 2)));
    }
  }
}

let softmaxSum: f32 = 0; // Σ exp of the last softmaxRow, before normalising

/** Softmax of y[V] / temperature in place; returns the max and leaves Σ exp in softmaxSum. */
function softmaxRow(y: usize, V: i32, invTemp: f32): f32 {
  let vmax = f32x4.splat(-Infinity);
  let v = 0;
  for (; v + 4 <= V; v += 4) vmax = f32x4.pmax(vmax, v128.load(y + (<usize>v << 2)));
  let mx = max<f32>(max<f32>(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)),
                     max<f32>(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  for (; v < V; v++) mx = max<f32>(mx, load<f32>(y + (<usize>v << 2)));
  const vm = f32x4.splat(mx), vt = f32x4.splat(invTemp);
  let vsum = f32x4.splat(0);
  v = 0;
  for (; v + 4 <= V; v += 4) {
    const p = y + (<usize>v << 2);
    const e = vexp(f32x4.mul(f32x4.sub(v128.load(p), vm), vt));
    v128.store(p, e);
    vsum = f32x4.add(vsum, e);
  }
  let sum = hsum(vsum);
  for (; v < V; v++) {
    const p = y + (<usize>v << 2);
    const e = expf((load<f32>(p) - mx) * invTemp);
    store<f32>(p, e);
    sum += e;
  }
  softmaxSum = sum;
  const inv = f32x4.splat(<f32>1.0 / sum);
  v = 0;
  for (; v + 4 <= V; v += 4) {
    const p = y + (<usize>v << 2);
    v128.store(p, f32x4.mul(v128.load(p), inv));
  }
  for (; v < V; v++) {
    const p = y + (<usize>v << 2);
    store<f32>(p, load<f32>(p) * (<f32>1.0 / sum));
  }
  return mx;
}

/** Softmax + cross-entropy of rows of logits; returns Σ_r −log p_r[target_r]. */
export function softmaxLoss(logits: usize, targets: usize, rows: i32, V: i32): f64 {
  let loss: f64 = 0;
  const rowL = <usize>V << 2;
  for (let r = 0; r < rows; r++) {
    const y = logits + <usize>r * rowL;
    const target = load<i32>(targets + (<usize>r << 2));
    const yt = load<f32>(y + (<usize>target << 2));
    const max = softmaxRow(y, V, 1.0);
    loss += Math.log(<f64>softmaxSum) - (<f64>yt - <f64>max);
  }
  return loss;
}

/** Softmax of one row with a temperature (the sampler). */
export function softmaxTemperature(y: usize, V: i32, invTemp: f32): void {
  softmaxRow(y, V, invTemp);
}

/** dy = (p − onehot(target)) · scale in place over rows; gby[V] += Σ_r dy_r. */
export function softmaxBackward(dl: usize, targets: usize, rows: i32, V: i32, scale: f32, gby: usize): void {
  const rowL = <usize>V << 2, vs = f32x4.splat(scale);
  for (let r = 0; r < rows; r++) {
    const y = dl + <usize>r * rowL;
    const pt = y + (<usize>load<i32>(targets + (<usize>r << 2)) << 2);
    store<f32>(pt, load<f32>(pt) - 1);
    let v = 0;
    for (; v + 4 <= V; v += 4) {
      const o = <usize>v << 2;
      const d = f32x4.mul(v128.load(y + o), vs);
      v128.store(y + o, d);
      v128.store(gby + o, f32x4.add(v128.load(gby + o), d));
    }
    for (; v < V; v++) {
      const o = <usize>v << 2;
      const d = load<f32>(y + o) * scale;
      store<f32>(y + o, d);
      store<f32>(gby + o, load<f32>(gby + o) + d);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The vanilla RNN cell, fused over a whole window (core/cells/rnn.ts).

/** hs[T+1, B, H] holds h_{-1} in its first row: h_t = tanh(xproj_t + h_{t-1}·Whᵀ) for t < T. */
export function rnnForward(hs: usize, xproj: usize, Wh: usize, T: i32, B: i32, H: i32): void {
  const n = B * H, bytes = <usize>n << 2;
  for (let t = 0; t < T; t++) {
    const hPrev = hs + <usize>t * bytes, hNow = hPrev + bytes;
    memory.copy(hNow, xproj + <usize>t * bytes, bytes);
    matmulABt(hNow, hPrev, Wh, B, H, H);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const p = hNow + (<usize>i << 2);
      v128.store(p, vtanh(v128.load(p)));
    }
    for (; i < n; i++) {
      const p = hNow + (<usize>i << 2);
      store<f32>(p, tanhf(load<f32>(p)));
    }
  }
}

/**
 * dRaw_t = (1 − h_t²)⊙(dOut_t + dh_next) for t = T−1 .. 0, with dh_next = dRaw_t·Wh carried back;
 * dhNext[B, H] is scratch. dWh is left to one matmulAtB over all steps.
 */
export function rnnBackward(dRaw: usize, hs: usize, dOut: usize, dhNext: usize, Wh: usize, T: i32, B: i32, H: i32): void {
  const n = B * H, bytes = <usize>n << 2;
  memory.fill(dhNext, 0, bytes);
  for (let t = T - 1; t >= 0; t--) {
    const hNow = hs + <usize>(t + 1) * bytes, dr = dRaw + <usize>t * bytes, dO = dOut + <usize>t * bytes;
    const one = f32x4.splat(1.0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const h = v128.load(hNow + o);
      const dh = f32x4.add(v128.load(dO + o), v128.load(dhNext + o));
      v128.store(dr + o, f32x4.mul(f32x4.sub(one, f32x4.mul(h, h)), dh));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const h = load<f32>(hNow + o);
      store<f32>(dr + o, (1 - h * h) * (load<f32>(dO + o) + load<f32>(dhNext + o)));
    }
    if (t == 0) break;
    memory.fill(dhNext, 0, bytes);
    gemmNN(dhNext, dr, H, 1, Wh, B, H, H);
  }
}

// ---------------------------------------------------------------------------------------------
// Optimizers and clipping over flat buffers (core/optim.ts).

/** mem += g²;  θ −= lr·g / √(mem + ε) */
export function adagrad(p: usize, g: usize, mem: usize, n: i32, lr: f32, eps: f32): void {
  const vlr = f32x4.splat(lr), veps = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const m = f32x4.add(v128.load(mem + o), f32x4.mul(gv, gv));
    v128.store(mem + o, m);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(vlr, gv), f32x4.sqrt(f32x4.add(m, veps)))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gv = load<f32>(g + o);
    const m = load<f32>(mem + o) + gv * gv;
    store<f32>(mem + o, m);
    store<f32>(p + o, load<f32>(p + o) - (lr * gv) / Mathf.sqrt(m + eps));
  }
}

/** cache = ρ·cache + (1−ρ)·g²;  θ −= lr·g / (√cache + ε) */
export function rmsprop(p: usize, g: usize, cache: usize, n: i32, lr: f32, decay: f32, eps: f32): void {
  const vlr = f32x4.splat(lr), veps = f32x4.splat(eps), vd = f32x4.splat(decay), vd1 = f32x4.splat(1 - decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const c = f32x4.add(f32x4.mul(vd, v128.load(cache + o)), f32x4.mul(vd1, f32x4.mul(gv, gv)));
    v128.store(cache + o, c);
    v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.div(f32x4.mul(vlr, gv), f32x4.add(f32x4.sqrt(c), veps))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gv = load<f32>(g + o);
    const c = decay * load<f32>(cache + o) + (1 - decay) * (gv * gv);
    store<f32>(cache + o, c);
    store<f32>(p + o, load<f32>(p + o) - (lr * gv) / (Mathf.sqrt(c) + eps));
  }
}

/** m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  θ −= lr·(m/c1) / (√(v/c2) + ε) */
export function adam(p: usize, g: usize, mm: usize, vv: usize, n: i32, lr: f32, b1: f32, b2: f32, eps: f32, c1: f32, c2: f32): void {
  const vlr = f32x4.splat(lr), veps = f32x4.splat(eps), vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2);
  const vb1c = f32x4.splat(1 - b1), vb2c = f32x4.splat(1 - b2), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const m = f32x4.add(f32x4.mul(vb1, v128.load(mm + o)), f32x4.mul(vb1c, gv));
    const v = f32x4.add(f32x4.mul(vb2, v128.load(vv + o)), f32x4.mul(vb2c, f32x4.mul(gv, gv)));
    v128.store(mm + o, m);
    v128.store(vv + o, v);
    const step = f32x4.div(f32x4.mul(vlr, f32x4.div(m, vc1)), f32x4.add(f32x4.sqrt(f32x4.div(v, vc2)), veps));
    v128.store(p + o, f32x4.sub(v128.load(p + o), step));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gv = load<f32>(g + o);
    const m = b1 * load<f32>(mm + o) + (1 - b1) * gv;
    const v = b2 * load<f32>(vv + o) + (1 - b2) * (gv * gv);
    store<f32>(mm + o, m);
    store<f32>(vv + o, v);
    store<f32>(p + o, load<f32>(p + o) - (lr * (m / c1)) / (Mathf.sqrt(v / c2) + eps));
  }
}

/** Clip every element to [−limit, limit]; NaN stays NaN. */
export function clip(g: usize, n: i32, limit: f32): void {
  const hi = f32x4.splat(limit), lo = f32x4.splat(-limit);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(g + o, f32x4.pmin(f32x4.pmax(v128.load(g + o), lo), hi)); // NaN stays: pmax/pmin keep their first operand
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(g + o);
    if (x > limit) store<f32>(g + o, limit);
    else if (x < -limit) store<f32>(g + o, -limit);
  }
}

/** Σ g² accumulated in float64. */
export function sumSquares(g: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(g + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(v), hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    s0 = f64x2.add(s0, f64x2.mul(lo, lo));
    s1 = f64x2.add(s1, f64x2.mul(hi, hi));
  }
  let s = (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1)) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
  for (; i < n; i++) {
    const x = <f64>load<f32>(g + (<usize>i << 2));
    s += x * x;
  }
  return s;
}

/**
 * clip(g, n, limit), then sumSquares(g, n), in one pass over g instead of two: each element is clipped
 * and its square summed in the same lanes and order as the two kernels, so the bits are theirs.
 */
export function clipSumSquares(g: usize, n: i32, limit: f32): f64 {
  const hi = f32x4.splat(limit), lo = f32x4.splat(-limit);
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = f32x4.pmin(f32x4.pmax(v128.load(g + o), lo), hi);
    v128.store(g + o, v);
    const vlo = f64x2.promote_low_f32x4(v), vhi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    s0 = f64x2.add(s0, f64x2.mul(vlo, vlo));
    s1 = f64x2.add(s1, f64x2.mul(vhi, vhi));
  }
  let s = (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1)) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let x = load<f32>(g + o);
    if (x > limit) x = limit;
    else if (x < -limit) x = -limit;
    store<f32>(g + o, x);
    s += <f64>x * <f64>x;
  }
  return s;
}

/** g *= s */
export function scale(g: usize, n: i32, s: f32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(g + o, f32x4.mul(v128.load(g + o), vs));
  }
  for (; i < n; i++) store<f32>(g + (<usize>i << 2), load<f32>(g + (<usize>i << 2)) * s);
}

// ---------------------------------------------------------------------------------------------
// LSTM and GRU cells, fused over a whole window (core/cells/lstm.ts, core/cells/gru.ts). Gate
// blocks sit side by side in a row of G·H; element-wise work runs four units at a time, and a
// tail of H mod 4 units runs the same vector code on one lane (w = 1).

// @ts-ignore: decorator
@inline function ld(p: usize, w: i32): v128 {
  return w == 4 ? v128.load(p) : f32x4.splat(load<f32>(p));
}

// @ts-ignore: decorator
@inline function st(p: usize, v: v128, w: i32): void {
  if (w == 4) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

// @ts-ignore: decorator
@inline function lstmUnitsForward(a: usize, cPrev: usize, cNow: usize, hNow: usize, tc: usize, H4: usize, w: i32): void {
  const i = vsigmoid(ld(a, w)), f = vsigmoid(ld(a + H4, w)), o = vsigmoid(ld(a + 2 * H4, w)), g = vtanh(ld(a + 3 * H4, w));
  st(a, i, w); st(a + H4, f, w); st(a + 2 * H4, o, w); st(a + 3 * H4, g, w);
  const c = f32x4.add(f32x4.mul(f, ld(cPrev, w)), f32x4.mul(i, g));
  st(cNow, c, w);
  const th = vtanh(c);
  st(tc, th, w);
  st(hNow, f32x4.mul(o, th), w);
}

/**
 * acts[t] = xproj[t] + h_{t-1}·Whᵀ, then i, f, o = σ, g = tanh in place; c_t = f⊙c_{t-1} + i⊙g,
 * tanhC[t] = tanh(c_t), h_t = o⊙tanh(c_t). hs and cs are [T+1, B, H] with the start state in row 0.
 */
export function lstmForward(acts: usize, hs: usize, cs: usize, tanhC: usize, xproj: usize, Wh: usize, T: i32, B: i32, H: i32): void {
  const GH = 4 * H, rowA = <usize>GH << 2, H4 = <usize>H << 2, stepA = <usize>B * rowA, stepH = <usize>B * H4;
  for (let t = 0; t < T; t++) {
    const a = acts + <usize>t * stepA;
    memory.copy(a, xproj + <usize>t * stepA, stepA);
    matmulABt(a, hs + <usize>t * stepH, Wh, B, GH, H);
    for (let b = 0; b < B; b++) {
      const ab = a + <usize>b * rowA, hb = <usize>b * H4;
      const cPrev = cs + <usize>t * stepH + hb, cNow = cPrev + stepH, hNow = hs + <usize>(t + 1) * stepH + hb;
      const tc = tanhC + <usize>t * stepH + hb;
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const o = <usize>j << 2;
        lstmUnitsForward(ab + o, cPrev + o, cNow + o, hNow + o, tc + o, H4, 4);
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        lstmUnitsForward(ab + o, cPrev + o, cNow + o, hNow + o, tc + o, H4, 1);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function lstmUnitsBackward(a: usize, d: usize, cPrev: usize, tc: usize, dO: usize, dhNext: usize, dcNext: usize, H4: usize, w: i32): void {
  const one = f32x4.splat(1.0);
  const i = ld(a, w), f = ld(a + H4, w), o = ld(a + 2 * H4, w), g = ld(a + 3 * H4, w);
  const th = ld(tc, w);
  const dh = f32x4.add(ld(dO, w), ld(dhNext, w));
  const dc = f32x4.add(ld(dcNext, w), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(th, th))));
  st(d, f32x4.mul(f32x4.mul(f32x4.mul(dc, g), i), f32x4.sub(one, i)), w);
  st(d + H4, f32x4.mul(f32x4.mul(f32x4.mul(dc, ld(cPrev, w)), f), f32x4.sub(one, f)), w);
  st(d + 2 * H4, f32x4.mul(f32x4.mul(f32x4.mul(dh, th), o), f32x4.sub(one, o)), w);
  st(d + 3 * H4, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g))), w);
  st(dcNext, f32x4.mul(dc, f), w);
}

/** The LSTM's backward over the window: dPre[t] for t = T−1 .. 0; dhNext, dcNext [B, H] are scratch. */
export function lstmBackward(dPre: usize, acts: usize, cs: usize, tanhC: usize, dOut: usize, dhNext: usize, dcNext: usize,
                             Wh: usize, T: i32, B: i32, H: i32): void {
  const GH = 4 * H, rowA = <usize>GH << 2, H4 = <usize>H << 2, stepA = <usize>B * rowA, stepH = <usize>B * H4;
  memory.fill(dhNext, 0, stepH);
  memory.fill(dcNext, 0, stepH);
  for (let t = T - 1; t >= 0; t--) {
    const a = acts + <usize>t * stepA, d = dPre + <usize>t * stepA;
    for (let b = 0; b < B; b++) {
      const ab = a + <usize>b * rowA, db = d + <usize>b * rowA, hb = <usize>b * H4;
      const cPrev = cs + <usize>t * stepH + hb, tc = tanhC + <usize>t * stepH + hb, dO = dOut + <usize>t * stepH + hb;
      const dhN = dhNext + hb, dcN = dcNext + hb;
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const o = <usize>j << 2;
        lstmUnitsBackward(ab + o, db + o, cPrev + o, tc + o, dO + o, dhN + o, dcN + o, H4, 4);
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        lstmUnitsBackward(ab + o, db + o, cPrev + o, tc + o, dO + o, dhN + o, dcN + o, H4, 1);
      }
    }
    if (t > 0) {
      memory.fill(dhNext, 0, stepH);
      gemmNN(dhNext, d, GH, 1, Wh, B, H, GH);
    }
  }
}

// @ts-ignore: decorator
@inline function gruUnitsForward(x: usize, hp: usize, a: usize, hPrev: usize, hNow: usize, H4: usize, w: i32): void {
  const one = f32x4.splat(1.0);
  const r = vsigmoid(f32x4.add(ld(x, w), ld(hp, w)));
  const z = vsigmoid(f32x4.add(ld(x + H4, w), ld(hp + H4, w)));
  const n = vtanh(f32x4.add(ld(x + 2 * H4, w), f32x4.mul(r, ld(hp + 2 * H4, w))));
  st(a, r, w); st(a + H4, z, w); st(a + 2 * H4, n, w);
  st(hNow, f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, ld(hPrev, w))), w);
}

/**
 * hproj[t] = bh + h_{t-1}·Whᵀ; r = σ(xr + hr), z = σ(xz + hz), n = tanh(xn + r⊙hn) into acts[t];
 * h_t = (1−z)⊙n + z⊙h_{t-1}. hs is [T+1, B, H] with the start state in row 0.
 */
export function gruForward(hproj: usize, acts: usize, hs: usize, xproj: usize, Wh: usize, bh: usize, T: i32, B: i32, H: i32): void {
  const GH = 3 * H, rowA = <usize>GH << 2, H4 = <usize>H << 2, stepA = <usize>B * rowA, stepH = <usize>B * H4;
  for (let t = 0; t < T; t++) {
    const hp = hproj + <usize>t * stepA, x = xproj + <usize>t * stepA, a = acts + <usize>t * stepA;
    const hPrev = hs + <usize>t * stepH, hNow = hPrev + stepH;
    fillRows(hp, bh, B, GH);
    matmulABt(hp, hPrev, Wh, B, GH, H);
    for (let b = 0; b < B; b++) {
      const ob = <usize>b * rowA, hb = <usize>b * H4;
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const o = <usize>j << 2;
        gruUnitsForward(x + ob + o, hp + ob + o, a + ob + o, hPrev + hb + o, hNow + hb + o, H4, 4);
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        gruUnitsForward(x + ob + o, hp + ob + o, a + ob + o, hPrev + hb + o, hNow + hb + o, H4, 1);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function gruUnitsBackward(hp: usize, a: usize, hPrev: usize, dx: usize, dhp: usize, dO: usize, dhNext: usize, H4: usize, w: i32): void {
  const one = f32x4.splat(1.0);
  const r = ld(a, w), z = ld(a + H4, w), n = ld(a + 2 * H4, w);
  const dh = f32x4.add(ld(dO, w), ld(dhNext, w));
  const dn = f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
  const dz = f32x4.mul(f32x4.mul(f32x4.mul(dh, f32x4.sub(ld(hPrev, w), n)), z), f32x4.sub(one, z));
  const dr = f32x4.mul(f32x4.mul(f32x4.mul(dn, ld(hp + 2 * H4, w)), r), f32x4.sub(one, r));
  st(dx, dr, w); st(dhp, dr, w);
  st(dx + H4, dz, w); st(dhp + H4, dz, w);
  st(dx + 2 * H4, dn, w);
  st(dhp + 2 * H4, f32x4.mul(dn, r), w);
  st(dhNext, f32x4.mul(dh, z), w);
}

/** The GRU's backward over the window: dXproj[t] and dHproj[t] for t = T−1 .. 0; dhNext [B, H] is scratch. */
export function gruBackward(dX: usize, dHproj: usize, hproj: usize, acts: usize, hs: usize, dOut: usize, dhNext: usize,
                            Wh: usize, T: i32, B: i32, H: i32): void {
  const GH = 3 * H, rowA = <usize>GH << 2, H4 = <usize>H << 2, stepA = <usize>B * rowA, stepH = <usize>B * H4;
  memory.fill(dhNext, 0, stepH);
  for (let t = T - 1; t >= 0; t--) {
    const hp = hproj + <usize>t * stepA, a = acts + <usize>t * stepA, dx = dX + <usize>t * stepA, dhp = dHproj + <usize>t * stepA;
    const hPrev = hs + <usize>t * stepH, dO = dOut + <usize>t * stepH;
    for (let b = 0; b < B; b++) {
      const ob = <usize>b * rowA, hb = <usize>b * H4;
      let j = 0;
      for (; j + 4 <= H; j += 4) {
        const o = <usize>j << 2;
        gruUnitsBackward(hp + ob + o, a + ob + o, hPrev + hb + o, dx + ob + o, dhp + ob + o, dO + hb + o, dhNext + hb + o, H4, 4);
      }
      for (; j < H; j++) {
        const o = <usize>j << 2;
        gruUnitsBackward(hp + ob + o, a + ob + o, hPrev + hb + o, dx + ob + o, dhp + ob + o, dO + hb + o, dhNext + hb + o, H4, 1);
      }
    }
    if (t > 0) gemmNN(dhNext, dhp, GH, 1, Wh, B, H, GH);
  }
}

/**
 * The sampler's draw (core/sampler.ts pickIndex): the first index whose cumulative probability,
 * summed in float64, exceeds coin; past the end (rounding), the last index with p > 0.
 */
export function pickIndex(probs: usize, V: i32, coin: f64): i32 {
  let cdf: f64 = 0;
  for (let i = 0; i < V; i++) {
    cdf += <f64>load<f32>(probs + (<usize>i << 2));
    if (coin < cdf) return i;
  }
  for (let i = V - 1; i >= 0; i--) if (load<f32>(probs + (<usize>i << 2)) > 0) return i;
  return V - 1;
}

// Inverted dropout (a file of its own: wasm/assembly/dropout.ts).
export { dropoutForward, multiplyInPlace } from './dropout';

// The LSTM cell (char-rnn's LSTM.lua), gates stacked i, f, o, g in one [4H, ·] matrix:
//
//   [ai, af, ao, ag] = Wx·x_t + bx + Wh·h_{t-1}          (no recurrent bias: bx covers it)
//   i = σ(ai),  f = σ(af),  o = σ(ao),  g = tanh(ag)
//   c_t = f⊙c_{t-1} + i⊙g
//   h_t = o⊙tanh(c_t)
//
// Carried state per stream is [h | c]: h first, so the sampler can read any cell's h as the
// first H floats of a layer's state.
import type { FloatArray, Precision } from '../tensor.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Arena } from '../kernels/arena.js';
import { layerName, plainWorkspace, stepViews, type CellDefinition, type Workspace, type LayerTensors, type RecurrentLayer } from './cell.js';
import { WindowLayer } from './window-layer.js';

const GATES = 4;
const I = 0, F = 1, O = 2, G = 3; // gate block order inside a row of 4H

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** hs, its step views h and out (h_0 .. h_{T-1}), and the last forward's length are WindowLayer's. */
class LstmLayer extends WindowLayer implements RecurrentLayer {
  readonly stateSize: number;
  readonly xproj: FloatArray;           // [T, B, 4H]
  readonly dXproj: FloatArray;          // [T, B, 4H] = d(gate pre-activations)_t
  private readonly cs: FloatArray;      // [T+1, B, H]: c_{-1} = state0's c, then c_0 .. c_{T-1}
  private readonly acts: FloatArray;    // [T, B, 4H]: i, f, o, g after their nonlinearities
  private readonly tanhC: FloatArray;   // [T, B, H]: tanh(c_t), kept for backward
  private readonly x: FloatArray[];     // T step views of xproj
  private readonly c: FloatArray[];     // T+1 step views of cs
  private readonly gate: FloatArray[];  // T step views of acts
  private readonly tc: FloatArray[];    // T step views of tanhC
  private readonly dPre: FloatArray[];  // T step views of dXproj
  private readonly dhNext: FloatArray;  // [B, H]: dloss/dh_{t-1} through the recurrence
  private readonly dcNext: FloatArray;  // [B, H]: dloss/dc_{t-1}
  private readonly arena: Arena | null; // fused window kernels when the buffers live in one

  constructor(private readonly k: Kernels, precision: Precision, private readonly H: number,
              maxSteps: number, private readonly B: number, ws: Workspace = plainWorkspace(precision)) {
    super('LSTM', ws, maxSteps, B * H);
    const n = B * H, GH = GATES * H;
    this.stateSize = 2 * H;
    this.arena = ws.arena;
    this.cs = ws.floats((maxSteps + 1) * n);
    this.acts = ws.floats(maxSteps * B * GH);
    this.tanhC = ws.floats(maxSteps * n);
    this.xproj = ws.floats(maxSteps * B * GH);
    this.dXproj = ws.floats(maxSteps * B * GH);
    this.x = stepViews(this.xproj, maxSteps, B * GH);
    this.c = stepViews(this.cs, maxSteps + 1, n);
    this.gate = stepViews(this.acts, maxSteps, B * GH);
    this.tc = stepViews(this.tanhC, maxSteps, n);
    this.dPre = stepViews(this.dXproj, maxSteps, B * GH);
    this.dhNext = ws.floats(n);
    this.dcNext = ws.floats(n);
  }

  forward(p: LayerTensors, state0: FloatArray, T: number): void {
    const { H, B } = this;
    const GH = GATES * H, S = 2 * H;
    // Copy the start state: the network overwrites state0 with the final state right after.
    const h0 = this.h[0], c0 = this.c[0];
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        h0[b * H + j] = state0[b * S + j];
        c0[b * H + j] = state0[b * S + H + j];
      }
    }
    if (this.arena) {
      this.arena.x.lstmForward(this.acts.byteOffset, this.hs.byteOffset, this.cs.byteOffset, this.tanhC.byteOffset,
        this.xproj.byteOffset, p.Wh.byteOffset, T, B, H);
      this.ran(T);
      return;
    }
    for (let t = 0; t < T; t++) {
      const a = this.gate[t], cPrev = this.c[t], cNow = this.c[t + 1], hNow = this.h[t + 1], tc = this.tc[t];
      a.set(this.x[t]);                                 // Wx·x_t + bx
      this.k.matmulABt(a, this.h[t], p.Wh, B, GH, H);   // + Wh·h_{t-1}
      for (let b = 0; b < B; b++) {
        const ao = b * GH;
        for (let j = 0; j < H; j++) {
          const i = (a[ao + I * H + j] = sigmoid(a[ao + I * H + j]));
          const f = (a[ao + F * H + j] = sigmoid(a[ao + F * H + j]));
          const o = (a[ao + O * H + j] = sigmoid(a[ao + O * H + j]));
          const g = (a[ao + G * H + j] = Math.tanh(a[ao + G * H + j]));
          const r = b * H + j;
          const cell = (cNow[r] = f * cPrev[r] + i * g);
          const th = (tc[r] = Math.tanh(cell));
          hNow[r] = o * th;
        }
      }
    }
    this.ran(T);
  }

  /** The state carried is [h | c] per stream. */
  override finalState(dst: FloatArray): void {
    const T = this.requireForward();
    const { H, B } = this, S = 2 * H, hT = this.h[T], cT = this.c[T];
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        dst[b * S + j] = hT[b * H + j];
        dst[b * S + H + j] = cT[b * H + j];
      }
    }
  }

  backward(p: LayerTensors, g: LayerTensors, dOut: FloatArray): void {
    const T = this.requireForward();
    const { H, B, dhNext, dcNext } = this;
    const n = B * H, GH = GATES * H;
    if (this.arena) {
      this.arena.x.lstmBackward(this.dXproj.byteOffset, this.acts.byteOffset, this.cs.byteOffset, this.tanhC.byteOffset,
        dOut.byteOffset, dhNext.byteOffset, dcNext.byteOffset, p.Wh.byteOffset, T, B, H);
      this.k.matmulAtB(g.Wh, this.dXproj, this.hs, GH, H, T * B);
      return;
    }
    dhNext.fill(0);
    dcNext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const a = this.gate[t], d = this.dPre[t], cPrev = this.c[t], tc = this.tc[t];
      for (let b = 0; b < B; b++) {
        const ao = b * GH;
        for (let j = 0; j < H; j++) {
          const r = b * H + j;
          const i = a[ao + I * H + j], f = a[ao + F * H + j], o = a[ao + O * H + j], gg = a[ao + G * H + j];
          const th = tc[r];
          const dh = dOut[t * n + r] + dhNext[r];
          const dc = dcNext[r] + dh * o * (1 - th * th);       // h = o⊙tanh(c), plus c's own path
          d[ao + I * H + j] = dc * gg * i * (1 - i);            // σ' = σ(1−σ)
          d[ao + F * H + j] = dc * cPrev[r] * f * (1 - f);
          d[ao + O * H + j] = dh * th * o * (1 - o);
          d[ao + G * H + j] = dc * i * (1 - gg * gg);           // tanh' = 1 − tanh²
          dcNext[r] = dc * f;
        }
      }
      // dh_{t-1} = Whᵀ·dPre_t; at t = 0 it would flow into state0, which truncated BPTT drops.
      if (t > 0) {
        dhNext.fill(0);
        this.k.matmulAB(dhNext, d, p.Wh, B, H, GH);
      }
    }
    // dWh = Σ_t dPre_tᵀ h_{t-1}: one product over all steps and streams.
    this.k.matmulAtB(g.Wh, this.dXproj, this.hs, GH, H, T * B);
  }
}

export const lstmCell: CellDefinition = Object.freeze({
  gates: GATES,
  stateMultiple: 2,
  tensorNames: (layer: number) => ({
    Wx: layerName('Wxg', layer), Wh: layerName('Whg', layer), bx: layerName('bg', layer), bh: null,
  }),
  createLayer: (k: Kernels, precision: Precision, H: number, maxSteps: number, B: number, ws?: Workspace) =>
    new LstmLayer(k, precision, H, maxSteps, B, ws),
});

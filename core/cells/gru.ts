// The GRU cell in PyTorch's formulation (nn.GRU), gates stacked r, z, n in one [3H, ·] matrix:
//
//   [xr, xz, xn] = Wx·x_t + bx          [hr, hz, hn] = Wh·h_{t-1} + bh
//   r = σ(xr + hr),  z = σ(xz + hz),  n = tanh(xn + r⊙hn)
//   h_t = (1−z)⊙n + z⊙h_{t-1}
//
// The reset gate scales hn *after* the recurrent product, so bh cannot fold into bx: it is a
// tensor of its own, and the [T, B, 3H] recurrent projection is kept for backward.
import type { FloatArray, Precision } from '../tensor.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Arena } from '../kernels/arena.js';
import { layerName, plainWorkspace, stepViews, type CellDefinition, type Workspace, type LayerTensors, type RecurrentLayer } from './cell.js';
import { WindowLayer } from './window-layer.js';

const GATES = 3;
const R = 0, Z = 1, N = 2; // gate block order inside a row of 3H

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** hs, its step views h and out (h_0 .. h_{T-1}), and the last forward's length are WindowLayer's. */
class GruLayer extends WindowLayer implements RecurrentLayer {
  readonly stateSize: number;
  readonly xproj: FloatArray;           // [T, B, 3H]
  readonly dXproj: FloatArray;          // [T, B, 3H] = [dr_pre, dz_pre, dn_pre]_t
  private readonly hprojAll: FloatArray; // [T, B, 3H]: Wh·h_{t-1} + bh
  private readonly acts: FloatArray;    // [T, B, 3H]: r, z, n after their nonlinearities
  private readonly dHprojAll: FloatArray; // [T, B, 3H]: gradient wrt hproj = [dr_pre, dz_pre, r⊙dn_pre]
  private readonly x: FloatArray[];     // T step views of xproj
  private readonly hproj: FloatArray[]; // T step views of hprojAll
  private readonly gate: FloatArray[];  // T step views of acts
  private readonly dX: FloatArray[];    // T step views of dXproj
  private readonly dHproj: FloatArray[]; // T step views of dHprojAll
  private readonly dhNext: FloatArray;  // [B, H]: dloss/dh_{t-1} through the recurrence
  private readonly arena: Arena | null; // fused window kernels when the buffers live in one

  constructor(private readonly k: Kernels, precision: Precision, private readonly H: number,
              maxSteps: number, private readonly B: number, ws: Workspace = plainWorkspace(precision)) {
    super('GRU', ws, maxSteps, B * H);
    const n = B * H, GH = GATES * H;
    this.stateSize = H;
    this.arena = ws.arena;
    this.hprojAll = ws.floats(maxSteps * B * GH);
    this.acts = ws.floats(maxSteps * B * GH);
    this.dHprojAll = ws.floats(maxSteps * B * GH);
    this.xproj = ws.floats(maxSteps * B * GH);
    this.dXproj = ws.floats(maxSteps * B * GH);
    this.x = stepViews(this.xproj, maxSteps, B * GH);
    this.hproj = stepViews(this.hprojAll, maxSteps, B * GH);
    this.gate = stepViews(this.acts, maxSteps, B * GH);
    this.dX = stepViews(this.dXproj, maxSteps, B * GH);
    this.dHproj = stepViews(this.dHprojAll, maxSteps, B * GH);
    this.dhNext = ws.floats(n);
  }

  forward(p: LayerTensors, state0: FloatArray, T: number): void {
    const { H, B } = this;
    const GH = GATES * H, bh = p.bh!;
    this.h[0].set(state0);
    if (this.arena) {
      this.arena.x.gruForward(this.hprojAll.byteOffset, this.acts.byteOffset, this.hs.byteOffset, this.xproj.byteOffset,
        p.Wh.byteOffset, bh.byteOffset, T, B, H);
      this.ran(T);
      return;
    }
    for (let t = 0; t < T; t++) {
      const x = this.x[t], hp = this.hproj[t], a = this.gate[t], hPrev = this.h[t], hNow = this.h[t + 1];
      for (let b = 0; b < B; b++) hp.set(bh, b * GH);    // bh
      this.k.matmulABt(hp, hPrev, p.Wh, B, GH, H);       // + Wh·h_{t-1}
      for (let b = 0; b < B; b++) {
        const o = b * GH;
        for (let j = 0; j < H; j++) {
          const r = (a[o + R * H + j] = sigmoid(x[o + R * H + j] + hp[o + R * H + j]));
          const z = (a[o + Z * H + j] = sigmoid(x[o + Z * H + j] + hp[o + Z * H + j]));
          const nn = (a[o + N * H + j] = Math.tanh(x[o + N * H + j] + r * hp[o + N * H + j]));
          const q = b * H + j;
          hNow[q] = (1 - z) * nn + z * hPrev[q];
        }
      }
    }
    this.ran(T);
  }

  backward(p: LayerTensors, g: LayerTensors, dOut: FloatArray): void {
    const T = this.requireForward();
    const { H, B, dhNext } = this;
    const n = B * H, GH = GATES * H, gbh = g.bh!;
    if (this.arena) {
      const x = this.arena.x;
      x.gruBackward(this.dXproj.byteOffset, this.dHprojAll.byteOffset, this.hprojAll.byteOffset, this.acts.byteOffset,
        this.hs.byteOffset, dOut.byteOffset, dhNext.byteOffset, p.Wh.byteOffset, T, B, H);
      x.matmulAtB(g.Wh.byteOffset, this.dHprojAll.byteOffset, this.hs.byteOffset, GH, H, T * B);
      x.addRowSums(gbh.byteOffset, this.dHprojAll.byteOffset, T * B, GH);
      return;
    }
    dhNext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const hp = this.hproj[t], a = this.gate[t], hPrev = this.h[t], dx = this.dX[t], dhp = this.dHproj[t];
      for (let b = 0; b < B; b++) {
        const o = b * GH;
        for (let j = 0; j < H; j++) {
          const q = b * H + j;
          const r = a[o + R * H + j], z = a[o + Z * H + j], nn = a[o + N * H + j];
          const dh = dOut[t * n + q] + dhNext[q];
          const dnPre = dh * (1 - z) * (1 - nn * nn);                // through h = (1−z)⊙n, then tanh
          const dzPre = dh * (hPrev[q] - nn) * z * (1 - z);         // ∂h/∂z = h_{t-1} − n
          const drPre = dnPre * hp[o + N * H + j] * r * (1 - r);    // n's argument holds r⊙hn
          dx[o + R * H + j] = dhp[o + R * H + j] = drPre;
          dx[o + Z * H + j] = dhp[o + Z * H + j] = dzPre;
          dx[o + N * H + j] = dnPre;
          dhp[o + N * H + j] = dnPre * r;                             // hn enters n only through r⊙hn
          dhNext[q] = dh * z;                                         // the direct z⊙h_{t-1} path
        }
      }
      // dh_{t-1} += Whᵀ·dhproj_t; at t = 0 it would flow into state0, which truncated BPTT drops.
      if (t > 0) this.k.matmulAB(dhNext, dhp, p.Wh, B, H, GH);
    }
    // dWh = Σ_t dhproj_tᵀ h_{t-1} and dbh = Σ_t dhproj_t: one pass over all steps and streams.
    this.k.matmulAtB(g.Wh, this.dHprojAll, this.hs, GH, H, T * B);
    const dhpAll = this.dHprojAll;
    for (let row = 0; row < T * B; row++) for (let j = 0; j < GH; j++) gbh[j] += dhpAll[row * GH + j];
  }
}

export const gruCell: CellDefinition = Object.freeze({
  gates: GATES,
  stateMultiple: 1,
  tensorNames: (layer: number) => ({
    Wx: layerName('Wxg', layer), Wh: layerName('Whg', layer), bx: layerName('bxg', layer), bh: layerName('bhg', layer),
  }),
  createLayer: (k: Kernels, precision: Precision, H: number, maxSteps: number, B: number, ws?: Workspace) =>
    new GruLayer(k, precision, H, maxSteps, B, ws),
});

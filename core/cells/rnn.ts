// The vanilla RNN cell of min-char-rnn:  h_t = tanh(Wxh·x_t + Whh·h_{t-1} + bh)
import type { FloatArray, Precision } from '../tensor.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Arena } from '../kernels/arena.js';
import { layerName, plainWorkspace, stepViews, type CellDefinition, type Workspace, type LayerTensors, type RecurrentLayer } from './cell.js';
import { WindowLayer } from './window-layer.js';

/** hs, its step views h and out (h_0 .. h_{T-1}), and the last forward's length are WindowLayer's. */
class RnnLayer extends WindowLayer implements RecurrentLayer {
  readonly stateSize: number;
  readonly xproj: FloatArray;           // [T, B, H]
  readonly dXproj: FloatArray;          // [T, B, H] = dhraw_t
  private readonly dhraw: FloatArray[]; // T step views of dXproj
  private readonly dhNext: FloatArray;  // [B, H]
  private readonly arena: Arena | null; // fused window kernels when the buffers live in one

  constructor(private readonly k: Kernels, precision: Precision, private readonly H: number,
              maxSteps: number, private readonly B: number, ws: Workspace = plainWorkspace(precision)) {
    super('RNN', ws, maxSteps, B * H);
    this.stateSize = H;
    this.arena = ws.arena;
    this.xproj = ws.floats(maxSteps * B * H);
    this.dXproj = ws.floats(maxSteps * B * H);
    this.dhraw = stepViews(this.dXproj, maxSteps, B * H);
    this.dhNext = ws.floats(B * H);
  }

  forward(p: LayerTensors, state0: FloatArray, T: number): void {
    const { H, B, xproj } = this;
    const n = B * H;
    this.h[0].set(state0);
    if (this.arena) {
      this.arena.x.rnnForward(this.hs.byteOffset, xproj.byteOffset, p.Wh.byteOffset, T, B, H);
      this.ran(T);
      return;
    }
    for (let t = 0; t < T; t++) {
      const hNow = this.h[t + 1];
      for (let i = 0; i < n; i++) hNow[i] = xproj[t * n + i];  // Wxh·x_t + bh
      this.k.matmulABt(hNow, this.h[t], p.Wh, B, H, H);        // + Whh·h_{t-1}
      for (let i = 0; i < n; i++) hNow[i] = Math.tanh(hNow[i]);
    }
    this.ran(T);
  }

  backward(p: LayerTensors, g: LayerTensors, dOut: FloatArray): void {
    const T = this.requireForward();
    const { H, B, dhNext } = this;
    const n = B * H;
    if (this.arena) {
      this.arena.x.rnnBackward(this.dXproj.byteOffset, this.hs.byteOffset, dOut.byteOffset, dhNext.byteOffset, p.Wh.byteOffset, T, B, H);
      this.k.matmulAtB(g.Wh, this.dXproj, this.hs, H, H, T * B);
      return;
    }
    dhNext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const hNow = this.h[t + 1], dRaw = this.dhraw[t];
      for (let i = 0; i < n; i++) {
        const dh = dOut[t * n + i] + dhNext[i];
        dRaw[i] = (1 - hNow[i] * hNow[i]) * dh;                // through tanh
      }
      if (t === 0) break; // the gradient into the start state is dropped (truncated BPTT)
      dhNext.fill(0);
      this.k.matmulAB(dhNext, dRaw, p.Wh, B, H, H);            // Whhᵀ·dhraw
    }
    // dWhh = Σ_t dhraw_tᵀ h_{t-1}: one product over all steps and streams.
    this.k.matmulAtB(g.Wh, this.dXproj, this.hs, H, H, T * B);
  }
}

export const rnnCell: CellDefinition = Object.freeze({
  gates: 1,
  stateMultiple: 1,
  tensorNames: (layer: number) => ({
    Wx: layerName('Wxh', layer), Wh: layerName('Whh', layer), bx: layerName('bh', layer), bh: null,
  }),
  createLayer: (k: Kernels, precision: Precision, H: number, maxSteps: number, B: number, ws?: Workspace) =>
    new RnnLayer(k, precision, H, maxSteps, B, ws),
});

// The network: a stack of recurrent layers over one-hot characters, a linear read-out and softmax
// cross-entropy. Forward and backward over a window of T steps for B parallel streams.
//
//   xproj⁰_t = Wx⁰[:, x_t] + bx⁰                 (one-hot input: a column gather)
//   h^l_t    = cell(xproj^l_t, h^l_{t-1})         xproj^l = h^{l-1}·Wx^lᵀ + bx^l  for l ≥ 1
//   y_t      = Why·h^top_t + by,   p_t = softmax(y_t),   loss = Σ_t mean_b −log p_t[target]
//
// Buffers are time-major: row r = t·B + b. The loss is summed over time and averaged over the
// batch, so batch 1 is exactly the seed's lossFun.
import type { ModelConfig } from './config.js';
import { cellDefinition } from './cells/index.js';
import type { LayerTensors, RecurrentLayer } from './cells/cell.js';
import { layerTensors, paramLayout, tensorViews, type ParamLayout } from './layout.js';
import type { Kernels } from './kernels/kernels.js';
import { loopKernels } from './kernels/loops.js';
import { allocFloats, precisionOf, type FloatArray } from './tensor.js';

export interface NetworkOptions {
  maxSteps: number; // T the buffers are sized for
  batchSize: number; // B
  kernels?: Kernels;
}

export class Network {
  readonly layout: ParamLayout;
  readonly stateSize: number;       // floats of carried state per stream per layer
  readonly maxSteps: number;
  readonly batchSize: number;
  /** Logits of the last forward, [T, B, V]; after a forward with targets, the probabilities. */
  readonly logits: FloatArray;
  private readonly layers: RecurrentLayer[];
  private readonly p: LayerTensors[];
  private readonly g: LayerTensors[] | null;
  private readonly Why: FloatArray;
  private readonly by: FloatArray;
  private readonly gWhy: FloatArray | null;
  private readonly gby: FloatArray | null;
  private readonly dTop: FloatArray[]; // per layer: gradient wrt its outputs [T, B, H]
  private readonly inputs: Int32Array;  // [T, B] of the last forward
  private readonly targets: Int32Array; // [T, B]
  private steps = -1;
  private hadTargets = false;
  private stateViewsOf: FloatArray | null = null; // the state buffer the per-layer views below cut
  private stateViews: FloatArray[] = [];

  constructor(readonly config: ModelConfig, readonly params: FloatArray, readonly grads: FloatArray | null,
              opts: NetworkOptions, private readonly k: Kernels = opts.kernels ?? loopKernels) {
    const precision = precisionOf(params);
    if (grads && precisionOf(grads) !== precision) throw new TypeError('params and grads must share a precision');
    this.layout = paramLayout(config);
    const cell = cellDefinition(config.cell);
    const { hiddenSize: H, vocabSize: V, layers: L } = config;
    const T = (this.maxSteps = opts.maxSteps), B = (this.batchSize = opts.batchSize);
    this.stateSize = cell.stateMultiple * H;
    const pv = tensorViews(this.layout, params);
    const gv = grads ? tensorViews(this.layout, grads) : null;
    this.layers = [];
    this.p = [];
    const g: LayerTensors[] = [];
    this.dTop = [];
    for (let l = 0; l < L; l++) {
      this.layers.push(cell.createLayer(this.k, precision, H, T, B));
      this.p.push(layerTensors(config, pv, l));
      if (gv) g.push(layerTensors(config, gv, l));
      this.dTop.push(allocFloats(precision, gv ? T * B * H : 0));
    }
    this.g = gv ? g : null;
    this.Why = pv.get('Why')!;
    this.by = pv.get('by')!;
    this.gWhy = gv ? gv.get('Why')! : null;
    this.gby = gv ? gv.get('by')! : null;
    this.logits = allocFloats(precision, T * B * V);
    this.inputs = new Int32Array(T * B);
    this.targets = new Int32Array(T * B);
  }

  /** Floats of carried state for all layers and streams: [L, B, stateSize]. */
  get stateLength(): number {
    return this.config.layers * this.batchSize * this.stateSize;
  }

  /**
   * Forward T steps. inputs/targets: [T, B] character indices (targets may be null when only
   * logits are wanted). state: [L, B, stateSize], read as the start state and overwritten with
   * the state after the last step. Returns the loss Σ_t mean_b −log p (0 without targets).
   */
  forward(inputs: ArrayLike<number>, targets: ArrayLike<number> | null, state: FloatArray, T: number): number {
    const { config, batchSize: B } = this;
    const { hiddenSize: H, vocabSize: V, layers: L } = config;
    if (T < 1 || T > this.maxSteps) throw new RangeError(`forward over ${T} steps; the network holds 1..${this.maxSteps}`);
    if (state.length !== this.stateLength) throw new RangeError(`state has ${state.length} floats; expected ${this.stateLength}`);
    const rows = T * B;
    for (let r = 0; r < rows; r++) this.inputs[r] = inputs[r];
    const GH = this.layers[0].xproj.length / (this.maxSteps * B);

    for (let l = 0; l < L; l++) {
      const layer = this.layers[l], p = this.p[l], xproj = layer.xproj;
      for (let r = 0; r < rows; r++) xproj.set(p.bx, r * GH);
      if (l === 0) {
        for (let r = 0; r < rows; r++) {
          const ix = this.inputs[r];
          for (let j = 0; j < GH; j++) xproj[r * GH + j] += p.Wx[j * V + ix];
        }
      } else {
        this.k.matmulABt(xproj, this.layers[l - 1].out, p.Wx, rows, GH, H);
      }
      const state0 = this.layerState(state, l);
      layer.forward(p, state0, T);
      layer.finalState(state0);
    }

    const logits = this.logits, top = this.layers[L - 1].out;
    for (let r = 0; r < rows; r++) logits.set(this.by, r * V);
    this.k.matmulABt(logits, top, this.Why, rows, V, H);
    this.steps = T;
    this.hadTargets = targets !== null;
    if (!targets) return 0;

    // Softmax in place (max-shifted for stability). The cross-entropy is taken in log-sum-exp form,
    // −log p = log Σ exp(y − max) − (y_target − max), so it stays finite where p underflows float32.
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * V, target = targets[r];
      this.targets[r] = target;
      let max = -Infinity;
      for (let v = 0; v < V; v++) if (logits[o + v] > max) max = logits[o + v];
      const shiftedTarget = logits[o + target] - max;
      let sum = 0;
      for (let v = 0; v < V; v++) sum += (logits[o + v] = Math.exp(logits[o + v] - max));
      for (let v = 0; v < V; v++) logits[o + v] /= sum;
      loss += Math.log(sum) - shiftedTarget;
    }
    return loss / B;
  }

  /** Layer l's part of a state buffer; the views are cut once per buffer, not on every step. */
  private layerState(state: FloatArray, l: number): FloatArray {
    if (this.stateViewsOf !== state) {
      const n = this.batchSize * this.stateSize;
      this.stateViews = Array.from({ length: this.config.layers }, (_, k) => state.subarray(k * n, (k + 1) * n));
      this.stateViewsOf = state;
    }
    return this.stateViews[l];
  }

  /** Backpropagate the last forward's loss, accumulating into grads (the caller zeroes them). */
  backward(): void {
    if (!this.g || !this.gWhy || !this.gby) throw new Error('this network was built without gradients');
    if (this.steps < 0 || !this.hadTargets) throw new Error('backward needs a forward with targets first');
    const { config, batchSize: B, steps: T } = this;
    const { hiddenSize: H, vocabSize: V, layers: L } = config;
    const rows = T * B, dLogits = this.logits; // reused in place: dy = (p − onehot) / B

    for (let r = 0; r < rows; r++) {
      const o = r * V;
      dLogits[o + this.targets[r]] -= 1;
      for (let v = 0; v < V; v++) dLogits[o + v] /= B;
      for (let v = 0; v < V; v++) this.gby[v] += dLogits[o + v];
    }
    const top = this.layers[L - 1].out;
    this.k.matmulAtB(this.gWhy, dLogits, top, V, H, rows);    // dWhy = Σ dyᵀ h
    let dOut = this.dTop[L - 1];
    dOut.fill(0, 0, rows * H);
    this.k.matmulAB(dOut, dLogits, this.Why, rows, H, V);     // dh = Whyᵀ dy

    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l], p = this.p[l], g = this.g[l];
      layer.backward(p, g, dOut);
      const dX = layer.dXproj, GH = dX.length / (this.maxSteps * B);
      for (let r = 0; r < rows; r++) for (let j = 0; j < GH; j++) g.bx[j] += dX[r * GH + j];
      if (l === 0) {
        for (let r = 0; r < rows; r++) {
          const ix = this.inputs[r];
          for (let j = 0; j < GH; j++) g.Wx[j * V + ix] += dX[r * GH + j];
        }
      } else {
        const below = this.layers[l - 1].out;
        this.k.matmulAtB(g.Wx, dX, below, GH, H, rows);       // dWx = Σ dxprojᵀ h^{l-1}
        dOut = this.dTop[l - 1];
        dOut.fill(0, 0, rows * H);
        this.k.matmulAB(dOut, dX, p.Wx, rows, H, GH);         // dh^{l-1} = Wxᵀ dxproj
      }
    }
    this.steps = -1; // the caches now hold gradients: a second backward would be wrong
  }
}

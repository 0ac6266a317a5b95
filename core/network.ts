// The network: a stack of recurrent layers over one-hot characters, a linear read-out and softmax
// cross-entropy. Forward and backward over a window of T steps for B parallel streams.
//
//   xproj⁰_t = Wx⁰[:, x_t] + bx⁰                 (one-hot input: a column gather)
//   h^l_t    = cell(xproj^l_t, h^l_{t-1})         xproj^l = h^{l-1}·Wx^lᵀ + bx^l  for l ≥ 1
//   y_t      = Why·h^top_t + by,   p_t = softmax(y_t),   loss = Σ_t mean_b −log p_t[target]
//
// With dropout p in training, each layer's output is passed on (to the layer above, or to the read-out)
// as h^l ⊙ m^l / (1 − p) (core/dropout.ts); the recurrence inside a layer always sees the plain h^l.
//
// Buffers are time-major: row r = t·B + b. The loss is summed over time and averaged over the
// batch, so batch 1 is exactly the seed's lossFun.
import type { ModelConfig } from './config.js';
import { cellDefinition } from './cells/index.js';
import type { LayerTensors, RecurrentLayer } from './cells/cell.js';
import { layerTensors, paramLayout, tensorViews, type ParamLayout } from './layout.js';
import type { Kernels } from './kernels/kernels.js';
import { loopKernels } from './kernels/loops.js';
import type { Arena } from './kernels/arena.js';
import { kernelFallbackReason, preferredWasmSet, wasmKernels } from './kernels/wasm.js';
import { precisionOf, type FloatArray, type Precision } from './tensor.js';
import { allocateNetworkBuffers } from './network-buffers.js';
import { dropoutBackward, dropoutForward, dropoutLayerKey, dropThreshold, type DropoutDraw } from './dropout.js';

export interface NetworkOptions {
  maxSteps: number; // T the buffers are sized for
  batchSize: number; // B
  kernels?: Kernels;   // default: the WebAssembly SIMD kernels for float32, the loop kernels for float64
  reserveFloats?: number; // extra floats kept in the arena for adopt()'s optimizer state
  dropout?: number;        // the rate a training forward may apply (0 or absent: no dropout buffers)
}

/** The kernels a network of this precision uses unless told otherwise. */
export function defaultKernels(precision: Precision): Kernels {
  return precision === 'f32' && preferredWasmSet() ? wasmKernels : loopKernels;
}

/** The network's own buffers in WebAssembly memory (see Network.adopt). */
export interface ResidentBuffers {
  params: Float32Array;
  grads: Float32Array | null;
  optimizerState: Float32Array;
}

export class Network {
  readonly layout: ParamLayout;
  /** The arena every buffer lives in on the WebAssembly path (float32 with kernels that have one). */
  readonly arena: Arena | null;
  /** Why a float32 network that asked for WebAssembly runs on the TypeScript loops; null when it does not. */
  readonly fallbackReason: string | null;
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
  private readonly k: Kernels;
  private userParams: FloatArray;        // the caller's buffers; on the WebAssembly path they are
  private userGrads: FloatArray | null;  // copied in and out at the edges unless adopted
  // The WebAssembly path only: the buffers the kernels work on.
  private readonly ownParams: FloatArray;
  private readonly ownGrads: FloatArray | null;
  private readonly ownState: FloatArray;       // [L, B, stateSize]
  private readonly reserve: Float32Array | null;
  private readonly embedScratch: FloatArray;   // [V, G*H] for the first layer's gather
  readonly dropout: number;                    // the rate of a forward given a DropoutDraw
  private readonly dropped: FloatArray[];      // per layer [T, B, H]: h ⊙ mask, what the layer passes on
  private readonly masks: FloatArray[];        // per layer [T, B, H]: 0 or 1/(1 − p)
  private dropoutApplied = false;              // whether the last forward dropped (backward follows it)

  constructor(readonly config: ModelConfig, params: FloatArray, grads: FloatArray | null, opts: NetworkOptions) {
    const precision = precisionOf(params);
    if (grads && precisionOf(grads) !== precision) throw new TypeError('params and grads must share a precision');
    const k = opts.kernels ?? defaultKernels(precision);
    this.layout = paramLayout(config);
    const cell = cellDefinition(config.cell);
    const { hiddenSize: H, layers: L } = config;
    const T = (this.maxSteps = opts.maxSteps), B = (this.batchSize = opts.batchSize);
    this.stateSize = cell.stateMultiple * H;
    this.userParams = params;
    this.userGrads = grads;
    const rate = (this.dropout = opts.dropout ?? 0);
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout must be from 0 to below 1; got ${rate}`);

    // Every buffer comes from one workspace (network-buffers.ts): plain arrays, or one arena sized by a counting pass.
    const { arena, buffers: b } = allocateNetworkBuffers({
      config, cell, kernels: k, precision, maxSteps: T, batchSize: B, stateSize: this.stateSize, paramCount: this.layout.size,
      params, grads, dropout: rate, reserveFloats: opts.reserveFloats ?? 0,
    });
    this.arena = arena;
    this.k = arena ? k : (k.createArena ? loopKernels : k); // float64 never runs in an arena
    // float32 asked for WebAssembly and did not get it: say why (float64 is the oracle's, by design)
    this.fallbackReason = precision === 'f32' && k.createArena && !arena ? kernelFallbackReason() ?? 'unknown' : null;
    this.ownParams = b.ownParams;
    this.ownGrads = b.ownGrads;
    this.layers = b.layers;
    this.dTop = b.dTop;
    this.dropped = b.dropped;
    this.masks = b.masks;
    this.logits = b.logits;
    this.ownState = b.ownState;
    this.embedScratch = b.embedScratch;
    this.inputs = b.inputs;
    this.targets = b.targets;
    this.reserve = b.reserve;

    const pv = tensorViews(this.layout, this.ownParams);
    const gv = this.ownGrads ? tensorViews(this.layout, this.ownGrads) : null;
    this.p = [];
    const g: LayerTensors[] = [];
    for (let l = 0; l < L; l++) {
      this.p.push(layerTensors(config, pv, l));
      if (gv) g.push(layerTensors(config, gv, l));
    }
    this.g = gv ? g : null;
    this.Why = pv.get('Why')!;
    this.by = pv.get('by')!;
    this.gWhy = gv ? gv.get('Why')! : null;
    this.gby = gv ? gv.get('by')! : null;
  }

  /** The parameters the network reads (after adopt(), its own buffer). */
  get params(): FloatArray {
    return this.userParams;
  }

  /** The gradients backward accumulates into (after adopt(), its own buffer). */
  get grads(): FloatArray | null {
    return this.userGrads;
  }

  /** The kernel set in use: 'wasm-relaxed-simd', 'wasm-simd', or a plain one ('loops'). */
  get kernelsName(): string {
    return this.arena ? this.arena.kernelSet : this.k.name;
  }

  /**
   * On the WebAssembly path, make the network's own buffers the real ones: params (and
   * optimizerState into the reserve) are copied in once, and from now on the caller must use
   * the returned views instead of its arrays, which saves copying parameters in on every forward
   * and gradients out on every backward. Returns null on the plain path (nothing changes).
   */
  adopt(params: FloatArray, optimizerState?: FloatArray): ResidentBuffers | null {
    if (!this.arena || !this.reserve) return null;
    const reserve = this.reserve.subarray(0, optimizerState?.length ?? 0);
    if (optimizerState && optimizerState.length > this.reserve.length) {
      throw new RangeError(`optimizer state of ${optimizerState.length} floats; ${this.reserve.length} reserved`);
    }
    this.ownParams.set(params);
    if (optimizerState) reserve.set(optimizerState);
    this.userParams = this.ownParams;
    if (this.userGrads) this.userGrads = this.ownGrads;
    return { params: this.ownParams as Float32Array, grads: this.ownGrads as Float32Array | null, optimizerState: reserve };
  }

  /** Floats of carried state for all layers and streams: [L, B, stateSize]. */
  get stateLength(): number {
    return this.config.layers * this.batchSize * this.stateSize;
  }

  /**
   * Forward T steps. inputs/targets: [T, B] character indices (targets may be null when only
   * logits are wanted). state: [L, B, stateSize], read as the start state and overwritten with
   * the state after the last step. Returns the loss Σ_t mean_b −log p (0 without targets).
   * With a DropoutDraw (training only), each layer's output is dropped at the network's rate with that
   * draw's masks; without one (validation, eval, sampling, inspection) nothing is dropped.
   */
  forward(inputs: ArrayLike<number>, targets: ArrayLike<number> | null, state: FloatArray, T: number,
          dropout?: DropoutDraw): number {
    const { config, batchSize: B } = this;
    const { hiddenSize: H, vocabSize: V, layers: L } = config;
    if (T < 1 || T > this.maxSteps) throw new RangeError(`forward over ${T} steps; the network holds 1..${this.maxSteps}`);
    if (state.length !== this.stateLength) throw new RangeError(`state has ${state.length} floats; expected ${this.stateLength}`);
    if (dropout && this.dropout === 0) throw new Error('this network was built without dropout buffers');
    const rows = T * B;
    for (let r = 0; r < rows; r++) this.inputs[r] = inputs[r];
    this.dropoutApplied = dropout !== undefined;
    const arena = this.arena;
    if (arena) {
      if (this.userParams !== this.ownParams) this.ownParams.set(this.userParams); // not adopted: copy in
      return this.forwardWasm(arena, targets, state, T, dropout);
    }
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
        this.k.matmulABt(xproj, this.passedOn(l - 1), p.Wx, rows, GH, H);
      }
      const state0 = this.layerState(state, l);
      layer.forward(p, state0, T);
      layer.finalState(state0);
      if (dropout) {
        dropoutForward(this.dropped[l], this.masks[l], layer.out, T, B, H, this.dropout,
          dropoutLayerKey(dropout.key, l), dropout.firstStream);
      }
    }

    const logits = this.logits, top = this.passedOn(L - 1);
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

  /** What layer l passes on in the last forward: its output, dropped when that forward dropped. */
  private passedOn(l: number): FloatArray {
    return this.dropoutApplied ? this.dropped[l] : this.layers[l].out;
  }

  private forwardWasm(arena: Arena, targets: ArrayLike<number> | null, state: FloatArray, T: number,
                      dropout: DropoutDraw | undefined): number {
    const { config, batchSize: B, logits } = this;
    const { hiddenSize: H, vocabSize: V, layers: L } = config;
    const x = arena.x, rows = T * B;
    this.ownState.set(state);
    for (let l = 0; l < L; l++) {
      const layer = this.layers[l], p = this.p[l], xproj = layer.xproj;
      const GH = xproj.length / (this.maxSteps * B);
      if (l === 0) {
        x.embedRows(xproj.byteOffset, p.bx.byteOffset, p.Wx.byteOffset, this.inputs.byteOffset, rows, GH, V, this.embedScratch.byteOffset);
      } else {
        x.fillRows(xproj.byteOffset, p.bx.byteOffset, rows, GH);
        x.matmulABt(xproj.byteOffset, this.passedOn(l - 1).byteOffset, p.Wx.byteOffset, rows, GH, H);
      }
      const state0 = this.layerState(this.ownState, l);
      layer.forward(p, state0, T);
      layer.finalState(state0);
      if (dropout) {
        x.dropoutForward(this.dropped[l].byteOffset, this.masks[l].byteOffset, layer.out.byteOffset, T, B, H,
          dropThreshold(this.dropout), 1 / (1 - this.dropout), dropoutLayerKey(dropout.key, l), dropout.firstStream);
      }
    }
    x.fillRows(logits.byteOffset, this.by.byteOffset, rows, V);
    x.matmulABt(logits.byteOffset, this.passedOn(L - 1).byteOffset, this.Why.byteOffset, rows, V, H);
    state.set(this.ownState);
    this.steps = T;
    this.hadTargets = targets !== null;
    if (!targets) return 0;
    for (let r = 0; r < rows; r++) this.targets[r] = targets[r];
    return x.softmaxLoss(logits.byteOffset, this.targets.byteOffset, rows, V) / B;
  }

  private backwardWasm(arena: Arena): void {
    const { config, batchSize: B, steps: T } = this;
    const { hiddenSize: H, vocabSize: V, layers: L } = config;
    const x = arena.x, rows = T * B, g = this.g!, userGrads = this.userGrads!, ownGrads = this.ownGrads!;
    if (userGrads !== ownGrads) ownGrads.set(userGrads); // backward accumulates into the caller's gradients
    const dLogits = this.logits, top = this.passedOn(L - 1);
    x.softmaxBackward(dLogits.byteOffset, this.targets.byteOffset, rows, V, 1 / B, this.gby!.byteOffset);
    x.matmulAtB(this.gWhy!.byteOffset, dLogits.byteOffset, top.byteOffset, V, H, rows);
    let dOut = this.dTop[L - 1];
    dOut.fill(0, 0, rows * H);
    x.matmulAB(dOut.byteOffset, dLogits.byteOffset, this.Why.byteOffset, rows, H, V);
    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l], p = this.p[l], gl = g[l];
      if (this.dropoutApplied) x.multiplyInPlace(dOut.byteOffset, this.masks[l].byteOffset, rows * H);
      layer.backward(p, gl, dOut);
      const dX = layer.dXproj, GH = dX.length / (this.maxSteps * B);
      x.addRowSums(gl.bx.byteOffset, dX.byteOffset, rows, GH);
      if (l === 0) {
        x.embedBackward(gl.Wx.byteOffset, dX.byteOffset, this.inputs.byteOffset, rows, GH, V, this.embedScratch.byteOffset);
      } else {
        const below = this.passedOn(l - 1);
        x.matmulAtB(gl.Wx.byteOffset, dX.byteOffset, below.byteOffset, GH, H, rows);
        dOut = this.dTop[l - 1];
        dOut.fill(0, 0, rows * H);
        x.matmulAB(dOut.byteOffset, dX.byteOffset, p.Wx.byteOffset, rows, H, GH);
      }
    }
    if (userGrads !== ownGrads) userGrads.set(ownGrads);
    this.steps = -1;
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
    if (this.arena) return this.backwardWasm(this.arena);
    const rows = T * B, dLogits = this.logits; // reused in place: dy = (p − onehot) / B

    for (let r = 0; r < rows; r++) {
      const o = r * V;
      dLogits[o + this.targets[r]] -= 1;
      for (let v = 0; v < V; v++) dLogits[o + v] /= B;
      for (let v = 0; v < V; v++) this.gby[v] += dLogits[o + v];
    }
    const top = this.passedOn(L - 1);
    this.k.matmulAtB(this.gWhy, dLogits, top, V, H, rows);    // dWhy = Σ dyᵀ h
    let dOut = this.dTop[L - 1];
    dOut.fill(0, 0, rows * H);
    this.k.matmulAB(dOut, dLogits, this.Why, rows, H, V);     // dh = Whyᵀ dy

    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l], p = this.p[l], g = this.g[l];
      if (this.dropoutApplied) dropoutBackward(dOut, this.masks[l], rows * H); // wrt what was passed on → wrt h^l
      layer.backward(p, g, dOut);
      const dX = layer.dXproj, GH = dX.length / (this.maxSteps * B);
      for (let r = 0; r < rows; r++) for (let j = 0; j < GH; j++) g.bx[j] += dX[r * GH + j];
      if (l === 0) {
        for (let r = 0; r < rows; r++) {
          const ix = this.inputs[r];
          for (let j = 0; j < GH; j++) g.Wx[j * V + ix] += dX[r * GH + j];
        }
      } else {
        const below = this.passedOn(l - 1);
        this.k.matmulAtB(g.Wx, dX, below, GH, H, rows);       // dWx = Σ dxprojᵀ h^{l-1}
        dOut = this.dTop[l - 1];
        dOut.fill(0, 0, rows * H);
        this.k.matmulAB(dOut, dX, p.Wx, rows, H, GH);         // dh^{l-1} = Wxᵀ dxproj
      }
    }
    this.steps = -1; // the caches now hold gradients: a second backward would be wrong
  }
}

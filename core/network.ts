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
//
// This file is the plain path, in loops over typed arrays; the WebAssembly path runs the same passes as kernel calls
// on one arena (network-arena.ts). Every buffer is planned in network-buffers.ts; the loss is softmax-loss.ts.
import type { ModelConfig } from './config.js';
import { cellDefinition } from './cells/index.js';
import type { LayerTensors } from './cells/cell.js';
import { layerTensors, paramLayout, tensorViews, type ParamLayout } from './layout.js';
import type { Kernels } from './kernels/kernels.js';
import { loopKernels } from './kernels/loops.js';
import type { Arena } from './kernels/arena.js';
import { kernelFallbackReason, preferredWasmSet, wasmKernels } from './kernels/wasm.js';
import { precisionOf, type FloatArray, type Precision } from './tensor.js';
import { allocateNetworkBuffers, type NetworkBuffers } from './network-buffers.js';
import { backwardOnArena, forwardOnArena, type ArenaNetwork } from './network-arena.js';
import { dropoutBackward, dropoutForward, dropoutLayerKey, type DropoutDraw } from './dropout.js';
import { softmaxCrossEntropyBackward, softmaxCrossEntropyForward } from './softmax-loss.js';

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
  /** Every buffer: layers (with their caches), dTop, dropped, masks, inputs, targets; own copies and reserve on the WebAssembly path. */
  private readonly buf: NetworkBuffers;
  private readonly p: LayerTensors[];
  private readonly g: LayerTensors[] | null;
  private readonly Why: FloatArray;
  private readonly by: FloatArray;
  private readonly gWhy: FloatArray | null;
  private readonly gby: FloatArray | null;
  private steps = -1;
  private hadTargets = false;
  private stateViewsOf: FloatArray | null = null; // the state buffer the per-layer views below cut
  private stateViews: FloatArray[] = [];
  private readonly k: Kernels;
  private userParams: FloatArray;        // the caller's buffers; on the WebAssembly path they are
  private userGrads: FloatArray | null;  // copied in and out at the edges unless adopted
  private readonly onArena: ArenaNetwork | null;  // what the WebAssembly path's passes read (network-arena.ts)
  readonly dropout: number;                    // the rate of a forward given a DropoutDraw
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
    this.buf = b;
    this.logits = b.logits;

    const pv = tensorViews(this.layout, this.buf.ownParams);
    const gv = this.buf.ownGrads ? tensorViews(this.layout, this.buf.ownGrads) : null;
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
    const n = B * this.stateSize;
    this.onArena = arena && {
      x: arena.x, config, batchSize: B, maxSteps: T, dropout: rate, buffers: b, p: this.p, Why: this.Why, by: this.by,
      g: this.g, gWhy: this.gWhy, gby: this.gby, stateViews: Array.from({ length: L }, (_, l) => b.ownState.subarray(l * n, (l + 1) * n)),
    };
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
    if (!this.arena || !this.buf.reserve) return null;
    const reserve = this.buf.reserve.subarray(0, optimizerState?.length ?? 0);
    if (optimizerState && optimizerState.length > this.buf.reserve.length) {
      throw new RangeError(`optimizer state of ${optimizerState.length} floats; ${this.buf.reserve.length} reserved`);
    }
    this.buf.ownParams.set(params);
    if (optimizerState) reserve.set(optimizerState);
    this.userParams = this.buf.ownParams;
    if (this.userGrads) this.userGrads = this.buf.ownGrads;
    return { params: this.buf.ownParams as Float32Array, grads: this.buf.ownGrads as Float32Array | null, optimizerState: reserve };
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
    for (let r = 0; r < rows; r++) this.buf.inputs[r] = inputs[r];
    this.dropoutApplied = dropout !== undefined;
    if (this.onArena) {
      if (this.userParams !== this.buf.ownParams) this.buf.ownParams.set(this.userParams); // not adopted: copy in
      const loss = forwardOnArena(this.onArena, targets, state, T, dropout);
      this.steps = T;
      this.hadTargets = targets !== null;
      return loss;
    }
    const GH = this.buf.layers[0].xproj.length / (this.maxSteps * B);

    for (let l = 0; l < L; l++) {
      const layer = this.buf.layers[l], p = this.p[l], xproj = layer.xproj;
      for (let r = 0; r < rows; r++) xproj.set(p.bx, r * GH);
      if (l === 0) {
        for (let r = 0; r < rows; r++) {
          const ix = this.buf.inputs[r];
          for (let j = 0; j < GH; j++) xproj[r * GH + j] += p.Wx[j * V + ix];
        }
      } else {
        this.k.matmulABt(xproj, this.passedOn(l - 1), p.Wx, rows, GH, H);
      }
      const state0 = this.layerState(state, l);
      layer.forward(p, state0, T);
      layer.finalState(state0);
      if (dropout) {
        dropoutForward(this.buf.dropped[l], this.buf.masks[l], layer.out, T, B, H, this.dropout,
          dropoutLayerKey(dropout.key, l), dropout.firstStream);
      }
    }

    const logits = this.logits, top = this.passedOn(L - 1);
    for (let r = 0; r < rows; r++) logits.set(this.by, r * V);
    this.k.matmulABt(logits, top, this.Why, rows, V, H);
    this.steps = T;
    this.hadTargets = targets !== null;
    if (!targets) return 0;
    for (let r = 0; r < rows; r++) this.buf.targets[r] = targets[r];
    return softmaxCrossEntropyForward(logits, targets, rows, V) / B;   // p_t = softmax(y_t), loss = Σ_t mean_b −log p_t[target]
  }

  /** What layer l passes on in the last forward: its output, dropped when that forward dropped. */
  private passedOn(l: number): FloatArray {
    return this.dropoutApplied ? this.buf.dropped[l] : this.buf.layers[l].out;
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
    if (this.onArena) {
      backwardOnArena(this.onArena, T, this.dropoutApplied, this.userGrads!);
      this.steps = -1;
      return;
    }
    const rows = T * B, dLogits = this.logits; // reused in place: dy = (p − onehot) / B
    softmaxCrossEntropyBackward(dLogits, this.gby, this.buf.targets, rows, V, B);   // and dby = Σ dy
    const top = this.passedOn(L - 1);
    this.k.matmulAtB(this.gWhy, dLogits, top, V, H, rows);    // dWhy = Σ dyᵀ h
    let dOut = this.buf.dTop[L - 1];
    dOut.fill(0, 0, rows * H);
    this.k.matmulAB(dOut, dLogits, this.Why, rows, H, V);     // dh = Whyᵀ dy

    for (let l = L - 1; l >= 0; l--) {
      const layer = this.buf.layers[l], p = this.p[l], g = this.g[l];
      if (this.dropoutApplied) dropoutBackward(dOut, this.buf.masks[l], rows * H); // wrt what was passed on → wrt h^l
      layer.backward(p, g, dOut);
      const dX = layer.dXproj, GH = dX.length / (this.maxSteps * B);
      for (let r = 0; r < rows; r++) for (let j = 0; j < GH; j++) g.bx[j] += dX[r * GH + j];
      if (l === 0) {
        for (let r = 0; r < rows; r++) {
          const ix = this.buf.inputs[r];
          for (let j = 0; j < GH; j++) g.Wx[j * V + ix] += dX[r * GH + j];
        }
      } else {
        const below = this.passedOn(l - 1);
        this.k.matmulAtB(g.Wx, dX, below, GH, H, rows);       // dWx = Σ dxprojᵀ h^{l-1}
        dOut = this.buf.dTop[l - 1];
        dOut.fill(0, 0, rows * H);
        this.k.matmulAB(dOut, dX, p.Wx, rows, H, GH);         // dh^{l-1} = Wxᵀ dxproj
      }
    }
    this.steps = -1; // the caches now hold gradients: a second backward would be wrong
  }
}

// The network's forward and backward on the WebAssembly path: the same equations as network.ts's plain loops, run by
// the arena's kernels on byte offsets into one memory. Every buffer is a view of that memory (network-buffers.ts), so
// nothing is copied inside a step. Its own file so network.ts reads as the maths; this is the same maths in kernel calls.
import type { ModelConfig } from './config.js';
import type { LayerTensors } from './cells/cell.js';
import type { WasmExports } from './kernels/arena.js';
import type { NetworkBuffers } from './network-buffers.js';
import type { FloatArray } from './tensor.js';
import { dropoutLayerKey, dropThreshold, type DropoutDraw } from './dropout.js';

/** What the arena's passes work on: a network's shape, its buffers and its weights' views, all inside one arena. */
export interface ArenaNetwork {
  readonly x: WasmExports;
  readonly config: ModelConfig;
  readonly batchSize: number;       // B
  readonly maxSteps: number;        // T the buffers are sized for
  readonly dropout: number;         // the rate of a forward given a DropoutDraw
  readonly buffers: NetworkBuffers;
  readonly p: LayerTensors[];       // per layer: Wx, Wh, bx (bh)
  readonly Why: FloatArray;
  readonly by: FloatArray;
  readonly g: LayerTensors[] | null;
  readonly gWhy: FloatArray | null;
  readonly gby: FloatArray | null;
  readonly stateViews: FloatArray[]; // per layer: its [B, stateSize] part of buffers.ownState
}

/** What layer l passes on: its output, or the output dropped when the pass dropped. */
function passedOn(net: ArenaNetwork, dropped: boolean, l: number): FloatArray {
  return dropped ? net.buffers.dropped[l] : net.buffers.layers[l].out;
}

/**
 * Forward T steps over buffers.inputs (filled by the caller), from `state` ([L, B, stateSize], overwritten with the
 * state after the last step). Returns the loss Σ_t mean_b −log p, or 0 without targets (logits then stay logits).
 */
export function forwardOnArena(net: ArenaNetwork, targets: ArrayLike<number> | null, state: FloatArray, T: number,
                               dropout: DropoutDraw | undefined): number {
  const { x, config, batchSize: B, buffers: b } = net;
  const { hiddenSize: H, vocabSize: V, layers: L } = config;
  const rows = T * B, dropped = dropout !== undefined;
  b.ownState.set(state);
  for (let l = 0; l < L; l++) {
    const layer = b.layers[l], p = net.p[l], xproj = layer.xproj;
    const GH = xproj.length / (net.maxSteps * B);
    if (l === 0) {
      x.embedRows(xproj.byteOffset, p.bx.byteOffset, p.Wx.byteOffset, b.inputs.byteOffset, rows, GH, V, b.embedScratch.byteOffset);
    } else {
      x.fillRows(xproj.byteOffset, p.bx.byteOffset, rows, GH);
      x.matmulABt(xproj.byteOffset, passedOn(net, dropped, l - 1).byteOffset, p.Wx.byteOffset, rows, GH, H);
    }
    const state0 = net.stateViews[l];
    layer.forward(p, state0, T);
    layer.finalState(state0);
    if (dropout) {
      x.dropoutForward(b.dropped[l].byteOffset, b.masks[l].byteOffset, layer.out.byteOffset, T, B, H,
        dropThreshold(net.dropout), 1 / (1 - net.dropout), dropoutLayerKey(dropout.key, l), dropout.firstStream);
    }
  }
  x.fillRows(b.logits.byteOffset, net.by.byteOffset, rows, V);
  x.matmulABt(b.logits.byteOffset, passedOn(net, dropped, L - 1).byteOffset, net.Why.byteOffset, rows, V, H);
  state.set(b.ownState);
  if (!targets) return 0;
  for (let r = 0; r < rows; r++) b.targets[r] = targets[r];
  return x.softmaxLoss(b.logits.byteOffset, b.targets.byteOffset, rows, V) / B;
}

/** Backpropagate the last forward (T steps, `dropped` whether it dropped), accumulating into userGrads. */
export function backwardOnArena(net: ArenaNetwork, T: number, dropped: boolean, userGrads: FloatArray): void {
  const { x, config, batchSize: B, buffers: b } = net;
  const { hiddenSize: H, vocabSize: V, layers: L } = config;
  const rows = T * B, g = net.g!, ownGrads = b.ownGrads!;
  if (userGrads !== ownGrads) ownGrads.set(userGrads); // backward accumulates into the caller's gradients
  const dLogits = b.logits, top = passedOn(net, dropped, L - 1);
  x.softmaxBackward(dLogits.byteOffset, b.targets.byteOffset, rows, V, 1 / B, net.gby!.byteOffset);
  x.matmulAtB(net.gWhy!.byteOffset, dLogits.byteOffset, top.byteOffset, V, H, rows);
  let dOut = b.dTop[L - 1];
  dOut.fill(0, 0, rows * H);
  x.matmulAB(dOut.byteOffset, dLogits.byteOffset, net.Why.byteOffset, rows, H, V);
  for (let l = L - 1; l >= 0; l--) {
    const layer = b.layers[l], p = net.p[l], gl = g[l];
    if (dropped) x.multiplyInPlace(dOut.byteOffset, b.masks[l].byteOffset, rows * H);
    layer.backward(p, gl, dOut);
    const dX = layer.dXproj, GH = dX.length / (net.maxSteps * B);
    x.addRowSums(gl.bx.byteOffset, dX.byteOffset, rows, GH);
    if (l === 0) {
      x.embedBackward(gl.Wx.byteOffset, dX.byteOffset, b.inputs.byteOffset, rows, GH, V, b.embedScratch.byteOffset);
    } else {
      const below = passedOn(net, dropped, l - 1);
      x.matmulAtB(gl.Wx.byteOffset, dX.byteOffset, below.byteOffset, GH, H, rows);
      dOut = b.dTop[l - 1];
      dOut.fill(0, 0, rows * H);
      x.matmulAB(dOut.byteOffset, dX.byteOffset, p.Wx.byteOffset, rows, H, GH);
    }
  }
  if (userGrads !== ownGrads) userGrads.set(ownGrads);
}

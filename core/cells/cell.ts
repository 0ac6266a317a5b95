// The interface every recurrent cell implements (char-rnn's one-file-per-cell idea).
//
// A layer's input projection x·Wxᵀ + bx is computed by the network for all time steps at once
// (a gather for the one-hot first layer, one matrix product above it); the cell does the
// recurrence over time. Notation: T steps, B parallel streams, H hidden units, G gate blocks.
import { allocFloats, type FloatArray, type Precision } from '../tensor.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Arena } from '../kernels/arena.js';

/** Views of one layer's parameters (or of their gradients). */
export interface LayerTensors {
  Wx: FloatArray; // [G*H, In]
  Wh: FloatArray; // [G*H, H]
  bx: FloatArray; // [G*H]
  bh: FloatArray | null; // [G*H], only for cells with a separate recurrent bias (gru)
}

export interface LayerTensorNames {
  Wx: string;
  Wh: string;
  bx: string;
  bh: string | null;
}

export interface RecurrentLayer {
  /** Floats of carried state per stream (H, or 2H for lstm's [h | c]). */
  readonly stateSize: number;
  /** Outputs h_t of the last forward, [T, B, H] for the T it was run with. */
  readonly out: FloatArray;
  /** The input projection x·Wxᵀ + bx, [maxSteps, B, G*H]: the network fills it before forward. */
  readonly xproj: FloatArray;
  /** Gradient wrt xproj, [maxSteps, B, G*H]: backward fills it, the network reads it. */
  readonly dXproj: FloatArray;
  /**
   * Run T ≤ maxSteps steps from state0 ([B, stateSize], read only) over this.xproj.
   * Fills out[0..T) and the caches backward needs.
   */
  forward(p: LayerTensors, state0: FloatArray, T: number): void;
  /** Copy the state after the last forward's final step into dst [B, stateSize]. */
  finalState(dst: FloatArray): void;
  /**
   * Backpropagate through the last forward. dOut: [T, B, H] gradient wrt out (read only).
   * Writes this.dXproj[0..T) and accumulates dWh (and dbh) into g.
   * The gradient into state0 is dropped: truncated BPTT, as the seed.
   */
  backward(p: LayerTensors, g: LayerTensors, dOut: FloatArray): void;
}

export interface CellDefinition {
  readonly gates: number; // G
  readonly stateMultiple: number; // stateSize = stateMultiple * H
  tensorNames(layer: number): LayerTensorNames;
  createLayer(k: Kernels, precision: Precision, H: number, maxSteps: number, B: number, ws?: Workspace): RecurrentLayer;
}

/**
 * Where a layer's buffers come from: plain typed arrays, or a WebAssembly arena (then the
 * layer may run its fused kernels on them). A planning workspace only counts the floats.
 */
export interface Workspace {
  readonly arena: Arena | null;
  floats(n: number): FloatArray;
}

export function plainWorkspace(precision: Precision): Workspace {
  return { arena: null, floats: (n) => allocFloats(precision, n) };
}

/** Names for layer 0 are the bare names (the seed's for rnn); deeper layers get a suffix _1, _2, ... */
export function layerName(base: string, layer: number): string {
  return layer === 0 ? base : `${base}_${layer}`;
}

/** Precomputed [T] views of a [T, rows] buffer, so the time loop allocates nothing. */
export function stepViews(buf: FloatArray, steps: number, rowSize: number): FloatArray[] {
  const views: FloatArray[] = [];
  for (let t = 0; t < steps; t++) views.push(buf.subarray(t * rowSize, (t + 1) * rowSize));
  return views;
}

// The network's buffers, planned once: every activation, cache and gradient buffer a Network of one
// shape needs, taken in a fixed order from one workspace — plain typed arrays, or on the WebAssembly path
// one arena sized by a counting pass over the same plan (so the arena is exactly as large as the plan).
// Its own file because it is only about memory (what is allocated, how large, in which order); network.ts
// is the maths over these buffers.
import type { ModelConfig } from './config.js';
import { plainWorkspace, type CellDefinition, type RecurrentLayer, type Workspace } from './cells/cell.js';
import type { Kernels } from './kernels/kernels.js';
import { arenaFloats, type Arena } from './kernels/arena.js';
import type { FloatArray, Precision } from './tensor.js';

export interface BufferPlan {
  config: ModelConfig;
  cell: CellDefinition;
  kernels: Kernels;         // the kernels asked for: float32 with an arena-making set gets an arena if it can
  precision: Precision;
  maxSteps: number;         // T
  batchSize: number;        // B
  stateSize: number;        // floats of carried state per stream per layer
  paramCount: number;       // the parameter layout's size
  params: FloatArray;       // the caller's parameters, used as they are on the plain path
  grads: FloatArray | null; // the caller's gradients (null: a network that only runs forward)
  dropout: number;          // the rate; 0 allocates no dropout buffers
  reserveFloats: number;    // extra floats kept in the arena for adopt()'s optimizer state
}

/** What a Network holds; "own" buffers are its copies in the arena (on the plain path, the caller's or empty). */
export interface NetworkBuffers {
  ownParams: FloatArray;
  ownGrads: FloatArray | null;
  layers: RecurrentLayer[];
  dTop: FloatArray[];       // per layer [T, B, H]: gradient wrt its outputs (empty without grads)
  dropped: FloatArray[];    // per layer [T, B, H]: h ⊙ mask (empty without dropout)
  masks: FloatArray[];      // per layer [T, B, H]: 0 or 1/(1 − p) (empty without dropout)
  logits: FloatArray;       // [T, B, V]
  ownState: FloatArray;     // [L, B, stateSize] on the WebAssembly path, else empty
  embedScratch: FloatArray; // [V, G*H] for the first layer's gather on the WebAssembly path, else empty
  inputs: Int32Array;       // [T, B]
  targets: Int32Array;      // [T, B]
  reserve: Float32Array | null;
}

/** Every buffer of the plan from one workspace; resident: the arena's own copies of params, grads and state. */
function build(plan: BufferPlan, ws: Workspace, resident: boolean, ints: (n: number) => Int32Array): NetworkBuffers {
  const { config, cell, kernels: k, precision, maxSteps: T, batchSize: B, params, grads, dropout: rate } = plan;
  const { hiddenSize: H, vocabSize: V, layers: L } = config;
  const P = plan.paramCount;
  const ownParams = resident ? ws.floats(P) : params;
  const ownGrads = grads ? (resident ? ws.floats(P) : grads) : null;
  const layers: RecurrentLayer[] = [], dTop: FloatArray[] = [], dropped: FloatArray[] = [], masks: FloatArray[] = [];
  for (let l = 0; l < L; l++) {
    layers.push(cell.createLayer(k, precision, H, T, B, ws));
    dTop.push(ws.floats(grads ? T * B * H : 0));
    dropped.push(ws.floats(rate > 0 ? T * B * H : 0));
    masks.push(ws.floats(rate > 0 ? T * B * H : 0));
  }
  const logits = ws.floats(T * B * V);
  const ownState = ws.floats(resident ? L * B * plan.stateSize : 0);
  const embedScratch = ws.floats(resident ? V * cell.gates * H : 0);
  const inputs = ints(T * B), targets = ints(T * B);
  const reserve = resident ? (ws.floats(plan.reserveFloats) as Float32Array) : null;
  return { ownParams, ownGrads, layers, dTop, dropped, masks, logits, ownState, embedScratch, inputs, targets, reserve };
}

/** The plan's buffers, in an arena when float32 kernels can make one (null arena: plain arrays). */
export function allocateNetworkBuffers(plan: BufferPlan): { arena: Arena | null; buffers: NetworkBuffers } {
  const k = plan.kernels;
  let arena: Arena | null = null;
  if (plan.precision === 'f32' && k.createArena) {
    let count = 0; // floats, each allocation rounded up as the arena aligns it
    const counting = (n: number) => { count += arenaFloats(n); };
    build(plan, { arena: null, floats: (n) => { counting(n); return new Float32Array(0); } }, true,
      (n) => { counting(n); return new Int32Array(0); });
    arena = k.createArena(count);
  }
  if (arena) {
    const a = arena;
    return { arena, buffers: build(plan, { arena: a, floats: (n) => a.floats(n) }, true, (n) => a.ints(n)) };
  }
  return { arena: null, buffers: build(plan, plainWorkspace(plan.precision), false, (n) => new Int32Array(n)) };
}

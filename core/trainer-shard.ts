// One thread's part of a training step, and how a batch is cut into streams and windows.
//
// Each of B streams walks its own contiguous segment of the training text in windows of T
// characters, carrying its hidden state from window to window and resetting position and state
// when the next window would run past the segment's end (the seed's `p + T + 1 >= len(data)`).
// Its own file because the thread pool (main/training/pool) runs shards without a Trainer; the
// Trainer (trainer.ts) runs one shard over the whole batch and then applies the step.
import type { ModelConfig, TrainConfig } from './config.js';
import { CharRnnError } from './errors.js';
import type { DropoutDraw } from './dropout.js';
import type { Kernels } from './kernels/kernels.js';
import { Network } from './network.js';
import { allocFloats, type FloatArray } from './tensor.js';
import type { IndexArray } from './vocab.js';

/**
 * The first stream of each of `shards` contiguous, fixed parts of a batch, then the batch size:
 * shard k owns streams [bounds[k], bounds[k+1]). Sizes differ by at most one, larger ones first.
 */
export function shardBounds(batchSize: number, shards: number): number[] {
  if (!Number.isInteger(shards) || shards < 1 || shards > batchSize) {
    throw new RangeError(`cannot split a batch of ${batchSize} streams over ${shards} threads`);
  }
  const base = Math.floor(batchSize / shards), extra = batchSize % shards, bounds = [0];
  for (let k = 0; k < shards; k++) bounds.push(bounds[k] + base + (k < extra ? 1 : 0));
  return bounds;
}

/** Characters each stream's segment of the training text holds; refuses a segment too short for a window. */
export function segmentLengthOf(trainLength: number, training: Pick<TrainConfig, 'seqLength' | 'batchSize'>): number {
  const { seqLength: T, batchSize: B } = training;
  const seg = Math.floor(trainLength / B);
  if (seg < T + 2) {
    throw new CharRnnError('corpus-too-short',
      `Each of the ${B} streams gets ${seg} characters; sequence length ${T} needs at least ${T + 2}.`);
  }
  return seg;
}

/** Whether a stream at this position starts over (with a zero state) in its next window: the seed's wrap. */
export function wrapsAt(position: number, T: number, seg: number): boolean {
  return position + T + 1 >= seg;
}

/**
 * Forward and backward over the next window of streams [b0, b1) of a batch: one thread's part of a
 * training step. Reads the shared params, positions and carried state; zeroes the state of its own
 * streams that wrap and writes their state after the window; leaves its gradient in `grads`, scaled
 * so that the shards' gradients sum to the whole batch's (the loss is averaged over the full batch).
 * The shard over the whole batch computes exactly what a training step always has.
 */
export class TrainerShard {
  readonly net: Network;
  grads: FloatArray;
  private readonly inputs: Int32Array;  // [T, Bs]
  private readonly targets: Int32Array; // [T, Bs]
  private readonly local: FloatArray | null; // [L, Bs, S]: this shard's state, when it is not the whole batch
  private readonly draw: DropoutDraw;       // this shard's dropout: the step's key, its first stream's batch index

  constructor(readonly model: ModelConfig, readonly training: TrainConfig, params: FloatArray, readonly data: IndexArray,
              readonly segmentLength: number, readonly b0: number, readonly b1: number,
              opts: { kernels?: Kernels; grads?: FloatArray; reserveFloats?: number } = {}) {
    const { seqLength: T, batchSize: B } = training;
    if (!(0 <= b0 && b0 < b1 && b1 <= B)) throw new RangeError(`streams [${b0}, ${b1}) are not a part of a batch of ${B}`);
    const precision = params instanceof Float64Array ? 'f64' : 'f32';
    this.grads = opts.grads ?? allocFloats(precision, params.length);
    if (this.grads.length !== params.length) throw new RangeError('grads must be as long as params');
    const Bs = b1 - b0;
    this.net = new Network(model, params, this.grads, {
      maxSteps: T, batchSize: Bs, kernels: opts.kernels, reserveFloats: opts.reserveFloats, dropout: training.dropout,
    });
    this.draw = { key: 0, firstStream: b0 };
    this.inputs = new Int32Array(T * Bs);
    this.targets = new Int32Array(T * Bs);
    this.local = Bs === B ? null : allocFloats(precision, this.net.stateLength);
  }

  /**
   * On the WebAssembly path, move the state's parameters and optimizer state (and this shard's
   * gradients) into the network's memory once, so no step copies them; the state's arrays become
   * views there (and the optimizer runs there too). Build the shard with reserveFloats for it.
   */
  adopt(state: { params: FloatArray; optimizerState: FloatArray }): void { // a TrainingState's two arrays
    const resident = this.net.adopt(state.params, state.optimizerState);
    if (resident) {
      state.params = resident.params;
      state.optimizerState = resident.optimizerState;
      this.grads = resident.grads!;
    }
  }

  /**
   * Runs the window; returns this shard's part of the step's loss (Σ_t over its streams of −log p, divided
   * by the full batch). dropoutKey: the step's (dropoutStepKey), the same for every shard of a step.
   */
  run(hidden: FloatArray, positions: Int32Array, dropoutKey: number): number {
    const { seqLength: T, batchSize: B } = this.training;
    const { b0, b1, data, segmentLength: seg } = this;
    const Bs = b1 - b0, S = this.net.stateSize, L = this.model.layers;
    for (let b = b0; b < b1; b++) {
      const wraps = wrapsAt(positions[b], T, seg);
      if (wraps) for (let l = 0; l < L; l++) hidden.fill(0, (l * B + b) * S, (l * B + b + 1) * S);
      const start = b * seg + (wraps ? 0 : positions[b]);
      for (let t = 0; t < T; t++) {
        this.inputs[t * Bs + b - b0] = data[start + t];
        this.targets[t * Bs + b - b0] = data[start + t + 1];
      }
    }
    const local = this.local;
    if (local) for (let l = 0; l < L; l++) local.set(hidden.subarray((l * B + b0) * S, (l * B + b1) * S), l * Bs * S);
    const g = this.grads;
    g.fill(0);
    this.draw.key = dropoutKey;
    let lossSum = this.net.forward(this.inputs, this.targets, local ?? hidden, T, this.training.dropout > 0 ? this.draw : undefined);
    this.net.backward();
    if (local) {
      for (let l = 0; l < L; l++) hidden.set(local.subarray(l * Bs * S, (l + 1) * Bs * S), (l * B + b0) * S);
      const scale = Bs / B; // the network averaged over its Bs streams; the step averages over all B
      for (let i = 0; i < g.length; i++) g[i] *= scale;
      lossSum *= scale;
    }
    return lossSum;
  }
}

// Training: the state that a checkpoint holds, and one pure training step over it.
//
// Each of B streams walks its own contiguous segment of the training text in windows of T
// characters, carrying its hidden state from window to window and resetting position and state
// when the next window would run past the segment's end (the seed's `p + T + 1 >= len(data)`).
import { validateModelConfig, validateTrainConfig, type ModelConfig, type TrainConfig } from './config.js';
import type { Corpus } from './corpus.js';
import { CharRnnError } from './errors.js';
import type { LossPoint } from './history.js';
import type { Kernels } from './kernels/kernels.js';
import { paramLayout } from './layout.js';
import { cellDefinition } from './cells/index.js';
import { Network } from './network.js';
import { clipElementwise, clipGlobalNorm, optimizerStateMultiple, optimizerStep } from './optim.js';
import { Rng } from './rng.js';
import { dropoutStepKey, type DropoutDraw } from './dropout.js';
import { updateEma } from './ema.js';
import type { LearningRateSchedule } from './schedule.js';
import { allocFloats, type FloatArray, type Precision } from './tensor.js';
import type { IndexArray, Vocabulary } from './vocab.js';

export interface TrainingState {
  model: ModelConfig;
  training: TrainConfig;
  vocab: Vocabulary;
  params: FloatArray;        // flat, laid out by paramLayout(model)
  /** The moving average of params (training.ema > 0), which evaluation and export use; null when off. */
  emaParams: FloatArray | null;
  optimizerState: FloatArray; // multiple × params.length
  optimizerSteps: number;
  hidden: FloatArray;        // [layers, batch, stateSize]: carried state of each stream
  positions: Int32Array;     // [batch]: each stream's offset inside its segment
  iteration: number;
  epoch: number;
  charsSeen: number;
  smoothLoss: number;        // nats per char, the seed's 0.999/0.001 average
  bestValLoss: number | null; // nats per char
  corpusFingerprint: string | null;
  lossHistory: LossPoint[];
  /**
   * Threads the batch's streams are split over (1 ≤ threads ≤ batch size). Each thread's gradient
   * is summed in a fixed order, so the count is part of what makes a run reproducible: a checkpoint
   * records it and a resumed run keeps it to continue bit for bit.
   */
  threads: number;
  /**
   * The kernel set that trained it last ('wasm-relaxed-simd', 'wasm-simd', 'loops'); null before its
   * first step, or from a checkpoint older than the record. The sets differ in the last bits, so a
   * resumed run asks for the same one to continue bit for bit.
   */
  kernels: string | null;
  /**
   * The learning-rate schedule the run was configured with (null: the constant training.learningRate).
   * Each step's rate is learningRateAt(schedule, progress, training.learningRate), passed into the step;
   * neither this nor `training` changes during a run, so a save at any moment records the configuration.
   */
  schedule: LearningRateSchedule | null;
}

export interface StepResult {
  loss: number;       // this window's loss, nats per char (mean over streams)
  smoothLoss: number; // nats per char
  gradNorm: number;   // L2 norm of the gradient after the element-wise clip, before the global-norm clip
}

/** A fresh model with the seed's initialisation: weights N(0,1)·0.1, biases zero. */
export function createTrainingState(model: ModelConfig, training: TrainConfig, vocab: Vocabulary,
                                    precision: Precision = 'f32'): TrainingState {
  model = validateModelConfig(model);
  training = validateTrainConfig(training);
  if (model.vocabSize !== vocab.size) throw new RangeError('model.vocabSize must equal the vocabulary size');
  const layout = paramLayout(model);
  const rng = Rng.fromSeed(training.seed);
  const params = allocFloats(precision, layout.size);
  for (const t of layout.tensors) {
    if (t.isBias) continue;
    for (let i = t.offset; i < t.offset + t.size; i++) params[i] = rng.nextNormal() * 0.1;
  }
  const stateSize = cellDefinition(model.cell).stateMultiple * model.hiddenSize; // as Network's, without building one
  return {
    model,
    training,
    vocab,
    params,
    emaParams: training.ema > 0 ? params.slice() : null,
    optimizerState: allocFloats(precision, optimizerStateMultiple(training.optimizer) * layout.size),
    optimizerSteps: 0,
    hidden: allocFloats(precision, model.layers * training.batchSize * stateSize),
    positions: new Int32Array(training.batchSize),
    iteration: 0,
    epoch: 0,
    charsSeen: 0,
    smoothLoss: Math.log(vocab.size), // −ln(1/V): the loss of a uniform guess
    bestValLoss: null,
    corpusFingerprint: null,
    lossHistory: [],
    threads: 1,
    kernels: null,
    schedule: null,
  };
}

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
function wrapsAt(position: number, T: number, seg: number): boolean {
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
  adopt(state: TrainingState): void {
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

/**
 * The rest of a training step once the gradient of the whole batch is in `grads`: clip, check, update
 * and advance. If the loss or the gradient is not finite, the carried state is restored from
 * `hiddenBefore`, nothing else changes, and a 'diverged' error is thrown.
 */
export function applyStep(state: TrainingState, grads: FloatArray, lossSum: number, hiddenBefore: FloatArray,
                          segmentLength: number, learningRate: number = state.training.learningRate): StepResult {
  const s = state, { seqLength: T, batchSize: B } = s.training;
  clipElementwise(grads, s.training.clipValue);
  const gradNorm = clipGlobalNorm(grads, s.training.clipNorm);
  if (!Number.isFinite(lossSum) || !Number.isFinite(gradNorm)) {
    s.hidden.set(hiddenBefore); // refuse the whole step: nothing about the state changes
    throw new CharRnnError('diverged',
      `Training diverged at iteration ${s.iteration + 1}: the ${Number.isFinite(lossSum) ? 'gradient' : 'loss'} is not finite. ` +
      'Lower the learning rate or set a gradient clip, then resume from the last checkpoint.');
  }
  s.optimizerSteps++;
  optimizerStep(s.training.optimizer, s.params, grads, s.optimizerState, learningRate, s.optimizerSteps);
  if (s.training.ema > 0) {
    if (s.emaParams) updateEma(s.emaParams, s.params, s.training.ema, s.optimizerSteps);
    else s.emaParams = s.params.slice(); // switched on in a continued run: the average starts here
  } else {
    s.emaParams = null;
  }
  const wrapped0 = wrapsAt(s.positions[0], T, segmentLength);
  for (let b = 0; b < B; b++) s.positions[b] = (wrapsAt(s.positions[b], T, segmentLength) ? 0 : s.positions[b]) + T;
  if (wrapped0) s.epoch++;
  const loss = lossSum / T;
  s.smoothLoss = s.smoothLoss * 0.999 + loss * 0.001;
  s.iteration++;
  s.charsSeen += T * B;
  return { loss, smoothLoss: s.smoothLoss, gradNorm };
}

/** What a training loop needs of a trainer: the state it advances and one step at a time. */
export interface StepRunner {
  readonly state: TrainingState;
  /** Floats of carried state per stream per layer. */
  readonly stateSize: number;
  /** One step at this learning rate (default: the configured training.learningRate). */
  step(learningRate?: number): StepResult;
}

/** The dropout key of the step a state takes next: from its seed and iteration, so a resumed run draws the same masks. */
export function stepDropoutKey(state: TrainingState): number {
  return dropoutStepKey(state.training.seed, state.iteration);
}

/** Runs training steps over a state and a corpus. Owns the preallocated workspace; does no I/O. */
export class Trainer implements StepRunner {
  readonly net: Network;
  private readonly shard: TrainerShard;
  private readonly segmentLength: number;
  private readonly hiddenBefore: FloatArray; // the state before the step, restored if it diverges

  constructor(readonly state: TrainingState, readonly corpus: Corpus, kernels?: Kernels) {
    const { model, training } = state;
    if (corpus.vocab.size !== model.vocabSize) {
      throw new CharRnnError('bad-hyperparameter', 'The corpus was encoded with a different vocabulary than the model.');
    }
    this.segmentLength = segmentLengthOf(corpus.train.length, training);
    this.shard = new TrainerShard(model, training, state.params, corpus.train, this.segmentLength, 0, training.batchSize,
      { kernels, reserveFloats: state.optimizerState.length });
    this.shard.adopt(state);
    this.net = this.shard.net;
    state.kernels = this.net.kernelsName;
    if (state.hidden.length !== this.net.stateLength) throw new RangeError('hidden state does not fit the model');
    this.hiddenBefore = allocFloats(state.params instanceof Float64Array ? 'f64' : 'f32', state.hidden.length);
  }

  get stateSize(): number {
    return this.net.stateSize;
  }

  /**
   * Forward, backward, clip and update over the next window of every stream. If the loss or the
   * gradient is not finite, the state is left exactly as it was and a 'diverged' error is thrown.
   */
  step(learningRate: number = this.state.training.learningRate): StepResult {
    const s = this.state;
    this.hiddenBefore.set(s.hidden);
    const lossSum = this.shard.run(s.hidden, s.positions, stepDropoutKey(s));
    return applyStep(s, this.shard.grads, lossSum, this.hiddenBefore, this.segmentLength, learningRate);
  }
}

/** Mean cross-entropy (nats per char) of each next character of `text`, from a zero state carried through. */
export function evaluateLoss(model: ModelConfig, params: FloatArray, text: IndexArray, kernels?: Kernels,
                             chunk = 256, onChunk?: (predicted: number) => void): number {
  if (text.length < 2) throw new CharRnnError('corpus-too-short', 'Evaluation needs a text of at least 2 characters.');
  const steps = Math.min(chunk, text.length - 1);
  const net = new Network(model, params, null, { maxSteps: steps, batchSize: 1, kernels });
  net.adopt(params); // on the WebAssembly path: copy the parameters in once, not on every chunk
  const state = allocFloats(params instanceof Float64Array ? 'f64' : 'f32', net.stateLength);
  let total = 0;
  for (let start = 0; start < text.length - 1; start += steps) {
    const T = Math.min(steps, text.length - 1 - start);
    total += net.forward(text.subarray(start, start + T), text.subarray(start + 1, start + T + 1), state, T);
    onChunk?.(start + T); // how far it is, for a progress line on a long text
  }
  return total / (text.length - 1);
}

export const NATS_TO_BITS = 1 / Math.LN2;

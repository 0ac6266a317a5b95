// Training: the state that a checkpoint holds, and one pure training step over it.
//
// How the batch's streams walk the text in windows, and one thread's forward and backward over its
// streams (TrainerShard), are trainer-shard.ts; the step here runs one shard over the whole batch.
import { validateModelConfig, validateTrainConfig, type ModelConfig, type TrainConfig } from './config.js';
import type { Corpus } from './corpus.js';
import { CharRnnError } from './errors.js';
import type { LossPoint } from './history.js';
import type { Kernels } from './kernels/kernels.js';
import { paramLayout } from './layout.js';
import { cellDefinition } from './cells/index.js';
import { Network } from './network.js';
import { clipGradients, optimizerStateMultiple, optimizerStep } from './optim.js';
import { Rng } from './rng.js';
import { dropoutStepKey } from './dropout.js';
import { updateEma } from './ema.js';
import type { LearningRateSchedule } from './schedule.js';
import { allocFloats, type FloatArray, type Precision } from './tensor.js';
import { segmentLengthOf, TrainerShard, wrapsAt } from './trainer-shard.js';
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
 * The rest of a training step once the gradient of the whole batch is in `grads`: clip, check, update
 * and advance. If the loss or the gradient is not finite, the carried state is restored from
 * `hiddenBefore`, nothing else changes, and a 'diverged' error is thrown.
 */
export function applyStep(state: TrainingState, grads: FloatArray, lossSum: number, hiddenBefore: FloatArray,
                          segmentLength: number, learningRate: number = state.training.learningRate): StepResult {
  const s = state, { seqLength: T, batchSize: B } = s.training;
  const gradNorm = clipGradients(grads, s.training.clipValue, s.training.clipNorm);
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

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
import { allocFloats, type FloatArray, type Precision } from './tensor.js';
import type { IndexArray, Vocabulary } from './vocab.js';

export interface TrainingState {
  model: ModelConfig;
  training: TrainConfig;
  vocab: Vocabulary;
  params: FloatArray;        // flat, laid out by paramLayout(model)
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
  };
}

/** Runs training steps over a state and a corpus. Owns the preallocated workspace; does no I/O. */
export class Trainer {
  readonly net: Network;
  private grads: FloatArray;
  private readonly inputs: Int32Array;   // [T, B]
  private readonly targets: Int32Array;  // [T, B]
  private readonly segmentLength: number;
  private readonly hiddenBefore: FloatArray; // the state before the step, restored if it diverges
  private readonly wraps: Uint8Array;         // [B]: which streams start over in this step

  constructor(readonly state: TrainingState, readonly corpus: Corpus, kernels?: Kernels) {
    const { model, training } = state;
    if (corpus.vocab.size !== model.vocabSize) {
      throw new CharRnnError('bad-hyperparameter', 'The corpus was encoded with a different vocabulary than the model.');
    }
    const { seqLength: T, batchSize: B } = training;
    this.segmentLength = Math.floor(corpus.train.length / B);
    if (this.segmentLength < T + 2) {
      throw new CharRnnError('corpus-too-short',
        `Each of the ${B} streams gets ${this.segmentLength} characters; sequence length ${T} needs at least ${T + 2}.`);
    }
    this.grads = allocFloats(state.params instanceof Float64Array ? 'f64' : 'f32', state.params.length);
    this.net = new Network(model, state.params, this.grads, {
      maxSteps: T, batchSize: B, kernels, reserveFloats: state.optimizerState.length,
    });
    // On the WebAssembly path the parameters, gradients and optimizer state move into the
    // network's memory once, so no step copies them; the state's arrays become views there.
    const resident = this.net.adopt(state.params, state.optimizerState);
    if (resident) {
      state.params = resident.params;
      state.optimizerState = resident.optimizerState;
      this.grads = resident.grads!;
    }
    if (state.hidden.length !== this.net.stateLength) throw new RangeError('hidden state does not fit the model');
    this.inputs = new Int32Array(T * B);
    this.targets = new Int32Array(T * B);
    this.hiddenBefore = allocFloats(state.params instanceof Float64Array ? 'f64' : 'f32', state.hidden.length);
    this.wraps = new Uint8Array(B);
  }

  /**
   * Forward, backward, clip and update over the next window of every stream. If the loss or the
   * gradient is not finite, the state is left exactly as it was and a 'diverged' error is thrown.
   */
  step(): StepResult {
    const s = this.state, { seqLength: T, batchSize: B } = s.training;
    const data = this.corpus.train, seg = this.segmentLength;
    const stride = this.net.stateSize, L = s.model.layers;
    this.hiddenBefore.set(s.hidden);
    for (let b = 0; b < B; b++) {
      // The seed's wrap: when the next window would reach the end, start over with a zero state.
      const wraps = s.positions[b] + T + 1 >= seg;
      this.wraps[b] = wraps ? 1 : 0;
      if (wraps) for (let l = 0; l < L; l++) s.hidden.fill(0, (l * B + b) * stride, (l * B + b + 1) * stride);
      const start = b * seg + (wraps ? 0 : s.positions[b]);
      for (let t = 0; t < T; t++) {
        this.inputs[t * B + b] = data[start + t];
        this.targets[t * B + b] = data[start + t + 1];
      }
    }
    const g = this.grads;
    g.fill(0);
    const lossSum = this.net.forward(this.inputs, this.targets, s.hidden, T);
    this.net.backward();
    clipElementwise(g, s.training.clipValue);
    const gradNorm = clipGlobalNorm(g, s.training.clipNorm);
    if (!Number.isFinite(lossSum) || !Number.isFinite(gradNorm)) {
      s.hidden.set(this.hiddenBefore); // refuse the whole step: nothing about the state changes
      throw new CharRnnError('diverged',
        `Training diverged at iteration ${s.iteration + 1}: the ${Number.isFinite(lossSum) ? 'gradient' : 'loss'} is not finite. ` +
        'Lower the learning rate or set a gradient clip, then resume from the last checkpoint.');
    }
    s.optimizerSteps++;
    optimizerStep(s.training.optimizer, s.params, g, s.optimizerState, s.training.learningRate, s.optimizerSteps);
    for (let b = 0; b < B; b++) s.positions[b] = (this.wraps[b] ? 0 : s.positions[b]) + T;
    if (this.wraps[0]) s.epoch++;
    const loss = lossSum / T;
    s.smoothLoss = s.smoothLoss * 0.999 + loss * 0.001;
    s.iteration++;
    s.charsSeen += T * B;
    return { loss, smoothLoss: s.smoothLoss, gradNorm };
  }
}

/** Mean cross-entropy (nats per char) of each next character of `text`, from a zero state carried through. */
export function evaluateLoss(model: ModelConfig, params: FloatArray, text: IndexArray, kernels?: Kernels,
                             chunk = 256): number {
  if (text.length < 2) throw new CharRnnError('corpus-too-short', 'Evaluation needs a text of at least 2 characters.');
  const steps = Math.min(chunk, text.length - 1);
  const net = new Network(model, params, null, { maxSteps: steps, batchSize: 1, kernels });
  net.adopt(params); // on the WebAssembly path: copy the parameters in once, not on every chunk
  const state = allocFloats(params instanceof Float64Array ? 'f64' : 'f32', net.stateLength);
  let total = 0;
  for (let start = 0; start < text.length - 1; start += steps) {
    const T = Math.min(steps, text.length - 1 - start);
    total += net.forward(text.subarray(start, start + T), text.subarray(start + 1, start + T + 1), state, T);
  }
  return total / (text.length - 1);
}

export const NATS_TO_BITS = 1 / Math.LN2;

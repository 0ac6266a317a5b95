// Data-parallel training over the batch's streams: shard 0 on the calling thread, shards 1..N−1 on
// worker threads, all over shared params. Each thread owns a fixed contiguous run of streams; the
// gradients are summed in shard order, then clipped and applied once, so the same seed and thread
// count give bit-identical parameters, and a run resumed with the count its checkpoint records
// continues bit for bit. One thread is the plain Trainer.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LIMITS } from '../../../core/config.js';
import type { Corpus } from '../../../core/corpus.js';
import { CharRnnError } from '../../../core/errors.js';
import {
  applyStep, segmentLengthOf, shardBounds, Trainer, TrainerShard,
  type StepResult, type StepRunner, type TrainingState,
} from '../../../core/trainer.js';
import { allocFloats, precisionOf, type FloatArray } from '../../../core/tensor.js';
import { CTRL, floatsOn, shareState, sharedIndices, STEP, STOP, type ShardWorkerData } from './shared.js';

declare const __filename: string | undefined;

/**
 * Starts a shard thread. Inside a CommonJS bundle the bundle is its own thread entry; from source
 * (tsx), the thread registers tsx first (Node 20 does not pass --import hooks on to threads), then
 * loads shard-worker.ts.
 */
function startShardThread(workerData: ShardWorkerData): Worker {
  if (typeof __filename === 'string' && __filename.endsWith('.cjs')) return new Worker(__filename, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./shard-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/** The default thread count: every core, but never more threads than streams. */
export function defaultThreads(batchSize: number): number {
  return Math.max(1, Math.min(availableParallelism(), batchSize, LIMITS.threads.max));
}

/** Checks a requested thread count against the batch; a specific message when it cannot be used. */
export function checkThreads(threads: number, batchSize: number): number {
  const { min: lo, max: hi } = LIMITS.threads;
  if (!Number.isInteger(threads) || threads < lo || threads > hi) {
    throw new CharRnnError('bad-hyperparameter', `threads must be a whole number from ${lo} to ${hi}; got ${threads}.`);
  }
  if (threads > batchSize) {
    throw new CharRnnError('bad-hyperparameter',
      `threads (${threads}) cannot exceed the batch size (${batchSize}): each thread trains at least one stream.`);
  }
  return threads;
}

export class PoolTrainer implements TrainingRunner {
  private readonly shard0: TrainerShard;
  private readonly grads: FloatArray[];   // per shard: shard 0's own, then views of one shared buffer
  private readonly sharedParams: FloatArray; // the parameters the other threads read, copied before each step
  private readonly losses: Float64Array;
  private readonly control: Int32Array;
  private readonly hiddenBefore: FloatArray;
  private disposed = false;

  private constructor(readonly state: TrainingState, private readonly segmentLength: number,
                      private readonly workers: Worker[], shared: { losses: SharedArrayBuffer; control: SharedArrayBuffer },
                      shard0: TrainerShard, grads: FloatArray[], sharedParams: FloatArray) {
    this.shard0 = shard0;
    this.grads = grads;
    this.sharedParams = sharedParams;
    this.losses = new Float64Array(shared.losses);
    this.control = new Int32Array(shared.control);
    this.hiddenBefore = allocFloats(precisionOf(state.params), state.hidden.length);
  }

  /** Starts threads − 1 workers over a state (moved onto shared memory) and waits until each is ready. */
  static async create(state: TrainingState, corpus: Corpus, threads: number): Promise<PoolTrainer> {
    const { model, training } = state;
    checkThreads(threads, training.batchSize);
    if (corpus.vocab.size !== model.vocabSize) {
      throw new CharRnnError('bad-hyperparameter', 'The corpus was encoded with a different vocabulary than the model.');
    }
    const segmentLength = segmentLengthOf(corpus.train.length, training);
    shareState(state);
    state.threads = threads;
    const precision = precisionOf(state.params), P = state.params.length, bytes = precision === 'f64' ? 8 : 4;
    const paramsBuffer = new SharedArrayBuffer(P * bytes);
    const sharedParams = floatsOn(paramsBuffer, precision);
    const gradsBuffer = new SharedArrayBuffer(threads * P * bytes); // shard k ≥ 1 writes part k
    const losses = new SharedArrayBuffer(threads * 8);
    const control = new SharedArrayBuffer(CTRL.length * 4);
    const data = sharedIndices(corpus.train);
    const bounds = shardBounds(training.batchSize, threads);
    // shard 0 is the calling thread's: like the plain Trainer, its network holds the parameters and optimizer state
    const shard0 = new TrainerShard(model, training, state.params, corpus.train, segmentLength, bounds[0], bounds[1],
      { reserveFloats: state.optimizerState.length });
    shard0.adopt(state);
    sharedParams.set(state.params);
    const grads = [shard0.grads, ...Array.from({ length: threads - 1 }, (_, k) => floatsOn(gradsBuffer, precision, (k + 1) * P, P))];
    const workers: Worker[] = [];
    try {
      for (let k = 1; k < threads; k++) {
        const workerData: ShardWorkerData = {
          kind: 'char-rnn-shard', shard: k, b0: bounds[k], b1: bounds[k + 1], model, training, precision, segmentLength,
          params: paramsBuffer, hidden: state.hidden.buffer as SharedArrayBuffer,
          positions: state.positions.buffer as SharedArrayBuffer, grads: gradsBuffer, losses, control,
          data: data.buffer, dataKind: data.kind, dataOffset: data.offset, dataLength: corpus.train.length,
        };
        workers.push(startShardThread(workerData));
      }
      await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`a training thread exited (${code}) before it started`)));
      })));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw new Error(`Could not start ${threads} training threads: ${(e as Error).message}`);
    }
    for (const w of workers) {
      w.removeAllListeners();
      w.on('error', () => {}); // a failure is flagged through shared memory and reported by step()
      w.unref();
    }
    return new PoolTrainer(state, segmentLength, workers, { losses, control }, shard0, grads, sharedParams);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  get stateSize(): number {
    return this.shard0.net.stateSize;
  }

  /** One step over every stream, on every thread; blocks until all shards are done. */
  step(learningRate: number = this.state.training.learningRate): StepResult {
    if (this.disposed) throw new Error('this training pool was stopped');
    const s = this.state, c = this.control, n = this.workers.length;
    this.hiddenBefore.set(s.hidden);
    if (n > 0) this.sharedParams.set(s.params);
    Atomics.store(c, CTRL.done, 0);
    Atomics.store(c, CTRL.failed, 0);
    Atomics.store(c, CTRL.command, STEP);
    Atomics.add(c, CTRL.generation, 1);
    Atomics.notify(c, CTRL.generation);
    let failure: unknown = null;
    try {
      this.losses[0] = this.shard0.run(s.hidden, s.positions);
    } catch (e) {
      failure = e;
    }
    for (let done = Atomics.load(c, CTRL.done); done < n; done = Atomics.load(c, CTRL.done)) {
      Atomics.wait(c, CTRL.done, done);
    }
    if (failure !== null || Atomics.load(c, CTRL.failed) !== 0) {
      s.hidden.set(this.hiddenBefore);
      if (failure !== null) throw failure;
      throw new Error('A training thread failed during a step; the step was not applied.');
    }
    // the fixed order: ((g0 + g1) + g2) + …, and the same for the loss
    const sum = this.grads[0];
    let lossSum = this.losses[0];
    for (let k = 1; k <= n; k++) {
      const g = this.grads[k];
      for (let i = 0; i < sum.length; i++) sum[i] += g[i];
      lossSum += this.losses[k];
    }
    return applyStep(s, sum, lossSum, this.hiddenBefore, this.segmentLength, learningRate);
  }

  /** Stops the worker threads. The state stays usable (on shared memory). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const c = this.control;
    Atomics.store(c, CTRL.command, STOP);
    Atomics.add(c, CTRL.generation, 1);
    Atomics.notify(c, CTRL.generation);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A step runner with a thread count: the plain Trainer for one thread, a pool for more. */
export interface TrainingRunner extends StepRunner {
  readonly threads: number;
  dispose(): Promise<void>;
}

class SingleThread implements TrainingRunner {
  readonly threads = 1;
  constructor(private readonly trainer: Trainer) {}
  get state(): TrainingState { return this.trainer.state; }
  get stateSize(): number { return this.trainer.stateSize; }
  step(learningRate?: number): StepResult { return this.trainer.step(learningRate); }
  async dispose(): Promise<void> {}
}

/** Trains a state on `threads` threads (recorded in the state, so its checkpoint says how to resume bit for bit). */
export async function createTrainingRunner(state: TrainingState, corpus: Corpus, threads: number): Promise<TrainingRunner> {
  checkThreads(threads, state.training.batchSize);
  if (threads > 1) return PoolTrainer.create(state, corpus, threads);
  const trainer = new Trainer(state, corpus);
  state.threads = 1;
  return new SingleThread(trainer);
}

// Data-parallel training over the batch's streams: shard 0 on the calling thread, shards 1..N−1 on
// worker threads, all over shared params. Each thread owns a fixed contiguous run of streams; the
// gradients are summed in shard order, then clipped and applied once, so the same seed and thread
// count give bit-identical parameters, and a run resumed with the count its checkpoint records
// continues bit for bit. One thread is the plain Trainer.
import { Worker } from 'node:worker_threads';
import { checkLimit } from '../../../core/config.js';
import type { Corpus } from '../../../core/corpus.js';
import { CharRnnError } from '../../../core/errors.js';
import {
  applyStep, stepDropoutKey, Trainer, type StepResult, type StepRunner, type TrainingState,
} from '../../../core/trainer.js';
import { segmentLengthOf, shardBounds, TrainerShard } from '../../../core/trainer-shard.js';
import { allocFloats, precisionOf, type FloatArray } from '../../../core/tensor.js';
import { wasmKernelsNamed } from '../../../core/kernels/wasm.js';
import type { Kernels } from '../../../core/kernels/kernels.js';
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

/**
 * The pool's own guard: a count within LIMITS.threads and at most the batch's streams. How many threads a
 * run asks for is decided once, by resolveThreads (threads.ts); a count that breaks this is a caller's bug.
 */
function checkThreads(threads: number, batchSize: number): void {
  checkLimit('threads', threads);
  if (threads > batchSize) {
    throw new CharRnnError('bad-hyperparameter',
      `threads (${threads}) cannot exceed the batch size (${batchSize}): each thread trains at least one stream.`);
  }
}

export class PoolTrainer implements TrainingRunner {
  private readonly shard0: TrainerShard;
  private readonly grads: FloatArray[];   // per shard: shard 0's own, then views of one shared buffer
  private readonly sharedParams: FloatArray; // the parameters the other threads read, copied before each step
  private readonly losses: Float64Array;
  private readonly control: Int32Array;
  private readonly hiddenBefore: FloatArray;
  private disposed = false;
  /** The kernel set every thread runs ('wasm-relaxed-simd', …), or each thread's where they differ. */
  readonly kernels: string;
  readonly kernelFallback: string | null;

  private constructor(readonly state: TrainingState, private readonly segmentLength: number,
                      private readonly workers: Worker[], shared: { losses: SharedArrayBuffer; control: SharedArrayBuffer },
                      shard0: TrainerShard, grads: FloatArray[], sharedParams: FloatArray, threadKernels: ShardReady[]) {
    this.shard0 = shard0;
    this.grads = grads;
    this.sharedParams = sharedParams;
    this.losses = new Float64Array(shared.losses);
    this.control = new Int32Array(shared.control);
    this.hiddenBefore = allocFloats(precisionOf(state.params), state.hidden.length);
    const all = [{ kernels: shard0.net.kernelsName, fallback: shard0.net.fallbackReason }, ...threadKernels];
    this.kernels = all.every((t) => t.kernels === all[0].kernels) ? all[0].kernels : all.map((t, k) => `thread ${k}: ${t.kernels}`).join(', ');
    this.kernelFallback = all.find((t) => t.fallback !== null)?.fallback ?? null;
    state.kernels = this.kernels;
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
    const kernels = resumedKernels(state);
    const shard0 = new TrainerShard(model, training, state.params, corpus.train, segmentLength, bounds[0], bounds[1],
      { reserveFloats: state.optimizerState.length, kernels: kernels ?? undefined });
    shard0.adopt(state);
    sharedParams.set(state.params);
    const grads = [shard0.grads, ...Array.from({ length: threads - 1 }, (_, k) => floatsOn(gradsBuffer, precision, (k + 1) * P, P))];
    const workers: Worker[] = [];
    let ready: ShardReady[];
    try {
      for (let k = 1; k < threads; k++) {
        const workerData: ShardWorkerData = {
          kind: 'char-rnn-shard', shard: k, b0: bounds[k], b1: bounds[k + 1], model, training, precision, segmentLength,
          params: paramsBuffer, hidden: state.hidden.buffer as SharedArrayBuffer,
          positions: state.positions.buffer as SharedArrayBuffer, grads: gradsBuffer, losses, control,
          data: data.buffer, dataKind: data.kind, dataOffset: data.offset, dataLength: corpus.train.length,
          kernels: shard0.net.kernelsName, // every thread runs the calling thread's set: they sum one gradient
        };
        workers.push(startShardThread(workerData));
      }
      ready = await Promise.all(workers.map((w) => new Promise<ShardReady>((resolve, reject) => {
        w.once('message', (m: ShardReady) => resolve({ kernels: String(m.kernels), fallback: m.fallback ?? null }));
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
    return new PoolTrainer(state, segmentLength, workers, { losses, control }, shard0, grads, sharedParams, ready);
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
    const dropoutKey = stepDropoutKey(s); // every shard draws its streams' masks from the step's one key
    Atomics.store(c, CTRL.dropoutKey, dropoutKey | 0);
    Atomics.add(c, CTRL.generation, 1);
    Atomics.notify(c, CTRL.generation);
    let failure: unknown = null;
    try {
      this.losses[0] = this.shard0.run(s.hidden, s.positions, dropoutKey);
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
  /** The kernel set in use ('wasm-relaxed-simd', 'wasm-simd', 'loops'). */
  readonly kernels: string;
  /** Why training runs on the TypeScript loops instead of WebAssembly; null when it does not. */
  readonly kernelFallback: string | null;
  dispose(): Promise<void>;
}

/** What a shard thread reports when it is ready: the kernel set its network runs on. */
interface ShardReady {
  kernels: string;
  fallback: string | null;
}

/**
 * The WebAssembly set a resumed state was trained on, where this runtime has it: the sets differ in
 * the last bits, so the same set continues bit for bit. Otherwise (a new run, a plain set, a set this
 * runtime lacks) null: the default.
 */
function resumedKernels(state: TrainingState): Kernels | null {
  return state.kernels === null ? null : wasmKernelsNamed(state.kernels);
}

class SingleThread implements TrainingRunner {
  readonly threads = 1;
  constructor(private readonly trainer: Trainer) {}
  get kernels(): string { return this.trainer.net.kernelsName; }
  get kernelFallback(): string | null { return this.trainer.net.fallbackReason; }
  get state(): TrainingState { return this.trainer.state; }
  get stateSize(): number { return this.trainer.stateSize; }
  step(learningRate?: number): StepResult { return this.trainer.step(learningRate); }
  async dispose(): Promise<void> {}
}

/** Trains a state on `threads` threads (recorded in the state, so its checkpoint says how to resume bit for bit). */
export async function createTrainingRunner(state: TrainingState, corpus: Corpus, threads: number): Promise<TrainingRunner> {
  checkThreads(threads, state.training.batchSize);
  if (threads > 1) return PoolTrainer.create(state, corpus, threads);
  const trainer = new Trainer(state, corpus, resumedKernels(state) ?? undefined);
  state.threads = 1;
  return new SingleThread(trainer);
}

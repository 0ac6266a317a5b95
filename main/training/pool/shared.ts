// The memory a training pool shares between threads: a layout that main and each shard worker agree on.
import type { ModelConfig, TrainConfig } from '../../../core/config.js';
import type { TrainingState } from '../../../core/trainer.js';
import type { FloatArray, Precision } from '../../../core/tensor.js';
import type { IndexArray } from '../../../core/vocab.js';

/** Indices into the control words (an Int32Array over a SharedArrayBuffer). */
export const CTRL = {
  generation: 0, // main bumps it to start a step (or to stop, with command = STOP)
  done: 1,       // shard workers that finished the current step
  command: 2,    // STEP or STOP
  failed: 3,     // 1 when a worker's step threw
  dropoutKey: 4, // the step's dropout key (core/dropout.ts), the same for every shard
  length: 5,
} as const;
export const STEP = 0;
export const STOP = 1;

export type IndexKind = 'u8' | 'u16' | 'u32';

/** What each shard worker is started with (worker_threads' workerData). */
export interface ShardWorkerData {
  kind: 'char-rnn-shard';
  shard: number;        // 1..threads−1 (shard 0 runs on the calling thread)
  b0: number;
  b1: number;
  model: ModelConfig;
  training: TrainConfig;
  precision: Precision;
  segmentLength: number;
  params: SharedArrayBuffer;
  hidden: SharedArrayBuffer;
  positions: SharedArrayBuffer;
  grads: SharedArrayBuffer; // [threads, params.length]
  losses: SharedArrayBuffer; // Float64 [threads]
  control: SharedArrayBuffer;
  data: SharedArrayBuffer;
  dataKind: IndexKind;
  dataOffset: number;   // elements
  dataLength: number;
  kernels: string; // the kernel set to run: the calling thread's
}

export function isShardWorkerData(data: unknown): data is ShardWorkerData {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'char-rnn-shard';
}

export function floatsOn(buffer: SharedArrayBuffer, precision: Precision, offset = 0, length?: number): FloatArray {
  return precision === 'f64' ? new Float64Array(buffer, offset * 8, length) : new Float32Array(buffer, offset * 4, length);
}

export function indexKindOf(a: IndexArray): IndexKind {
  return a.BYTES_PER_ELEMENT === 1 ? 'u8' : a.BYTES_PER_ELEMENT === 2 ? 'u16' : 'u32';
}

export function indicesOn(buffer: SharedArrayBuffer, kind: IndexKind, offset: number, length: number): IndexArray {
  if (kind === 'u8') return new Uint8Array(buffer, offset, length) as unknown as IndexArray;
  if (kind === 'u16') return new Uint16Array(buffer, offset * 2, length);
  return new Uint32Array(buffer, offset * 4, length);
}

function isShared<T extends ArrayBufferView>(a: T): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}

function sharedCopy<T extends FloatArray | Int32Array>(a: T): T {
  if (isShared(a)) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  return copy;
}

/**
 * Moves a state's carried state and positions onto shared memory (same values, new arrays): every
 * thread reads them and writes its own streams' part. The parameters stay where the calling thread's
 * network keeps them (its WebAssembly memory); the pool mirrors them for the other threads.
 */
export function shareState(state: TrainingState): void {
  state.hidden = sharedCopy(state.hidden);
  state.positions = sharedCopy(state.positions);
}

/** The training text on shared memory: the corpus's own array when it is shared already, else one copy. */
export function sharedIndices(train: IndexArray): { buffer: SharedArrayBuffer; offset: number; kind: IndexKind } {
  const kind = indexKindOf(train);
  if (isShared(train)) return { buffer: train.buffer as SharedArrayBuffer, offset: train.byteOffset / train.BYTES_PER_ELEMENT, kind };
  const buffer = new SharedArrayBuffer(train.byteLength);
  indicesOn(buffer, kind, 0, train.length).set(train);
  return { buffer, offset: 0, kind };
}

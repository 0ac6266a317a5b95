// A shard worker's life: wait for a step, run forward/backward over its streams, report, repeat.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { TrainerShard } from '../../../core/trainer-shard.js';
import { kernelSetNamed } from '../../../core/kernels/wasm.js';
import { CTRL, floatsOn, indicesOn, isShardWorkerData, STOP } from './shared.js';

/** True in a thread that the training pool started (a bundle is its own worker entry and asks this first). */
export function isShardWorkerThread(): boolean {
  return !isMainThread && isShardWorkerData(workerData);
}

export function runShardLoop(): void {
  const d = workerData;
  if (!isShardWorkerData(d)) throw new Error('not a training pool thread');
  const P = d.params.byteLength / (d.precision === 'f64' ? 8 : 4);
  const params = floatsOn(d.params, d.precision);
  const hidden = floatsOn(d.hidden, d.precision);
  const positions = new Int32Array(d.positions);
  const grads = floatsOn(d.grads, d.precision, d.shard * P, P);
  const losses = new Float64Array(d.losses);
  const control = new Int32Array(d.control);
  const data = indicesOn(d.data, d.dataKind, d.dataOffset, d.dataLength);
  // the calling thread's set; where this thread lacks it, the default, and the pool reports the difference
  const kernels = kernelSetNamed(d.kernels) ?? undefined;
  const shard = new TrainerShard(d.model, d.training, params, data, d.segmentLength, d.b0, d.b1, { grads, kernels });
  const workers = losses.length - 1; // shard 0 runs on the calling thread
  // read before 'ready': main may start the first step as soon as it hears it
  let generation = Atomics.load(control, CTRL.generation);
  parentPort!.postMessage({ type: 'ready', kernels: shard.net.kernelsName, fallback: shard.net.fallbackReason });
  for (;;) {
    Atomics.wait(control, CTRL.generation, generation);
    generation = Atomics.load(control, CTRL.generation);
    if (Atomics.load(control, CTRL.command) === STOP) break;
    try {
      losses[d.shard] = shard.run(hidden, positions, Atomics.load(control, CTRL.dropoutKey) >>> 0);
    } catch (e) {
      losses[d.shard] = NaN;
      Atomics.store(control, CTRL.failed, 1);
      parentPort!.postMessage({ type: 'failed', message: (e as Error).message });
    }
    if (Atomics.add(control, CTRL.done, 1) + 1 === workers) Atomics.notify(control, CTRL.done);
  }
  parentPort!.close();
}

// The training worker's entry: runs under Electron's utilityProcess (dist/worker/index.cjs) or child_process.fork.
import '../training/relaxed-simd.js'; // first: before any kernel module compiles
import { connectToParent } from './link.js';
import { TrainingWorker } from './training-worker.js';
import { isShardWorkerThread, runShardLoop } from '../training/pool/shard-loop.js';
import { trainBelowNormalPriority } from './priority.js';

// The bundle is also the training pool's thread entry: in such a thread, run the shard loop instead.
if (isShardWorkerThread()) {
  runShardLoop();
} else {
  const notLowered = trainBelowNormalPriority();
  if (notLowered) console.error(`[worker] training at normal priority: ${notLowered}`);
  const link = connectToParent();
  const worker = new TrainingWorker((event) => link.send(event), () => link.close());
  link.onMessage((message) => { void worker.receive(message); });
  link.send({ type: 'ready', id: 0, payload: { pid: process.pid } });
}

// The training worker's entry: runs under Electron's utilityProcess (dist/worker/index.cjs) or child_process.fork.
import { connectToParent } from './link.js';
import { TrainingWorker } from './training-worker.js';

const link = connectToParent();
const worker = new TrainingWorker((event) => link.send(event), () => link.close());
link.onMessage((message) => { void worker.receive(message); });
link.send({ type: 'ready', id: 0, payload: { pid: process.pid } });

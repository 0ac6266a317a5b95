// Data-parallel training on worker threads (main/training/pool): one thread is the plain Trainer bit for
// bit; the same seed and thread count give bit-identical parameters; save and resume across the pool is
// bit-exact; the split is the whole batch's gradient (checked against one thread within float tolerance).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { deserializeCheckpoint, serializeCheckpoint } from '../../core/checkpoint.js';
import { SEED_TRAINING, type CellType, type OptimizerName } from '../../core/config.js';
import { prepareCorpus } from '../../core/corpus.js';
import { createTrainingState, Trainer, type TrainingState } from '../../core/trainer.js';
import { segmentLengthOf, shardBounds, TrainerShard } from '../../core/trainer-shard.js';
import { createTrainingRunner, PoolTrainer, type TrainingRunner } from '../../main/training/pool/pool-trainer.js';
import { resolveThreads } from '../../main/training/pool/threads.js';

// Short, so that every stream wraps to the start of its segment (zero state, epoch) within the runs.
const TEXT = 'Sing, goddess, the anger of Peleus’ son Achilleus and its devastation, which put pains thousandfold upon the Achaians, '.repeat(3);

function freshRun(cell: CellType, optimizer: OptimizerName, batchSize: number, layers = 2) {
  const training = { ...SEED_TRAINING, seqLength: 6, batchSize, optimizer, learningRate: optimizer === 'adagrad' ? 0.1 : 0.01, seed: 11 };
  const corpus = prepareCorpus(TEXT, training);
  const model = { cell, vocabSize: corpus.vocab.size, hiddenSize: 10, layers };
  return { state: createTrainingState(model, training, corpus.vocab), corpus };
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();

function assertBitIdentical(got: TrainingState, want: TrainingState, what: string): void {
  for (const name of ['params', 'optimizerState', 'hidden', 'positions'] as const) {
    assert.deepEqual(bytesOf(got[name]), bytesOf(want[name]), `${what}: ${name} differs`);
  }
  for (const name of ['smoothLoss', 'iteration', 'epoch', 'charsSeen', 'optimizerSteps'] as const) {
    assert.ok(Object.is(got[name], want[name]), `${what}: ${name} ${got[name]} vs ${want[name]}`);
  }
}

const runners: TrainingRunner[] = [];
after(() => Promise.all(runners.map((r) => r.dispose())));

async function pool(state: TrainingState, corpus: ReturnType<typeof freshRun>['corpus'], threads: number): Promise<TrainingRunner> {
  const r = await createTrainingRunner(state, corpus, threads);
  runners.push(r);
  return r;
}

test('shards over a split batch sum to the whole batch\'s gradient and loss (float tolerance)', () => {
  const { state, corpus } = freshRun('lstm', 'adam', 5);
  const seg = segmentLengthOf(corpus.train.length, state.training);
  const whole = new TrainerShard(state.model, state.training, state.params, corpus.train, seg, 0, 5);
  const hiddenWhole = state.hidden.slice().map((_, i) => Math.sin(i)); // a non-zero carried state
  const hiddenSplit = hiddenWhole.slice();
  const positions = Int32Array.from([0, 3, seg - 7, 6, 12]); // stream 2 wraps
  const lossWhole = whole.run(hiddenWhole, positions, 0);
  const bounds = shardBounds(5, 2);
  assert.deepEqual(bounds, [0, 3, 5]);
  const parts = [0, 1].map((k) => new TrainerShard(state.model, state.training, state.params, corpus.train, seg, bounds[k], bounds[k + 1]));
  const losses = parts.map((p) => p.run(hiddenSplit, positions, 0));
  assert.ok(Math.abs(losses[0] + losses[1] - lossWhole) < 1e-5 * Math.abs(lossWhole));
  for (let i = 0; i < whole.grads.length; i++) {
    const sum = parts[0].grads[i] + parts[1].grads[i];
    assert.ok(Math.abs(sum - whole.grads[i]) <= 1e-5 + 1e-4 * Math.abs(whole.grads[i]), `grad ${i}: ${sum} vs ${whole.grads[i]}`);
  }
  for (let i = 0; i < hiddenWhole.length; i++) assert.ok(Math.abs(hiddenWhole[i] - hiddenSplit[i]) < 1e-5, `state ${i}`);
});

test('one thread through the pool is the plain Trainer, bit for bit', async () => {
  const plain = freshRun('gru', 'adam', 3);
  const trainer = new Trainer(plain.state, plain.corpus);
  const pooled = freshRun('gru', 'adam', 3);
  const onePool = await PoolTrainer.create(pooled.state, pooled.corpus, 1); // shared memory, no worker thread
  runners.push(onePool);
  const runner = await pool(freshRun('gru', 'adam', 3).state, plain.corpus, 1);
  for (let i = 0; i < 40; i++) {
    const a = trainer.step(), b = onePool.step(), c = runner.step();
    assert.ok(Object.is(a.loss, b.loss) && Object.is(a.loss, c.loss), `step ${i}: ${a.loss} ${b.loss} ${c.loss}`);
  }
  assertBitIdentical(pooled.state, plain.state, 'pool of one');
  assertBitIdentical(runner.state, plain.state, 'runner of one');
  assert.ok(plain.state.epoch >= 1);
  assert.equal(runner.threads, 1);
});

test('two threads: the same seed gives bit-identical parameters, and tracks one thread closely', async () => {
  for (const [cell, batch] of [['rnn', 4], ['lstm', 5]] as const) {
    const a = freshRun(cell, 'adagrad', batch), b = freshRun(cell, 'adagrad', batch), one = freshRun(cell, 'adagrad', batch);
    const ra = await pool(a.state, a.corpus, 2), rb = await pool(b.state, b.corpus, 2);
    const r1 = new Trainer(one.state, one.corpus);
    assert.equal(ra.threads, 2);
    for (let i = 0; i < 30; i++) {
      const la = ra.step().loss, lb = rb.step().loss, l1 = r1.step().loss;
      assert.ok(Object.is(la, lb), `${cell} step ${i}: ${la} vs ${lb}`);
      assert.ok(Math.abs(la - l1) < 1e-3, `${cell} step ${i}: 2 threads ${la}, 1 thread ${l1}`);
    }
    assertBitIdentical(a.state, b.state, `${cell}, two runs on 2 threads`);
    assert.equal(a.state.threads, 2);
    assert.ok(a.state.hidden.buffer instanceof SharedArrayBuffer, 'the carried state is shared with the threads');
    assert.ok(a.state.epoch >= 1, 'streams wrapped during the run');
  }
});

test('save and resume across the pool is bit-exact; the checkpoint records the thread count', async () => {
  const BEFORE = 13, AFTER = 17;
  const straight = freshRun('lstm', 'adam', 5);
  const rs = await pool(straight.state, straight.corpus, 2);
  for (let i = 0; i < BEFORE + AFTER; i++) rs.step();

  const first = freshRun('lstm', 'adam', 5);
  const rf = await pool(first.state, first.corpus, 2);
  for (let i = 0; i < BEFORE; i++) rf.step();
  const saved = serializeCheckpoint(first.state);
  const resumed = deserializeCheckpoint(saved);
  assert.equal(resumed.threads, 2);
  const rr = await pool(resumed, first.corpus, resumed.threads);
  for (let i = 0; i < AFTER; i++) rr.step();
  assertBitIdentical(resumed, straight.state, 'resumed on 2 threads');

});

test('every thread of the pool trains on WebAssembly here; the state and its checkpoint record the set', async () => {
  const { state, corpus } = freshRun('gru', 'adagrad', 4);
  const r = await pool(state, corpus, 2);
  // one name: each thread reported the same set (threads that differ are listed one by one)
  assert.match(r.kernels, /^wasm-(relaxed-)?simd$/);
  assert.equal(r.kernelFallback, null);
  r.step();
  assert.equal(state.kernels, r.kernels);
  assert.equal(deserializeCheckpoint(serializeCheckpoint(state)).kernels, r.kernels);
});

test('one stream trains in-process by default: no pool, no thread to round-trip to', async () => {
  const { threads } = resolveThreads({ requested: undefined, batchSize: 1, continuedOn: undefined });
  assert.equal(threads, 1, 'every core, but never more threads than streams');
  const { state, corpus } = freshRun('rnn', 'adagrad', 1, 1);
  const r = await pool(state, corpus, threads);
  assert.ok(!(r instanceof PoolTrainer), 'the plain Trainer, not a pool of one');
  assert.equal(r.threads, 1);
  assert.ok(!(state.hidden.buffer instanceof SharedArrayBuffer), 'nothing was moved onto shared memory for other threads');
});

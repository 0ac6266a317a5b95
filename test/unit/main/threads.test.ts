// One threads rule for the CLI and the app's worker: asked, else the checkpoint's, else every core; never more
// than the batch's streams, and a clamp is said.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { resolveThreads } from '../../../main/training/pool/threads.js';

test('asked for: used as asked when the batch has the streams', () => {
  assert.deepEqual(resolveThreads({ requested: 2, batchSize: 4 }), { threads: 2, note: null });
});

test('more than the batch: clamped to the batch size, and the note says so', () => {
  const r = resolveThreads({ requested: 8, batchSize: 3 });
  assert.equal(r.threads, 3);
  assert.equal(r.note, 'training on 3 threads, not 8: the batch has 3 streams and each thread trains at least one');
});

test('not asked: a continued model keeps its checkpoint\'s count; a new one uses every core, at most the batch', () => {
  assert.deepEqual(resolveThreads({ requested: undefined, batchSize: 16, continuedOn: 3 }), { threads: 3, note: null });
  const fresh = resolveThreads({ requested: undefined, batchSize: 2 });
  assert.equal(fresh.threads, Math.min(availableParallelism(), 2));
  assert.deepEqual(resolveThreads({ requested: undefined, batchSize: 1 }), { threads: 1, note: null }, 'every core is at most the batch: nothing to say');
  assert.equal(resolveThreads({ requested: 4, batchSize: 1 }).note, 'training on 1 thread, not 4: the batch has 1 stream and each thread trains at least one');
});

test('a continued model asked onto another count: used, with the warning that it will not match bit for bit', () => {
  const r = resolveThreads({ requested: 1, batchSize: 4, continuedOn: 2 });
  assert.equal(r.threads, 1);
  assert.match(r.note ?? '', /the checkpoint was trained on 2, so the run will not match an uninterrupted one bit for bit/);
  assert.equal(resolveThreads({ requested: 2, batchSize: 4, continuedOn: 2 }).note, null);
});

// The seeded PRNG: deterministic, resumable from its state, and distributed as it claims.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../core/rng.js';

test('the same seed gives the same stream; different seeds differ', () => {
  const a = Rng.fromSeed(1), b = Rng.fromSeed(1), c = Rng.fromSeed(2);
  const xs = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(Array.from({ length: 5 }, () => b.nextUint32()), xs);
  assert.notDeepEqual(Array.from({ length: 5 }, () => c.nextUint32()), xs);
});

test('a state taken mid-stream resumes the exact same stream', () => {
  const a = Rng.fromSeed(99);
  for (let i = 0; i < 17; i++) a.nextNormal();
  const b = Rng.fromState(a.state());
  for (let i = 0; i < 50; i++) assert.equal(b.nextFloat(), a.nextFloat());
  assert.throws(() => Rng.fromState([1, 2, 3]), /four unsigned/);
  assert.throws(() => Rng.fromState([1, 2, 3, -1]), /four unsigned/);
});

test('uniform floats lie in [0,1) with mean 1/2; normals have mean 0 and variance 1', () => {
  const r = Rng.fromSeed(3);
  const n = 100000;
  let sum = 0, nsum = 0, nsq = 0;
  for (let i = 0; i < n; i++) {
    const u = r.nextFloat();
    assert.ok(u >= 0 && u < 1);
    sum += u;
    const z = r.nextNormal();
    nsum += z; nsq += z * z;
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.01);
  assert.ok(Math.abs(nsum / n) < 0.02);
  assert.ok(Math.abs(nsq / n - 1) < 0.02);
});

// Checkpoint fuzz (issue 7, counted suite): over a thousand damaged checkpoint and safetensors files from
// a fixed seed — byte flips in every region, truncation at every region boundary, wrong magic, future
// versions, a valid checksum over inconsistent contents, non-finite values, safetensors with missing,
// extra, misshapen or mistyped tensors, random bytes. Every one is refused with the format's own error
// code (never another exception), and a run that resumes from one leaves its --out untouched.
// The damaged files themselves are generated in test/helpers/damaged-checkpoints.ts and damaged-safetensors.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserializeCheckpoint, serializeCheckpoint } from '../../core/checkpoint.js';
import { CharRnnError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { exportSafetensors, importSafetensors } from '../../core/safetensors.js';
import { checkpointCases, MODELS } from '../helpers/damaged-checkpoints.js';
import { safetensorsCases } from '../helpers/damaged-safetensors.js';

const SEED = 20261130;

/** How a loader answered one case: its error code, or what went wrong instead. */
function outcome(load: () => unknown): string {
  try {
    load();
    return 'loaded';
  } catch (e) {
    if (e instanceof CharRnnError) {
      assert.ok(!e.message.includes('\n') && e.message.length > 20, `one clear line: ${e.message}`);
      return e.code;
    }
    return `crash: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

test('checkpoint fuzz: every damaged checkpoint is refused as bad-checkpoint, none crashes', (t) => {
  const cases = checkpointCases(Rng.fromSeed(SEED));
  const byKind = new Map<string, number>();
  const wrong: string[] = [];
  for (const c of cases) {
    byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
    const got = outcome(() => deserializeCheckpoint(c.bytes));
    // a flipped bit may land in a float of the data and make another valid checkpoint only if the checksum missed it: never
    if (got !== 'bad-checkpoint') wrong.push(`${c.kind} (${c.bytes.length} bytes): ${got}`);
  }
  t.diagnostic(`checkpoint fuzz: ${cases.length} cases in ${byKind.size} kinds, seed ${SEED}`);
  assert.deepEqual(wrong, []);
  assert.ok(cases.length >= 800, `${cases.length} checkpoint cases`);
  for (const state of MODELS) assert.equal(outcome(() => deserializeCheckpoint(serializeCheckpoint(state))), 'loaded', 'the intact files load');
});

test('safetensors fuzz: every damaged file is refused as bad-safetensors, none crashes', (t) => {
  const cases = safetensorsCases(Rng.fromSeed(SEED + 1));
  const wrong: string[] = [];
  for (const c of cases) {
    const got = outcome(() => importSafetensors(c.bytes));
    // safetensors has no checksum, and the "config" metadata is optional by design (the seed's settings
    // replace one that is unusable): a flip that lands there, or a bad config, may load; nothing may crash
    const lenient = c.kind === 'safetensors: config not JSON' || c.kind === 'safetensors: flipped header byte';
    if (got !== 'bad-safetensors' && !(lenient && got === 'loaded')) wrong.push(`${c.kind} (${c.bytes.length} bytes): ${got}`);
  }
  t.diagnostic(`safetensors fuzz: ${cases.length} cases, seed ${SEED + 1}`);
  assert.deepEqual(wrong, []);
  assert.ok(cases.length >= 200, `${cases.length} safetensors cases`);
  for (const state of MODELS) assert.equal(outcome(() => importSafetensors(exportSafetensors(state))), 'loaded');
});

test('fuzz total: at least 1000 generated cases per run', () => {
  const total = checkpointCases(Rng.fromSeed(SEED)).length + safetensorsCases(Rng.fromSeed(SEED + 1)).length;
  assert.ok(total >= 1000, `${total} cases`);
});

test('a damaged checkpoint given to train --resume leaves --out as it was', async () => {
  const { trainCommand } = await import('../../main/cli/train.js');
  const dir = await mkdtemp(join(tmpdir(), 'char-rnn-fuzz-'));
  try {
    const corpus = join(dir, 'corpus.txt');
    await writeFile(corpus, 'the cat sat on the mat, and é ü 😀\n'.repeat(40));
    const out = join(dir, 'good.ckpt');
    const goodBytes = serializeCheckpoint(MODELS[0]);
    await writeFile(out, goodBytes);
    const cases = checkpointCases(Rng.fromSeed(SEED + 2));
    const io = { out: () => {}, line: () => {}, note: () => {}, warn: () => {}, stdoutIsTty: false };
    const damaged = join(dir, 'damaged.ckpt');
    for (let i = 0; i < cases.length; i += Math.floor(cases.length / 25)) {
      await writeFile(damaged, cases[i].bytes);
      await assert.rejects(trainCommand(corpus, { resume: damaged, out, force: true, iterations: '200' }, io),
        (e: unknown) => e instanceof CharRnnError && e.code === 'bad-checkpoint', cases[i].kind);
      assert.deepEqual(new Uint8Array(await readFile(out)), goodBytes, `${cases[i].kind}: --out untouched`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

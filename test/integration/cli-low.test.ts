// Issue 17's low-priority findings, each through the CLI as a user runs it: import --help names where its
// defaults come from, inspect shows a safetensors file, --argmax says what it ignores, an unknown prime
// character is a usage error (exit 2), a zero-width joiner in the vocabulary is escaped, and a 2^62
// safetensors header length is printed exactly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTRY, generatedCorpus, ok, runCli as runCliOf, userError } from '../helpers/cli-run.js';
import { decodeSafetensors } from '../../core/safetensors.js';
import { Vocabulary } from '../../core/vocab.js';
import { vocabularyPreview } from '../../main/cli/inspect.js';

const runCli = (args: string[]) => runCliOf(args, { entry: ['--import', 'tsx', ENTRY] });
let dir = '', model = '', exported = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-low-'));
  const corpus = join(dir, 'corpus.txt');
  await writeFile(corpus, generatedCorpus(3000));
  model = join(dir, 'm.ckpt');
  ok(await runCli(['train', corpus, '--hidden', '8', '--seq-length', '10', '--iterations', '5', '--print-every', '0', '--sample-every', '0', '--out', model]), 'model');
  exported = join(dir, 'm.safetensors');
  ok(await runCli(['export', model, exported]), 'export');
});

after(() => rm(dir, { recursive: true, force: true }));

test('import --help says the defaults come from the file\'s metadata when it has them', async () => {
  const help = ok(await runCli(['import', '--help']), 'import --help');
  assert.match(help.stdout.replace(/\s+/g, ' '), /--lr <rate> learning rate \(default: the file's metadata, else 0\.1\)/);
  const trainHelp = ok(await runCli(['train', '--help']), 'train --help');
  assert.match(trainHelp.stdout.replace(/\s+/g, ' '), /--lr <rate> learning rate \(default 0\.1\)/);
});

test('inspect shows a safetensors file\'s metadata and tensors', async () => {
  const run = ok(await runCli(['inspect', exported]), 'inspect safetensors');
  assert.match(run.stdout, /^safetensors file .*m\.safetensors", [\d.]+ \w+: \d+ tensors, \d+ metadata entries$/m);
  assert.match(run.stdout, /^metadata vocab: /m);
  assert.match(run.stdout, /^tensor \S+: F32 \[\d+(, \d+)*\]$/m);
  const json = JSON.parse(ok(await runCli(['inspect', exported, '--json']), 'inspect --json').stdout) as { format: string; tensors: { name: string }[]; metadata: Record<string, string> };
  assert.equal(json.format, 'safetensors');
  assert.ok(json.tensors.length > 0 && 'vocab' in json.metadata);
});

test('--argmax says that --temperature and --top-k are ignored', async () => {
  const run = ok(await runCli(['sample', model, '--argmax', '--temperature', '0.5', '--top-k', '3', '--length', '5']), 'argmax');
  assert.match(run.stderr, /--argmax always takes the most likely character: --temperature and --top-k are ignored/);
  const plain = ok(await runCli(['sample', model, '--argmax', '--length', '5']), 'argmax alone');
  assert.equal(plain.stderr, '');
});

test('an unknown prime character is a usage error: exit 2', async () => {
  userError(await runCli(['sample', model, '--prime', '€', '--seed', '1']), 2, /The prime has 1 character the model's vocabulary lacks/, 'prime');
});

test('inspect escapes a zero-width joiner and other invisible characters in the vocabulary', () => {
  const preview = vocabularyPreview(Vocabulary.fromText('a\u200db\u0007c\u00a0'));
  assert.ok(!preview.includes('\u200d') && !preview.includes('\u00a0'), preview);
  assert.match(preview, /\\u200d/);
  assert.match(preview, /\\u0007/);
  assert.match(preview, /\\u00a0/);
});

test('a 2^62 safetensors header length is printed exactly', () => {
  const bytes = new Uint8Array(16);
  new DataView(bytes.buffer).setBigUint64(0, 2n ** 62n, true);
  bytes[8] = 0x7b;
  assert.throws(() => decodeSafetensors(bytes), /header length field says 4611686018427387904 bytes/);
});

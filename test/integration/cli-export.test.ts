// `char-rnn export` by format (issue 16): the extension or --format chooses; a page or ONNX file char-rnn
// wrote is replaced only with --force, any other .html or .onnx never; an unknown extension is a usage error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedCorpus, loadCheckpoint, ok, runCli, userError } from '../helpers/cli-run.js';

let dir = '';
let model = '';

before(async () => {
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:cli: ${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-export-'));
  const corpus = join(dir, 'corpus.txt');
  await writeFile(corpus, generatedCorpus(3000));
  model = join(dir, 'model.ckpt');
  ok(await runCli(['train', corpus, '--hidden', '8', '--seq-length', '10', '--iterations', '20', '--print-every', '0', '--sample-every', '0', '--out', model]), 'train');
});

after(() => rm(dir, { recursive: true, force: true }));

test('each extension writes its format, and says what it wrote', async () => {
  const page = join(dir, 'bot.html'), onnx = join(dir, 'bot.onnx'), copy = join(dir, 'copy.ckpt'), weights = join(dir, 'w.safetensors');
  const html = ok(await runCli(['export', model, page, '--name', 'Cat bot', '--text-name', 'corpus.txt']), 'html');
  assert.match(html.stderr, /wrote .*bot\.html \(web page \(\.html\), [\d.]+ KiB\): rnn 1×8/);
  const text = await readFile(page, 'utf8');
  assert.match(text, /<h1>Cat bot<\/h1>/);
  assert.match(text, /Trained on <b>corpus\.txt<\/b>/);
  ok(await runCli(['export', model, onnx]), 'onnx');
  assert.equal((await readFile(onnx)).subarray(4, 19).toString(), 'char-rnn-studio');
  ok(await runCli(['export', model, copy]), 'ckpt');
  assert.deepEqual((await loadCheckpoint(copy)).params, (await loadCheckpoint(model)).params);
  ok(await runCli(['export', model, weights]), 'safetensors');
  assert.equal((await readFile(weights))[8], 0x7b);
  ok(await runCli(['export', model, join(dir, 'model.bin'), '--format', 'onnx']), '--format');
  assert.equal((await readFile(join(dir, 'model.bin'))).subarray(4, 19).toString(), 'char-rnn-studio');
});

test('an unknown extension or --format is a usage error (exit 2) that lists the formats, and writes nothing', async () => {
  userError(await runCli(['export', model, join(dir, 'model.txt')]), 2, /Cannot tell the format of .*model\.txt.*web page \(\.html\), ONNX \(\.onnx\), or pass --format/, 'unknown extension');
  userError(await runCli(['export', model, join(dir, 'm.html'), '--format', 'pdf']), 2, /--format "pdf" is not a format; use one of ckpt, safetensors, html, onnx/, 'bad --format');
  await assert.rejects(readFile(join(dir, 'model.txt')));
  await assert.rejects(readFile(join(dir, 'm.html')));
});

test('our own page or ONNX file is replaced only with --force; another .html or .onnx never', async () => {
  for (const ext of ['html', 'onnx']) {
    const ours = join(dir, `ours.${ext}`), theirs = join(dir, `theirs.${ext}`);
    ok(await runCli(['export', model, ours]), `first ${ext}`);
    const before = await readFile(ours);
    userError(await runCli(['export', model, ours]), 1, /already exists there; add --force to replace it/, `${ext} without --force`);
    assert.deepEqual(await readFile(ours), before);
    ok(await runCli(['export', model, ours, '--force']), `${ext} with --force`);
    const foreign = ext === 'html' ? '<!DOCTYPE html><html><body>my site</body></html>' : '\x08\x07\x12\x07pytorch';
    await writeFile(theirs, foreign);
    userError(await runCli(['export', model, theirs, '--force']), 1, /theirs\.\w+.*never replaced/, `foreign ${ext} with --force`);
    assert.equal(await readFile(theirs, 'latin1'), foreign);
  }
});

// main/files: corpus reading with clear errors, atomic writes (even under SIGKILL), checkpoint files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SEED_TRAINING } from '../../../core/config.js';
import { CharRnnError } from '../../../core/errors.js';
import { createTrainingState } from '../../../core/trainer.js';
import { Vocabulary } from '../../../core/vocab.js';
import { isTempPathFor, tempPathFor, writeFileAtomic } from '../../../main/files/atomic-write.js';
import { readCorpusFile } from '../../../main/files/corpus-file.js';
import { FileError } from '../../../main/files/errors.js';
import { readCheckpointFile, writeCheckpointFile } from '../../../main/files/model-files.js';

const ATOMIC_WRITE_MODULE = resolve('main/files/atomic-write.ts');
const CORPUS_FILE_MODULE = resolve('main/files/corpus-file.ts');

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'char-rnn-files-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Rejects with the given error class and code, and a message that names the file. */
async function rejectsWith(promise: Promise<unknown>, type: typeof FileError | typeof CharRnnError, code: string, path: string) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    assert.equal((e as FileError | CharRnnError).code, code);
    assert.ok((e as Error).message.includes(JSON.stringify(path)), `message names the file: ${(e as Error).message}`);
    assert.ok(!(e as Error).message.includes('\n'), 'one line');
    return true;
  });
}

test('readCorpusFile decodes UTF-8 text, reports a BOM and CRLF lines', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'c.txt');
  await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('ab\r\ncé😀\r\n', 'utf8')]));
  const corpus = await readCorpusFile(path);
  assert.equal(corpus.text, 'ab\r\ncé😀\r\n');
  assert.equal(corpus.hadBom, true);
  assert.equal(corpus.crlfLines, 2);
  assert.equal(corpus.bytes, (await stat(path)).size);
  assert.equal(corpus.path, path);
});

test('readCorpusFile: a missing file, a folder and a device each get their own clear error', async (t) => {
  const dir = await tempDir(t);
  const missing = join(dir, 'nope.txt');
  await rejectsWith(readCorpusFile(missing), FileError, 'file-not-found', missing);
  await rejectsWith(readCorpusFile(dir), FileError, 'file-is-directory', dir);
  await rejectsWith(readCorpusFile(join(dir, 'nope', 'x.txt')), FileError, 'file-not-found', join(dir, 'nope', 'x.txt'));
  if (process.platform !== 'win32') await rejectsWith(readCorpusFile('/dev/null'), FileError, 'file-not-regular', '/dev/null');
});

test('readCorpusFile refuses a file over the size limit from its size, before decoding it', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'big.txt');
  await writeFile(path, 'x'.repeat(1000));
  await rejectsWith(readCorpusFile(path, 999), FileError, 'file-too-large', path);
  assert.equal((await readCorpusFile(path, 1000)).text.length, 1000);
  // A sparse file past the default limit: refused from stat at once (a read would take 600 MiB of memory,
  // and decoding would fail with core's corpus-too-large rather than this FileError).
  const huge = join(dir, 'huge.txt');
  await writeFile(huge, '');
  await truncate(huge, 600 * 1024 * 1024);
  const started = performance.now();
  await rejectsWith(readCorpusFile(huge), FileError, 'file-too-large', huge);
  assert.ok(performance.now() - started < 500, 'without reading the file');
});

test('readCorpusFile: empty, binary and non-UTF-8 content keep core\'s codes and name the file', async (t) => {
  const dir = await tempDir(t);
  const cases: [string, Uint8Array, string][] = [
    ['empty.txt', new Uint8Array(0), 'corpus-empty'],
    ['bom-only.txt', new Uint8Array([0xef, 0xbb, 0xbf]), 'corpus-empty'],
    ['binary.bin', new Uint8Array([0x61, 0x00, 0x62]), 'corpus-binary'],
    ['latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'corpus-not-utf8'],
  ];
  for (const [name, bytes, code] of cases) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    await rejectsWith(readCorpusFile(path), CharRnnError, code, path);
  }
});

test('readCorpusFile: a file without read permission is refused clearly', async (t) => {
  if (process.platform === 'win32') {
    t.skip('Windows has no chmod 000: permissions are ACLs there');
    return;
  }
  const dir = await tempDir(t);
  await chmod(dir, 0o755);
  const path = join(dir, 'secret.txt');
  await writeFile(path, 'hello');
  await chmod(path, 0o000);
  if (process.getuid?.() !== 0) {
    await rejectsWith(readCorpusFile(path), FileError, 'file-permission', path);
    return;
  }
  // root reads anything: read as the unprivileged user "nobody" in a child process instead
  const script = `import { readCorpusFile } from ${JSON.stringify(CORPUS_FILE_MODULE)};
    try { await readCorpusFile(${JSON.stringify(path)}); console.log('read'); }
    catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script],
    { uid: 65534, gid: 65534, encoding: 'utf8', cwd: process.cwd() });
  assert.equal(result.status, 0, result.stderr);
  const error = JSON.parse(result.stdout);
  assert.deepEqual([error.name, error.code], ['FileError', 'file-permission']);
  assert.equal(error.message, `Permission denied: cannot read ${JSON.stringify(path)}.`);
});

test('writeFileAtomic writes the whole file, replaces an old one and leaves no temporary file', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'model.ckpt');
  await writeFileAtomic(path, new TextEncoder().encode('first'));
  await writeFileAtomic(path, new TextEncoder().encode('second, longer'));
  assert.equal(await readFile(path, 'utf8'), 'second, longer');
  assert.deepEqual(await readdir(dir), ['model.ckpt']);
});

test('the temporary file sits in the target\'s folder, hidden, and is recognisable', () => {
  const temp = tempPathFor('/some/folder/model.ckpt');
  assert.ok(temp.startsWith('/some/folder/.model.ckpt.'), temp);
  assert.ok(isTempPathFor('/some/folder/model.ckpt', temp));
  assert.ok(!isTempPathFor('/some/folder/model.ckpt', '/some/folder/model.ckpt'));
  assert.notEqual(tempPathFor('/x/a'), tempPathFor('/x/a'), 'two writers never share a temporary file');
});

test('writeFileAtomic: a missing folder or a folder in the way fails clearly and leaves nothing behind', async (t) => {
  const dir = await tempDir(t);
  const inMissing = join(dir, 'no-such-folder', 'model.ckpt');
  await rejectsWith(writeFileAtomic(inMissing, new Uint8Array(4)), FileError, 'file-not-found', inMissing);
  const folder = join(dir, 'taken');
  await mkdir(folder);
  await writeFile(join(folder, 'inside.txt'), 'keep me');
  await rejectsWith(writeFileAtomic(folder, new Uint8Array(4)), FileError, 'file-is-directory', folder);
  assert.deepEqual((await readdir(dir)).sort(), ['taken'], 'no temporary file is left after a failed write');
  assert.equal(await readFile(join(folder, 'inside.txt'), 'utf8'), 'keep me');
});

test('writeFileAtomic under SIGKILL: the file is always a whole old or a whole new version, never a part', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'model.ckpt');
  const size = 4 * 1024 * 1024;
  // The writer alternates two versions of the file (all 'a', all 'b') as fast as it can.
  const writer = `
    import { writeFileAtomic } from ${JSON.stringify(ATOMIC_WRITE_MODULE)};
    const versions = [new Uint8Array(${size}).fill(97), new Uint8Array(${size}).fill(98)];
    await writeFileAtomic(${JSON.stringify(path)}, versions[0]);
    process.stdout.write('ready\\n');
    for (let i = 1; ; i++) await writeFileAtomic(${JSON.stringify(path)}, versions[i % 2]);
  `;
  for (const delayMs of [30, 90, 170]) {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((ready, fail) => {
      child.stdout.once('data', () => ready());
      child.once('exit', (code) => fail(new Error(`writer exited early with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, delayMs));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const bytes = await readFile(path);
    assert.equal(bytes.length, size, `after a kill at ${delayMs} ms the file is whole`);
    const first = bytes[0];
    assert.ok(first === 97 || first === 98);
    assert.equal(bytes.indexOf(first === 97 ? 98 : 97), -1, 'one version, not a mix');
    assert.ok(!bytes.includes(0), 'no unwritten bytes');
    // A killed writer can leave its temporary file: it is recognisable, and the target is not it.
    for (const name of await readdir(dir)) if (name !== 'model.ckpt') assert.ok(isTempPathFor(path, join(dir, name)), name);
  }
});

function tinyState() {
  const vocab = Vocabulary.fromText('abc de');
  return createTrainingState({ cell: 'rnn', vocabSize: vocab.size, hiddenSize: 4, layers: 1 }, SEED_TRAINING, vocab);
}

test('checkpoint files: written atomically, read back the same', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'tiny.ckpt');
  const state = tinyState();
  state.iteration = 7;
  const written = await writeCheckpointFile(path, state);
  const { state: loaded, bytes } = await readCheckpointFile(path);
  assert.deepEqual(bytes, written);
  assert.deepEqual(loaded.params, state.params);
  assert.equal(loaded.iteration, 7);
  assert.deepEqual(await readdir(dir), ['tiny.ckpt']);
});

test('checkpoint files: missing, a folder, truncated or not a checkpoint are clear errors naming the file', async (t) => {
  const dir = await tempDir(t);
  const missing = join(dir, 'none.ckpt');
  await rejectsWith(readCheckpointFile(missing), FileError, 'file-not-found', missing);
  await rejectsWith(readCheckpointFile(dir), FileError, 'file-is-directory', dir);
  const path = join(dir, 'cut.ckpt');
  const whole = await writeCheckpointFile(path, tinyState());
  await writeFile(path, whole.subarray(0, whole.length - 10));
  await rejectsWith(readCheckpointFile(path), CharRnnError, 'bad-checkpoint', path);
  const text = join(dir, 'notes.txt');
  await writeFile(text, 'just some text');
  await rejectsWith(readCheckpointFile(text), CharRnnError, 'bad-checkpoint', text);
});

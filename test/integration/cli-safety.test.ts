// The CLI never destroys a user's file, checks --out before training, resolves paths where the user
// ran it, reads UTF-16, exits 130 when interrupted and stops a loss that explodes (issue 7).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { link, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generatedCorpus, loadCheckpoint, ENTRY, ok, runCli as runCliOf, type CliOptions, type CliRun as Run } from '../helpers/cli-run.js';

/** These tests run the TypeScript source (fault hooks and INIT_CWD cases load through tsx). */
const runCli = (args: string[], opts: CliOptions = {}) => runCliOf(args, { entry: ['--import', 'tsx', ENTRY], ...opts });

/** Refused: one line "char-rnn: …" on stderr, no training output, the exit code given. */
function refused(run: Run, code: number, pattern: RegExp, what: string): void {
  assert.equal(run.code, code, `${what}: exit code (stderr: ${run.stderr})`);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got ${JSON.stringify(run.stderr)}`);
  assert.match(lines[0], /^char-rnn: /, what);
  assert.match(lines[0], pattern, what);
  assert.equal(run.stdout, '', `${what}: nothing on stdout`);
}

const TINY = ['--hidden', '8', '--seq-length', '10', '--print-every', '0', '--sample-every', '0'];
let dir = '';
let corpus = '';
let corpusText = '';
let model = '';        // a 60-iteration checkpoint
let modelBytes: Buffer;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-safety-'));
  corpus = join(dir, 'corpus.txt');
  corpusText = generatedCorpus(4000);
  await writeFile(corpus, corpusText);
  model = join(dir, 'model.ckpt');
  ok(await runCli(['train', corpus, ...TINY, '--iterations', '60', '--out', model]), 'shared model');
  modelBytes = await readFile(model);
});

after(() => rm(dir, { recursive: true, force: true }));

describe('finding 1: writes that destroy files', () => {
  test('train --out CORPUS is refused and the corpus is untouched, also through a symlink, a hard link or --force', async () => {
    refused(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', corpus]), 1, /corpus\.txt.*is also an input/, 'out = corpus');
    const viaSymlink = join(dir, 'alias.ckpt');
    await symlink(corpus, viaSymlink);
    refused(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', viaSymlink, '--force']), 1, /input/i, 'symlink');
    const viaLink = join(dir, 'hard.ckpt');
    await link(corpus, viaLink);
    refused(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', viaLink, '--force']), 1, /input/i, 'hard link');
    refused(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', join(dir, '.', 'corpus.txt'), '--force']), 1, /input/i, 'dot path');
    assert.equal(await readFile(corpus, 'utf8'), corpusText);
  });

  test('a file that is not a checkpoint or safetensors is never replaced, even with --force', async () => {
    const notes = join(dir, 'notes.txt');
    await writeFile(notes, 'my notes\n');
    refused(await runCli(['export', model, notes]), 1, /notes\.txt.*not a checkpoint or safetensors file/, 'export over text');
    refused(await runCli(['export', model, notes, '--force']), 1, /never replaced|not a checkpoint or safetensors/, 'export --force over text');
    refused(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', notes, '--force']), 1, /not a checkpoint or safetensors/, 'train over text');
    assert.equal(await readFile(notes, 'utf8'), 'my notes\n');
  });

  test('export a.ckpt a.ckpt and import x x are refused: the output is the input', async () => {
    refused(await runCli(['export', model, model, '--force']), 1, /input/i, 'export onto itself');
    assert.deepEqual(await readFile(model), modelBytes);
    const weights = join(dir, 'w.safetensors');
    ok(await runCli(['export', model, weights]), 'export');
    const weightBytes = await readFile(weights);
    refused(await runCli(['import', weights, weights, '--force']), 1, /input/i, 'import onto itself');
    assert.deepEqual(await readFile(weights), weightBytes);
  });

  test('a fresh run does not replace an existing checkpoint without --force; a resume may write its own --resume', async () => {
    const old = join(dir, 'old.ckpt');
    await writeFile(old, modelBytes);
    refused(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', old]), 1, /old\.ckpt.*already exists.*--force/, 'fresh over checkpoint');
    assert.deepEqual(await readFile(old), modelBytes);
    const weights = join(dir, 'old.safetensors');
    ok(await runCli(['export', model, weights]), 'export');
    refused(await runCli(['export', model, weights]), 1, /already exists.*--force/, 'export over safetensors');
    refused(await runCli(['import', weights, old]), 1, /already exists.*--force/, 'import over checkpoint');
    assert.deepEqual(await readFile(old), modelBytes);

    ok(await runCli(['train', corpus, '--resume', old, '--iterations', '70', '--out', old, '--print-every', '0', '--sample-every', '0']), 'resume onto itself');
    assert.equal((await loadCheckpoint(old)).iteration, 70);
    ok(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', old, '--force']), 'fresh with --force');
    assert.equal((await loadCheckpoint(old)).iteration, 5);
    ok(await runCli(['export', model, weights, '--force']), 'export --force');
  });
});

describe('finding 2: --out is checked before the first step', () => {
  test('a missing folder, a folder, and a path through a file are refused before training', async () => {
    const cases: [string, RegExp][] = [
      [join(dir, 'no-such-folder', 'x.ckpt'), /folder does not exist; create .*no-such-folder/],
      [dir, /is a folder/],
      [join(corpus, 'x.ckpt'), /not a folder/],
    ];
    for (const [out, pattern] of cases) {
      // refused before the first step: the start's own message, and nothing on stdout (a run prints its header
      // there before training; a save failing at the end would be another message, after it)
      const run = await runCli(['train', corpus, ...TINY, '--seconds', '30', '--out', out]);
      refused(run, 1, pattern, out);
    }
  });

  test('a save that fails later keeps training, writes a fallback and says where', async () => {
    const folder = join(dir, 'vanishing');
    const rescue = join(dir, 'rescue');
    await mkdir(folder);
    const out = join(folder, 'run.ckpt');
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'train', corpus, ...TINY, '--seconds', '4', '--save-every', '20', '--out', out],
      { env: { ...process.env, CHAR_RNN_RESCUE_DIR: rescue }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const firstSave = new Promise<void>((ready) => {
      child.stderr.setEncoding('utf8').on('data', (s: string) => {
        stderr += s;
        if (/saved /.test(stderr)) ready();
      });
      child.on('close', () => ready());
    });
    await firstSave;
    await rename(folder, `${folder}-gone`); // the folder goes away under the run
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 1, stderr);
    assert.ok(!stderr.includes('    at '), stderr);
    assert.match(stderr, /could not save .*run\.ckpt.*training goes on/i);
    const last = stderr.trimEnd().split('\n').at(-1)!;
    assert.match(last, /^char-rnn: could not save .*run\.ckpt.*; the run was saved to .*rescue/);
    const saved = (await readdir(rescue)).filter((n) => n.endsWith('.ckpt'));
    assert.ok(saved.length >= 1, 'a fallback checkpoint');
    const state = await loadCheckpoint(join(rescue, saved.sort().at(-1)!));
    assert.ok(state.iteration > 20);
  });
});

describe('finding 4: relative paths under npm run', () => {
  test('paths resolve against INIT_CWD when run through an npm script, and messages show absolute paths', async () => {
    const sub = join(dir, 'sub');
    await mkdir(sub);
    await writeFile(join(sub, 'story.txt'), corpusText);
    const run = ok(await runCli(['train', 'story.txt', ...TINY, '--iterations', '5', '--out', 'story.ckpt'],
      { cwd: resolve('.'), env: { INIT_CWD: sub, npm_lifecycle_event: 'char-rnn' } }), 'under npm');
    assert.equal((await loadCheckpoint(join(sub, 'story.ckpt'))).iteration, 5);
    assert.ok(run.stderr.includes(`saved ${join(sub, 'story.ckpt')}`), run.stderr);
    const missing = await runCli(['inspect', 'nope.ckpt'], { cwd: resolve('.'), env: { INIT_CWD: sub, npm_lifecycle_event: 'char-rnn' } });
    refused(missing, 1, new RegExp(`${JSON.stringify(join(sub, 'nope.ckpt')).replace(/[/.]/g, '\\$&')} does not exist`), 'missing');
  });
});

describe('finding 5: UTF-16 and CRLF', () => {
  test('UTF-16 with a byte-order mark is decoded, with a note; without one, the message says how to convert', async () => {
    const le = join(dir, 'le.txt'), be = join(dir, 'be.txt'), bare = join(dir, 'bare.txt');
    const text = corpusText.slice(0, 3000);
    await writeFile(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const beBytes = Buffer.from(text, 'utf16le').swap16();
    await writeFile(be, Buffer.concat([Buffer.from([0xfe, 0xff]), beBytes]));
    await writeFile(bare, Buffer.from(text, 'utf16le'));
    for (const path of [le, be]) {
      const out = path.replace(/\.txt$/, '.ckpt');
      const run = ok(await runCli(['train', path, ...TINY, '--iterations', '5', '--out', out]), path);
      assert.match(run.stderr, /UTF-16 (LE|BE)/);
      assert.equal((await loadCheckpoint(out)).vocab.size, (await loadCheckpoint(model)).vocab.size, 'same characters as the UTF-8 text');
    }
    refused(await runCli(['train', bare, ...TINY, '--iterations', '5']), 1, /UTF-16.*iconv -f UTF-16LE -t UTF-8/, 'no BOM');
  });

  test('CRLF text gets a warning, and --resume on it suggests the line-ending fix when \\r is the only unknown character', async () => {
    const crlf = join(dir, 'crlf.txt');
    await writeFile(crlf, corpusText.replace(/\n/g, '\r\n'));
    const run = ok(await runCli(['train', crlf, ...TINY, '--iterations', '5']), 'crlf');
    assert.match(run.stderr, /warning: .*CR LF/);
    const resumed = await runCli(['train', crlf, '--resume', model, '--iterations', '70']);
    refused(resumed, 1, /Windows line endings.*dos2unix/, 'resume on crlf');
  });
});

describe('finding 6: signals and exit codes', () => {
  test('SIGINT saves --out and exits 130', async () => {
    const out = join(dir, 'interrupted.ckpt');
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'train', corpus, ...TINY, '--out', out, '--json', '--print-every', '20'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    await new Promise((ready) => child.stdout.once('data', ready));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 130, stderr);
    assert.ok((await loadCheckpoint(out)).iteration >= 20);
  });

  test('SIGINT to npm run (the whole wrapper chain) saves --out and exits 130', async () => {
    const out = join(dir, 'npm-interrupted.ckpt');
    const child = spawn('npm', ['run', '-s', 'char-rnn', '--', 'train', corpus, ...TINY, '--out', out, '--json', '--print-every', '20'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    await new Promise((ready) => child.stdout.once('data', ready));
    child.kill('SIGINT'); // npm's own process only, as a supervisor would
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 130, stderr);
    assert.ok((await loadCheckpoint(out)).iteration >= 20, stderr);
  });

  test('help [command] and --version exit 0 with no "(outputHelp)"', async () => {
    const help = ok(await runCli(['help', 'train']), 'help train');
    assert.match(help.stdout + help.stderr, /--out <file>/);
    assert.ok(!(help.stdout + help.stderr).includes('outputHelp'));
    const all = ok(await runCli(['help']), 'help');
    assert.ok(!(all.stdout + all.stderr).includes('outputHelp'));
    const version = ok(await runCli(['--version']), '--version');
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);
  });

  test('a run with no --out and no stopping point says once, at the start, that nothing will be saved', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'train', corpus, ...TINY], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    // under load the start can take a while: wait for the run to say it is training, not for a fixed time
    const closed = new Promise((r) => child.on('close', r));
    for (let waited = 0; !/^training: /m.test(stderr) && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    await closed;
    assert.equal(stderr.match(/nothing will be saved/g)?.length, 1, stderr);
    const withStop = ok(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', join(dir, 'w.ckpt'), '--force']), 'with --out');
    assert.ok(!withStop.stderr.includes('nothing will be saved'));
  });
});

describe('finding 7: a loss that explodes', () => {
  test('an LSTM with Adam at lr 10 stops, rolls back to the last good state, never saves the exploded one, and says what to change', async () => {
    const out = join(dir, 'exploded.ckpt');
    const run = await runCli(['train', corpus, '--model', 'lstm', '--hidden', '32', '--optimizer', 'adam', '--lr', '10', '--clip', '0',
      '--seq-length', '25', '--iterations', '600', '--print-every', '10', '--sample-every', '50', '--sample-length', '0', '--out', out]);
    assert.equal(run.code, 1, run.stderr);
    const last = run.stderr.trimEnd().split('\n').at(-1)!;
    assert.match(last, /^char-rnn: Training diverged at iteration \d+: the loss .* \(ln V is \d\.\d+.*rolled back to iteration \d+.*lower the learning rate/i);
    const state = await loadCheckpoint(out);
    const lnV = Math.log(state.vocab.size);
    assert.ok(state.smoothLoss < 3 * lnV, `the saved state is a good one (smooth loss ${state.smoothLoss}, ln V ${lnV})`);
    assert.ok(state.iteration < 600);
  });
});

// `char-rnn train` from scratch, end to end, as a child process running what users run (bin/char-rnn.js
// over the bundle that `npm run build:cli` makes at install time) on a small generated corpus: the seed's
// progress lines and samples, the terminal's bar, --json, periodic and timed saves, SIGINT and a closed stdout.
// Its own file because a fresh run needs no trained model: resuming is cli-resume.test.ts, the other commands cli.test.ts.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedCorpus, loadCheckpoint, BIN, ok, runCli, type CliRun as Run } from '../helpers/cli-run.js';

let dir = '';
let corpus = '';           // the training corpus
const TINY = ['--hidden', '8', '--seq-length', '10'];

before(async () => {
  // the same build as `npm install` (the `prepare` script) and `npm run char-rnn` make
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:cli: ${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-cli-train-'));
  corpus = join(dir, 'corpus.txt');
  await writeFile(corpus, generatedCorpus(4000));
});

after(() => rm(dir, { recursive: true, force: true }));

describe('train', () => {
  test('prints the seed\'s progress lines and samples, and saves --out', async () => {
    const out = join(dir, 'text.ckpt');
    const run = ok(await runCli(['train', corpus, ...TINY, '--iterations', '120', '--print-every', '40',
      '--sample-every', '60', '--sample-length', '30', '--out', out]), 'train');
    const lines = run.stdout.split('\n');
    const progress = lines.filter((l) => l.startsWith('iter '));
    assert.deepEqual(progress.map((l) => Number(/^iter (\d+), loss \d+\.\d+ /.exec(l)?.[1])), [40, 60, 80, 120]);
    assert.match(progress[1], /val \d+\.\d+ nats\/char \(\d+\.\d+ bits\/char\)/, 'validation loss at --sample-every');
    assert.match(progress[0], /chars\/s$/);
    // default threads with one stream: in-process on the plain Trainer (no pool), on WebAssembly
    assert.match(run.stderr.split('\n')[0], /^training: .*batch 1, 1 thread, wasm-relaxed-simd kernels;/);
    assert.match(run.stderr, /\nbest validation loss \d+\.\d{6} nats\/char \(\d+\.\d{4} bits\/char\) at iteration (60|120)\n/, 'the best validation, and where');
    assert.ok(!run.stdout.includes('\r') && !run.stderr.includes('\r'), 'piped: plain lines, no progress bar');
    assert.match(run.stdout, /\n----\n [^]{30} \n----\n/, 'a 30-character sample in the seed\'s frame');
    const state = await loadCheckpoint(out);
    assert.equal(state.iteration, 120);
    assert.equal(state.model.hiddenSize, 8);
    assert.equal(state.training.seqLength, 10);
    assert.deepEqual(state.lossHistory.map((p) => p.iter), [40, 60, 80, 120], 'a history point at each print');
    assert.ok(state.lossHistory.every((p) => p.raw !== undefined && p.raw > 0 && p.raw < 10), 'the raw loss of each stretch is kept');
    assert.ok(state.lossHistory.some((p) => p.raw! < p.loss - 0.05), 'below the seed\'s average from ln V, early in a run');
    const measured = state.lossHistory.flatMap((p) => (p.valLoss === undefined ? [] : [p.valLoss]));
    assert.equal(measured.length, 2, 'validation at iterations 60 and 120');
    assert.equal(state.bestValLoss, Math.min(...measured), 'bestValLoss tracks the lowest');
    assert.match(state.corpusFingerprint ?? '', /^\d+:[0-9a-f]{8}$/);
    assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.tmp')), [], 'no temporary files');
  });

  // a real terminal through util-linux's `script` (a pseudo-terminal); where it is missing the test says so and skips
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  test('on a terminal: a progress bar with the ETA, drawn in place and cleared, and the best validation at the end',
    { skip: hasScript ? false : 'util-linux `script` is not installed, so there is no pseudo-terminal to run the CLI on' }, async () => {
    const command = [process.execPath, BIN, 'train', corpus, ...TINY, '--iterations', '400', '--print-every', '50', '--sample-every', '200',
      '--sample-length', '10'].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const run = ok(await new Promise<Run>((resolvePromise, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '100' } });
      let stdout = '', stderr = '';
      child.stdout.setEncoding('utf8').on('data', (t: string) => { stdout += t; });
      child.stderr.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    }), 'train on a terminal');
    const screen = run.stdout;   // script copies the terminal: stdout and stderr together
    assert.match(screen, /\r\x1b\[K\[[█░]+\] +\d+% iter [\d,]+\/400 · loss \d\.\d{4} · \d+:\d\d elapsed · ETA (\d+:\d\d|…)/, 'the bar');
    assert.match(screen, /iter 400, loss \d+\.\d+/, 'the seed\'s lines still print');
    assert.match(screen, /best validation loss \d+\.\d{6} nats\/char \(\d+\.\d{4} bits\/char\) at iteration (200|400)/);
    const afterBest = screen.slice(screen.indexOf('best validation loss'));
    assert.ok(!afterBest.includes('█'), 'the bar is gone once the run ends');
  });

  test('--json prints only JSON objects with the documented fields', async () => {
    const run = ok(await runCli(['train', corpus, ...TINY, '--iterations', '90', '--print-every', '20',
      '--sample-every', '40', '--sample-length', '25', '--json']), 'train --json');
    const objects = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const progress = objects.filter((o) => 'smoothLoss' in o), samples = objects.filter((o) => 'sample' in o);
    assert.equal(progress.length + samples.length, objects.length, 'nothing else on stdout');
    assert.deepEqual(progress.map((o) => o.iter), [20, 40, 60, 80, 90]);
    for (const o of progress) {
      assert.deepEqual(Object.keys(o).sort(), ['charsPerSec', 'epoch', 'iter', 'loss', 'smoothLoss', 'valLoss']);
      for (const k of ['iter', 'epoch', 'loss', 'smoothLoss', 'charsPerSec']) assert.equal(typeof o[k], 'number', k);
      assert.ok((o.smoothLoss as number) > 0 && (o.smoothLoss as number) < Math.log(40), 'nats per character');
    }
    // the last line carries the final validation, the one that chose the best model (issue 17, finding 7)
    assert.deepEqual(progress.map((o) => typeof o.valLoss), ['object', 'number', 'object', 'number', 'number']);
    assert.deepEqual(progress.filter((o) => o.valLoss === null).length, 2, 'valLoss is null when not measured');
    assert.deepEqual(samples.map((o) => Object.keys(o).sort()), [['iter', 'sample'], ['iter', 'sample']]);
    assert.deepEqual(samples.map((o) => o.iter), [40, 80]);
    assert.ok(samples.every((o) => [...(o.sample as string)].length === 25));
  });

  test('--save-every saves along the way, atomically', async () => {
    const out = join(dir, 'periodic.ckpt');
    const run = ok(await runCli(['train', corpus, ...TINY, '--iterations', '100', '--save-every', '40', '--out', out, '--print-every', '0']), 'save-every');
    assert.deepEqual([...run.stderr.matchAll(/saved .* \(iteration (\d+)\)/g)].map((m) => Number(m[1])), [40, 80, 100]);
    assert.equal((await loadCheckpoint(out)).iteration, 100);
    assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.tmp')), []);
  });

  test('--seconds stops on time and saves', async () => {
    const out = join(dir, 'timed.ckpt');
    ok(await runCli(['train', corpus, ...TINY, '--seconds', '0.3', '--out', out, '--print-every', '0']), '--seconds');
    assert.ok((await loadCheckpoint(out)).iteration > 0);
  });

  test('SIGINT finishes the step, saves --out and exits 130 (interrupted)', async () => {
    const out = join(dir, 'interrupted.ckpt');
    const child = spawn(process.execPath, [BIN, 'train', corpus, ...TINY, '--out', out, '--json', '--print-every', '50'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    await new Promise<void>((ready) => child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      if (stdout.includes('\n')) ready();
    }));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 130, stderr);
    const state = await loadCheckpoint(out);
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.at(-1).iter, state.iteration, 'the last line reports the saved iteration');
    assert.ok(state.iteration >= 50);
    assert.match(stderr, new RegExp(`saved .*interrupted\\.ckpt \\(iteration ${state.iteration}\\)`));
  });

  test('a reader that closes stdout early stops training, which still saves --out', async () => {
    const out = join(dir, 'piped.ckpt');
    const child = spawn(process.execPath, [BIN, 'train', corpus, ...TINY, '--out', out, '--print-every', '5'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    await new Promise((ready) => child.stdout.once('data', ready));
    child.stdout.destroy(); // like `| head -1`
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 0, stderr);
    assert.match(stderr, /stdout was closed/);
    assert.ok((await loadCheckpoint(out)).iteration >= 5);
  });

  test('training piped whole into head (`2>&1 | head`) stops when head leaves and still saves --out', { timeout: 120_000 }, async () => {
    // stdout's EPIPE stops the run; its note then meets stderr's EPIPE (the same pipe), which once killed the run
    // before it could save
    const out = join(dir, 'piped-notes.ckpt');
    const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    const command = [process.execPath, BIN, 'train', corpus, ...TINY, '--out', out, '--print-every', '5'].map(quote).join(' ');
    const piped = spawn('sh', ['-c', `${command} 2>&1 | head -n 3`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    piped.stdout.setEncoding('utf8').on('data', (s: string) => { seen += s; });
    const code = await new Promise((r) => piped.on('close', r));
    assert.equal(code, 0, seen);
    assert.equal(seen.trimEnd().split('\n').length, 3, `head's three lines: ${seen}`);
    assert.ok((await loadCheckpoint(out)).iteration >= 5, 'the run saved --out');
  });
});

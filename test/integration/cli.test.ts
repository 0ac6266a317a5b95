// The char-rnn CLI end to end, as a child process running what users run (bin/char-rnn.js over the
// bundle that `npm run build:cli` makes at install time) on a small generated corpus: train, --json, resume, sample, eval, inspect, export/import, signals and user errors.
// first: the CLI compiles relaxed SIMD (its entry sets the flag), and numbers computed here must match its own bits
import '../../main/training/relaxed-simd.js';
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serializeCheckpoint } from '../../core/checkpoint.js';
import { paramLayout, tensorViews } from '../../core/layout.js';
import { evaluateLoss, NATS_TO_BITS } from '../../core/trainer.js';
import { reportFailure, UsageError } from '../../main/cli/fail.js';
import { parseDecimal, parseInteger } from '../../main/cli/options.js';
import { generatedCorpus, loadCheckpoint, BIN, ENTRY, ok, runCli, userError, type CliRun as Run } from '../helpers/cli-run.js';

let dir = '';
let corpus = '';           // the training corpus
let otherCorpus = '';      // same characters, different text
let alienCorpus = '';      // characters the corpus lacks
let model = '';            // a trained checkpoint shared by the read-only tests
const TINY = ['--hidden', '8', '--seq-length', '10'];

before(async () => {
  // the same build as `npm install` (the `prepare` script) and `npm run char-rnn` make
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:cli: ${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-cli-'));
  corpus = join(dir, 'corpus.txt');
  otherCorpus = join(dir, 'other.txt');
  alienCorpus = join(dir, 'alien.txt');
  await writeFile(corpus, generatedCorpus(4000));
  await writeFile(otherCorpus, generatedCorpus(3000, 99));
  await writeFile(alienCorpus, generatedCorpus(3000) + 'Zürich €');
  model = join(dir, 'model.ckpt');
  ok(await runCli(['train', corpus, ...TINY, '--iterations', '200', '--out', model, '--print-every', '0', '--sample-every', '0']), 'shared model');
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

  test('a resumed run continues to the total --iterations and equals a straight run bit for bit', async () => {
    // a 2-layer LSTM with 2 streams and Adam: every kind of carried state (h and c per layer and stream, two moments)
    const shape = [...TINY, '--model', 'lstm', '--layers', '2', '--batch', '2', '--optimizer', 'adam', '--lr', '0.01',
      '--print-every', '25', '--sample-every', '50'];
    const straight = join(dir, 'straight.ckpt'), half = join(dir, 'half.ckpt'), resumed = join(dir, 'resumed.ckpt');
    ok(await runCli(['train', corpus, ...shape, '--iterations', '150', '--out', straight]), 'straight run');
    ok(await runCli(['train', corpus, ...shape, '--iterations', '70', '--out', half]), 'first half');
    const run = ok(await runCli(['train', corpus, '--resume', half, '--model', 'lstm', '--hidden', '8', '--iterations', '150',
      '--out', resumed, '--json', '--print-every', '25', '--sample-every', '50']), 'resumed run');
    assert.deepEqual(run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).iter), [75, 100, 100, 125, 150, 150]);
    assert.doesNotMatch(run.stderr, /warning/, 'same corpus: no warning');
    const a = await loadCheckpoint(straight), b = await loadCheckpoint(resumed);
    assert.equal(b.iteration, 150);
    assert.deepEqual(b.params, a.params, 'parameters');
    assert.deepEqual(b.optimizerState, a.optimizerState, 'optimizer state');
    assert.deepEqual(b.hidden, a.hidden, 'carried hidden state');
    assert.deepEqual(b.positions, a.positions);
    assert.equal(b.optimizerSteps, a.optimizerSteps);
    assert.equal(b.smoothLoss, a.smoothLoss);
    assert.equal(b.bestValLoss, a.bestValLoss);
    assert.deepEqual([b.epoch, b.charsSeen], [a.epoch, a.charsSeen]);
    assert.deepEqual(b.lossHistory.map((p) => p.iter), [25, 50, 70, 75, 100, 125, 150], 'the chart continues');
  });

  test('--threads 2: two runs are bit-identical, the checkpoint records 2, and resuming on it continues bit for bit', async () => {
    const shape = [...TINY, '--model', 'gru', '--batch', '3', '--threads', '2', '--print-every', '0', '--sample-every', '0'];
    const a = join(dir, 'threads-a.ckpt'), b = join(dir, 'threads-b.ckpt'), half = join(dir, 'threads-half.ckpt');
    const first = ok(await runCli(['train', corpus, ...shape, '--iterations', '60', '--out', a]), 'threads run a');
    // the first line names the kernel set: WebAssembly relaxed SIMD here, on the calling thread and the pool's (else each is listed)
    assert.match(first.stderr.split('\n')[0], /^training: .*batch 3, 2 threads, wasm-relaxed-simd kernels;/);
    assert.doesNotMatch(first.stderr, /TypeScript kernels/, 'no fallback to report');
    ok(await runCli(['train', corpus, ...shape, '--iterations', '60', '--out', b]), 'threads run b');
    ok(await runCli(['train', corpus, ...shape, '--iterations', '25', '--out', half]), 'threads first half');
    const resumed = ok(await runCli(['train', corpus, '--resume', half, '--iterations', '60', '--out', half, '--print-every', '0',
      '--sample-every', '0']), 'threads resumed');
    assert.match(resumed.stderr, /2 threads, wasm-relaxed-simd kernels;/, 'a resumed run keeps the checkpoint\'s thread count and kernels');
    const [sa, sb, sr] = await Promise.all([a, b, half].map(loadCheckpoint));
    assert.equal(sa.threads, 2);
    assert.equal(sa.kernels, 'wasm-relaxed-simd', 'the checkpoint records the kernel set');
    assert.deepEqual(sb.params, sa.params, 'same seed, same threads: same parameters');
    assert.deepEqual(sr.params, sa.params, 'resumed across the pool: same parameters');
    assert.deepEqual(sr.hidden, sa.hidden);
    assert.deepEqual(sr.optimizerState, sa.optimizerState);
    // more threads than streams: clamped to the batch, and said (the app's worker follows the same rule)
    const clamped = ok(await runCli(['train', corpus, ...TINY, '--batch', '2', '--threads', '3', '--iterations', '5', '--print-every', '0',
      '--sample-every', '0']), 'too many threads');
    assert.match(clamped.stderr, /training on 2 threads, not 3: the batch has 2 streams/);
    assert.match(clamped.stderr, /batch 2, 2 threads, wasm(-relaxed)?-simd kernels;/);
    userError(await runCli(['train', corpus, '--threads', '0']), 2, /--threads/, 'zero threads');
  });

  test('resume refuses flags that conflict with the checkpoint, naming each, and text with unknown characters', async () => {
    const conflict = await runCli(['train', corpus, '--resume', model, '--hidden', '16', '--model', 'gru', '--batch', '3', '--seed', '1']);
    userError(conflict, 2, /--model gru \(the checkpoint has model rnn\), --hidden 16 \(the checkpoint has hidden size 8\), --batch 3 \(the checkpoint has batch size 1\):/,
      'conflicting flags');
    const alien = await runCli(['train', alienCorpus, '--resume', model, '--iterations', '210']);
    userError(alien, 1, /alien\.txt.*"Z" \(U\+005A\).*"ü" \(U\+00FC\).*"€" \(U\+20AC\)/, 'unknown characters');
  });

  test('resume may change the learning rate and clipping, which the checkpoint then keeps', async () => {
    const out = join(dir, 'slower.ckpt');
    const run = ok(await runCli(['train', corpus, '--resume', model, '--lr', '0.05', '--clip-norm', '1', '--hidden', '8',
      '--iterations', '220', '--out', out, '--print-every', '0']), 'resume with a new learning rate');
    assert.match(run.stderr, /learning rate 0\.1 → 0\.05, clip norm 0 → 1/);
    const state = await loadCheckpoint(out);
    assert.deepEqual([state.training.learningRate, state.training.clipNorm, state.iteration], [0.05, 1, 220]);
  });

  test('a diverging run stops with a clear error and saves the last good state to --out', async () => {
    // No flag within its range makes training blow up, so start from weights at the edge of float32:
    // the logits overflow to ±Infinity and the softmax turns them into NaN on the first step.
    const edge = await loadCheckpoint(model);
    tensorViews(paramLayout(edge.model), edge.params).get('Why')!.fill(3e38);
    const start = join(dir, 'edge.ckpt');
    await writeFile(start, serializeCheckpoint(edge));
    const out = join(dir, 'diverged.ckpt');
    const run = await runCli(['train', corpus, '--resume', start, '--iterations', String(edge.iteration + 50), '--out', out]);
    assert.equal(run.code, 1);
    assert.ok(!run.stderr.includes('    at '));
    assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^char-rnn: Training diverged at iteration \d+: .*diverged\.ckpt" holds the state before that step/);
    const state = await loadCheckpoint(out); // finite: the checkpoint loads
    assert.equal(state.iteration, edge.iteration, 'the step that diverged was not applied');
  });

  test('resume on a different text warns on stderr and records the new corpus', async () => {
    const out = join(dir, 'moved.ckpt');
    const run = ok(await runCli(['train', otherCorpus, '--resume', model, '--iterations', '210', '--out', out, '--print-every', '0']), 'resume elsewhere');
    assert.match(run.stderr, /^char-rnn: warning: .*other\.txt.* not the text this checkpoint was trained on/m);
    const before = await loadCheckpoint(model), after = await loadCheckpoint(out);
    assert.equal(after.iteration, 210);
    assert.notEqual(after.corpusFingerprint, before.corpusFingerprint);
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
});

describe('sample', () => {
  test('the same seed gives the same text, another seed another; the prime comes first', async () => {
    const args = ['sample', model, '--length', '60', '--prime', 'The cat'];
    const [a, b, c] = await Promise.all([
      runCli([...args, '--seed', '5']), runCli([...args, '--seed', '5']), runCli([...args, '--seed', '6']),
    ]);
    for (const r of [a, b, c]) ok(r, 'sample');
    assert.equal(a.stdout, b.stdout);
    assert.notEqual(a.stdout, c.stdout);
    assert.ok(a.stdout.startsWith('The cat'));
    assert.equal([...a.stdout].length, 'The cat'.length + 60, 'prime + text alone (no newline into a pipe)');
    assert.equal(a.stderr, '');
  });

  test('--argmax, --temperature and --top-k', async () => {
    const [x, y, cold] = await Promise.all([
      runCli(['sample', model, '--length', '40', '--argmax', '--seed', '1']),
      runCli(['sample', model, '--length', '40', '--argmax', '--seed', '2']),
      runCli(['sample', model, '--length', '40', '--temperature', '0.5', '--top-k', '3', '--seed', '1']),
    ]);
    assert.equal(ok(x, 'argmax').stdout, ok(y, 'argmax').stdout, 'argmax draws nothing');
    assert.equal([...ok(cold, 'top-k').stdout].length, 40);
  });

  test('a prime with unknown characters is refused naming them, unless --drop-unknown', async () => {
    userError(await runCli(['sample', model, '--prime', 'Zap€', '--seed', '1']), 2,
      /"Z" \(U\+005A\), "p" \(U\+0070\), "€" \(U\+20AC\).*--drop-unknown/, 'unknown prime');
    const dropped = ok(await runCli(['sample', model, '--prime', 'Zap€', '--seed', '1', '--length', '10', '--drop-unknown']), 'drop');
    assert.equal([...dropped.stdout].length, 11);
    assert.ok(dropped.stdout.startsWith('a'));
    assert.match(dropped.stderr, /^char-rnn: warning: .*"Z".*"p".*"€"/);
  });
});

test('eval prints nats and bits per character, as evaluateLoss computes them', async () => {
  const [text, json] = await Promise.all([runCli(['eval', model, otherCorpus]), runCli(['eval', model, otherCorpus, '--json'])]);
  const result = JSON.parse(ok(json, 'eval --json').stdout);
  const state = await loadCheckpoint(model);
  const encoded = state.vocab.encode(await readFile(otherCorpus, 'utf8'));
  assert.equal(result.natsPerChar, evaluateLoss(state.model, state.params, encoded));
  assert.equal(result.bitsPerChar, result.natsPerChar * NATS_TO_BITS);
  assert.equal(result.characters, encoded.length - 1);
  assert.ok(result.natsPerChar > 0.5 && result.natsPerChar < Math.log(state.vocab.size));
  assert.equal(ok(text, 'eval').stdout,
    `${result.natsPerChar.toFixed(6)} nats/char, ${result.bitsPerChar.toFixed(6)} bits/char over ${result.characters.toLocaleString('en-US')} predicted characters\n`);
  userError(await runCli(['eval', model, alienCorpus]), 1, /alien\.txt.*"ü"/, 'eval on unknown characters');
});

test('inspect shows the model, sizes, vocabulary, progress and settings; --json too', async () => {
  const [text, json] = await Promise.all([runCli(['inspect', model]), runCli(['inspect', model, '--json'])]);
  const out = ok(text, 'inspect').stdout;
  for (const re of [/^model\s+rnn, hidden 8, 1 layer$/m, /^parameters\s+[\d,]+ \(f32\)$/m, /^vocabulary\s+\d+ characters: "/m,
    /^iteration\s+200$/m, /^smoothed loss\s+\d+\.\d+ nats\/char/m, /^training\s+adagrad lr 0\.1, seq length 10, batch 1/m,
    /^kernels\s+wasm-relaxed-simd$/m]) {
    assert.match(out, re);
  }
  const summary = JSON.parse(ok(json, 'inspect --json').stdout);
  assert.equal(summary.iteration, 200);
  assert.equal(summary.kernels, 'wasm-relaxed-simd');
  assert.equal(summary.model.hiddenSize, 8);
  assert.equal(summary.vocabSize, [...summary.vocabulary].length);
  assert.equal(summary.bytes, (await readFile(model)).length);
});

test('export to safetensors and import back: same text for the same seed, trainable with a fresh optimizer', async () => {
  const weights = join(dir, 'model.safetensors'), imported = join(dir, 'imported.ckpt');
  ok(await runCli(['export', model, weights]), 'export');
  ok(await runCli(['import', weights, imported, '--seq-length', '10', '--lr', '0.05']), 'import');
  const [original, again] = await Promise.all([
    runCli(['sample', model, '--seed', '9', '--length', '80', '--prime', 'The ']),
    runCli(['sample', imported, '--seed', '9', '--length', '80', '--prime', 'The ']),
  ]);
  assert.equal(ok(again, 'sample imported').stdout, ok(original, 'sample original').stdout);
  const state = await loadCheckpoint(imported);
  assert.equal(state.training.learningRate, 0.05);
  assert.ok(state.optimizerState.every((x) => x === 0), 'a fresh optimizer state');
  const further = join(dir, 'further.ckpt');
  ok(await runCli(['train', corpus, '--resume', imported, '--iterations', '20', '--out', further, '--print-every', '0']), 'train further');
  assert.equal((await loadCheckpoint(further)).iteration, 20);
  userError(await runCli(['sample', weights]), 1, /safetensors.*import/, 'a safetensors file given as a checkpoint');
});

test('every user error is one line on stderr, no stack trace, exit 2 for usage and 1 for the rest', async () => {
  const empty = join(dir, 'empty.txt'), binary = join(dir, 'binary.bin'), latin1 = join(dir, 'latin1.txt'), short = join(dir, 'short.txt');
  const truncated = join(dir, 'truncated.ckpt');
  await writeFile(empty, '');
  await writeFile(binary, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]));
  await writeFile(latin1, new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  await writeFile(short, 'only a few');
  await writeFile(truncated, (await readFile(model)).subarray(0, 100));
  const cases: [string[], number, RegExp][] = [
    [[], 2, /missing command/],
    [['frobnicate'], 2, /unknown command 'frobnicate'/],
    [['train'], 2, /missing required argument/],
    [['train', corpus, '--lr', 'abc'], 2, /--lr must be a number; got "abc"/],
    [['train', corpus, '--lr', ''], 2, /--lr must be a number; got ""/],
    [['train', corpus, '--lr', 'NaN'], 2, /--lr must be a number/],
    [['train', corpus, '--lr', '0'], 2, /--lr must be a number above 0/],
    [['train', corpus, '--hidden', '0'], 2, /--hidden must be a whole number from 1 to 4096; got 0/],
    [['train', corpus, '--hidden', '12abc'], 2, /--hidden must be a whole number; got "12abc"/],
    [['train', corpus, '--hidden', '2.5'], 2, /--hidden must be a whole number/],
    [['train', corpus, '--seq-length', '-3'], 2, /--seq-length/],
    [['train', corpus, '--val-fraction', '0.9'], 2, /--val-fraction/],
    [['train', corpus, '--model', 'transformer'], 2, /--model must be one of "rnn", "lstm", "gru"; got "transformer"\.$/m],
    [['train', corpus, '--optimizer', 'sgd'], 2, /--optimizer must be one of "adagrad", "adam", "rmsprop"; got "sgd"\.$/m],
    [['train', corpus, '--iterations', '1e3'], 2, /--iterations must be a whole number/],
    [['train', corpus, '--seconds', '-1'], 2, /--seconds must be above 0/],
    [['train', corpus, '--save-every', '10'], 2, /--save-every needs --out/],
    [['train', corpus, '--hiddn', '4'], 2, /unknown option '--hiddn'.*--hidden/],
    [['sample', model, '--temperature', '0'], 2, /--temperature must be a number above 0 and at most 100; got 0/],
    [['sample', model, '--top-k', 'x'], 2, /--top-k must be a whole number/],
    [['sample', model, '--seed', '-1'], 2, /--seed must be from 0 to 4294967295/],
    [['sample', model, '--length', '10', 'extra'], 2, /too many arguments/],
    [['train', join(dir, 'missing.txt')], 1, /missing\.txt" does not exist/],
    [['train', dir], 1, /is a folder/],
    [['train', empty], 1, /empty\.txt.*empty/],
    [['train', binary], 1, /binary\.bin.*NUL byte/],
    [['train', latin1], 1, /latin1\.txt.*not valid UTF-8/],
    [['train', short], 1, /short\.txt.*training text has \d+ characters; sequence length 25/],
    [['sample', corpus], 1, /corpus\.txt.*not a Char-RNN Studio checkpoint/],
    [['inspect', truncated], 1, /truncated\.ckpt.*truncated/],
    [['eval', join(dir, 'missing.ckpt'), corpus], 1, /missing\.ckpt" does not exist/],
    [['export', model, join(dir, 'no-such-folder', 'x.safetensors')], 1, /folder does not exist/],
    [['import', corpus, join(dir, 'x.ckpt')], 1, /corpus\.txt/],
  ];
  for (let i = 0; i < cases.length; i += 4) {
    const batch = cases.slice(i, i + 4);
    const runs = await Promise.all(batch.map(([args]) => runCli(args)));
    batch.forEach(([args, code, pattern], k) => userError(runs[k], code, pattern, `char-rnn ${args.join(' ')}`));
  }
});

test('numbers are parsed strictly (in process): whole numbers, decimals, ranges', () => {
  for (const raw of ['12', '+12', '0012']) assert.equal(parseInteger('--n', raw, 0), 12);
  for (const raw of ['12abc', '', ' 12', '1e3', '0x10', '1.0', 'Infinity', 'NaN', '1_000', '99999999999999999999']) {
    assert.throws(() => parseInteger('--n', raw, 0), (e: Error) => e instanceof UsageError && e.message.startsWith('--n must be a whole number'), raw);
  }
  assert.throws(() => parseInteger('--n', '5', 0, 4), /--n must be from 0 to 4; got 5/);
  for (const [raw, value] of [['0.5', 0.5], ['.5', 0.5], ['5.', 5], ['1e-3', 0.001], ['-2', -2]] as const) assert.equal(parseDecimal('--x', raw), value);
  for (const raw of ['', '.', 'e3', '1e', '0.5.1', 'Infinity', '-Infinity', 'NaN', '1,5', '1e999']) {
    assert.throws(() => parseDecimal('--x', raw), UsageError, raw);
  }
});

test('an unexpected internal error is one line, with its stack only under CHAR_RNN_DEBUG=1; --help exits 0', async () => {
  const written: string[] = [];
  const internal = new TypeError('boom');
  assert.equal(reportFailure(internal, (s) => written.push(s), false), 1);
  assert.deepEqual(written, ['char-rnn: internal error: boom (set CHAR_RNN_DEBUG=1 to see where)\n']);
  written.length = 0;
  reportFailure(internal, (s) => written.push(s), true);
  assert.match(written.join(''), /\n {4}at /, 'the stack, when debugging');
  const help = await runCli(['train', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--seq-length <n>/);
});

test('the bundle behaves as the TypeScript source does; `npm run char-rnn` rebuilds it and runs it', async () => {
  const source = ['--import', 'tsx', ENTRY];
  const run = ok(await runCli(['sample', model, '--seed', '3', '--length', '20']), 'bundled sample');
  const viaTsx = ok(await runCli(['sample', model, '--seed', '3', '--length', '20'], { entry: source }), 'tsx sample');
  assert.equal(run.stdout, viaTsx.stdout);
  userError(await runCli(['train', corpus, '--lr', 'x'], { entry: source }), 2, /--lr must be a number/, 'source usage error');
  const npm = spawnSync('npm', ['run', '-s', 'char-rnn', '--', 'sample', model, '--seed', '3', '--length', '20'], { encoding: 'utf8' });
  assert.equal(npm.status, 0, npm.stderr);
  assert.equal(npm.stdout, run.stdout);
  assert.equal(npm.stderr, '', 'esbuild builds silently');
  assert.ok(existsSync(resolve('dist/cli/char-rnn.cjs')));
});

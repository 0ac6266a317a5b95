// The PyTorch bridge (examples/pytorch): its conversion functions round-trip models that the CLI
// exports, and a numpy forward in PyTorch's gate order scores text exactly as `char-rnn eval` does.
// Needs python3 + numpy (skips, saying why, where they are absent); the torch test needs `import torch`.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve('bin/char-rnn.js');
const EXAMPLES = resolve('examples/pytorch');

interface Run { code: number | null; stdout: string; stderr: string }

function run(cmd: string, args: string[], cwd?: string): Promise<Run> {
  return new Promise((done, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const cli = (args: string[]) => run(process.execPath, [BIN, ...args]);

function ok(r: Run, what: string): Run {
  assert.equal(r.code, 0, `${what} failed (${r.code}): ${r.stderr}`);
  return r;
}

/** Why python3 with a module cannot run here, or null when it can. */
function missingPython(module: string): string | null {
  const r = spawnSync('python3', ['-c', `import ${module}`], { encoding: 'utf8' });
  if (r.error) return `python3 is not installed (${r.error.message})`;
  if (r.status !== 0) return `python3 cannot import ${module} (${r.stderr.trim().split('\n').pop()})`;
  return null;
}

const noNumpy = missingPython('numpy');
const noTorch = noNumpy ?? missingPython('torch');

function words(chars: number, seed: number): string {
  const list = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'saw', 'dog', 'run', 'far', 'away', 'from', 'home'];
  let x = seed, text = '';
  while (text.length < chars) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    text += list[(x >>> 16) % list.length] + ((x >>> 9) % 9 === 0 ? '.\n' : ' ');
  }
  return text;
}

let dir = '', corpus = '', text = '';

before(async () => {
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { encoding: 'utf8' });
  assert.equal(build.status, 0, `npm run build:cli: ${build.stderr}`);
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-pytorch-'));
  corpus = join(dir, 'corpus.txt');
  text = join(dir, 'text.txt');
  await writeFile(corpus, words(3000, 7));
  await writeFile(text, words(300, 99));
});

after(() => rm(dir, { recursive: true, force: true }));

for (const [cell, layers] of [['rnn', '1'], ['lstm', '2'], ['gru', '2']] as const) {
  test(`${cell}: export → PyTorch layout (numpy) → eval in PyTorch's gate order → back → import gives char-rnn eval's loss`,
    { skip: noNumpy ? `skipped: ${noNumpy}` : false }, async () => {
      const model = join(dir, `${cell}.ckpt`), exported = join(dir, `${cell}.safetensors`);
      const back = join(dir, `${cell}-back.safetensors`), imported = join(dir, `${cell}-back.ckpt`);
      ok(await cli(['train', corpus, '--model', cell, '--layers', layers, '--hidden', '12', '--seq-length', '10',
        '--iterations', '40', '--print-every', '0', '--sample-every', '0', '--out', model]), 'train');
      ok(await cli(['export', model, exported]), 'export');
      const py = JSON.parse(ok(await run('python3', ['roundtrip_numpy.py', exported, text, back], EXAMPLES), 'roundtrip_numpy.py').stdout);
      assert.deepEqual([py.cell, py.layers], [cell, Number(layers)]);
      const evaluated = JSON.parse(ok(await cli(['eval', model, text, '--json']), 'eval').stdout);
      assert.ok(Math.abs(py.lossNats - evaluated.natsPerChar) < 2e-5,
        `numpy in PyTorch's order ${py.lossNats} vs char-rnn eval ${evaluated.natsPerChar}`);
      ok(await cli(['import', back, imported]), 'import');
      const again = JSON.parse(ok(await cli(['eval', imported, text, '--json']), 'eval imported').stdout);
      assert.ok(Math.abs(again.natsPerChar - evaluated.natsPerChar) < 2e-5, `${again.natsPerChar} vs ${evaluated.natsPerChar}`);
    });
}

test('PyTorch: train.py trains, writes safetensors char-rnn imports with the same validation loss, and continues an exported model',
  { skip: noTorch ? `skipped: ${noTorch}` : false }, async () => {
    const out = join(dir, 'torch.safetensors'), ckpt = join(dir, 'torch.ckpt'), val = join(dir, 'val.txt');
    const r = ok(await run('python3', ['train.py', corpus, '--model', 'lstm', '--layers', '2', '--hidden', '16', '--seq-length', '20',
      '--batch', '4', '--steps', '30', '--device', 'cpu', '--out', out, '--val-out', val, '--json'], EXAMPLES), 'train.py');
    const last = JSON.parse(r.stdout.trim().split('\n').pop()!);
    ok(await cli(['import', out, ckpt]), 'import');
    const evaluated = JSON.parse(ok(await cli(['eval', ckpt, val, '--json']), 'eval').stdout);
    assert.ok(Math.abs(last.valLoss - evaluated.natsPerChar) < 1e-4, `PyTorch ${last.valLoss} vs char-rnn eval ${evaluated.natsPerChar}`);
    // start from a model the app exported
    const exported = join(dir, 'from-app.safetensors'), appModel = join(dir, 'app.ckpt');
    ok(await cli(['train', corpus, '--model', 'gru', '--hidden', '12', '--iterations', '20', '--print-every', '0', '--sample-every', '0', '--out', appModel]), 'train');
    ok(await cli(['export', appModel, exported]), 'export');
    const cont = join(dir, 'continued.safetensors');
    const r2 = ok(await run('python3', ['train.py', corpus, '--init', exported, '--steps', '0', '--device', 'cpu', '--out', cont, '--json'], EXAMPLES), 'train.py --init');
    const zero = JSON.parse(r2.stdout.trim().split('\n').pop()!);
    const appVal = join(dir, 'app-val.txt');
    await writeFile(appVal, await readFile(val, 'utf8'));
    const appEval = JSON.parse(ok(await cli(['eval', appModel, appVal, '--json']), 'eval app').stdout);
    assert.ok(Math.abs(zero.valLoss - appEval.natsPerChar) < 1e-4, 'a model started from an export scores as the app does before training');
  });

test('dropout crosses the bridge both ways: charrnn_convert reads it from an export and writes it where char-rnn import finds it',
  { skip: noNumpy ? `skipped: ${noNumpy}` : false }, async () => {
    const model = join(dir, 'dropout.ckpt'), exported = join(dir, 'dropout.safetensors');
    const rewritten = join(dir, 'dropout-torch.safetensors'), imported = join(dir, 'dropout-torch.ckpt');
    ok(await cli(['train', corpus, '--model', 'gru', '--layers', '2', '--hidden', '8', '--seq-length', '10', '--dropout', '0.2',
      '--iterations', '10', '--print-every', '0', '--sample-every', '0', '--out', model]), 'train');
    ok(await cli(['export', model, exported]), 'export');
    // what train.py does with --init (the stored settings) and with its output (its dropout in "config")
    const script = [
      'import json, sys',
      'from charrnn_convert import config_metadata, engine_tensor_order, infer_shape, read_safetensors, training_config, write_safetensors',
      'engine, metadata = read_safetensors(sys.argv[1])',
      'stored = training_config(metadata)',
      'cell, layers, hidden, vocab = infer_shape(engine)',
      'config = config_metadata(cell, layers, hidden, vocab, {**stored, "dropout": 0.35})',
      'write_safetensors(sys.argv[2], {n: engine[n] for n in engine_tensor_order(cell, layers)}, {"vocab": metadata["vocab"], "config": config})',
      'print(json.dumps({"stored": stored["dropout"], "none": training_config({})["dropout"]}))',
    ].join('\n');
    const py = JSON.parse(ok(await run('python3', ['-c', script, exported, rewritten], EXAMPLES), 'python').stdout);
    assert.deepEqual(py, { stored: 0.2, none: 0 });
    ok(await cli(['import', rewritten, imported]), 'import');
    const shown = ok(await cli(['inspect', imported]), 'inspect').stdout;
    assert.match(shown, /dropout 0\.35, ema 0$/m);
  });

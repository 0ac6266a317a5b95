// Issue 17, finding 8: progress where it is most needed. On a terminal (util-linux `script`, a pseudo-
// terminal) the training bar is drawn on a timer even with --print-every 0, and eval, inspect-text and
// copies say what they are doing on their input; piped, none of it appears.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTRY, generatedCorpus, ok, runCli as runCliOf, type CliRun } from '../helpers/cli-run.js';
import { statusLine } from '../../main/cli/status-line.js';

const runCli = (args: string[]) => runCliOf(args, { entry: ['--import', 'tsx', ENTRY] });
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const noTerminal = hasScript ? false : 'util-linux `script` is not installed, so there is no pseudo-terminal to run the CLI on';
let dir = '', corpus = '', model = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-progress-'));
  corpus = join(dir, 'corpus.txt');
  await writeFile(corpus, generatedCorpus(20_000));
  model = join(dir, 'm.ckpt');
  ok(await runCli(['train', corpus, '--hidden', '8', '--seq-length', '10', '--iterations', '5', '--print-every', '0', '--sample-every', '0', '--out', model]), 'model');
});

after(() => rm(dir, { recursive: true, force: true }));

/** The CLI on a pseudo-terminal: what the terminal shows (stdout and stderr together). */
function onTerminal(args: string[]): Promise<CliRun> {
  const command = [process.execPath, '--import', 'tsx', ENTRY, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLUMNS: '100' } });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => { stdout += t; });
    child.stderr.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('with --print-every 0 the bar is still drawn on a terminal, by its timer', { skip: noTerminal }, async () => {
  const run = ok(await onTerminal(['train', corpus, '--hidden', '8', '--seq-length', '10', '--iterations', '300', '--print-every', '0', '--sample-every', '0']), 'train');
  assert.match(run.stdout, /\r\x1b\[K\[[█░]+\] +\d+% iter [\d,]+\/300 · loss/, 'the bar, with no progress line to draw it');
});

test('eval, inspect-text and copies say what they are doing on a terminal, and nothing when piped', { skip: noTerminal }, async () => {
  const evaluated = ok(await onTerminal(['eval', model, corpus]), 'eval');
  assert.match(evaluated.stdout, /\r\x1b\[Kscoring [\d,]+ characters: \d+%/);
  assert.match(evaluated.stdout, /\r\x1b\[K\d+\.\d{6} nats\/char/, 'the status is cleared before the result');
  const inspected = ok(await onTerminal(['inspect-text', model, corpus, '--json']), 'inspect-text');
  assert.match(inspected.stdout, /\r\x1b\[Kscoring [\d,]+ characters…/);
  const copies = ok(await onTerminal(['copies', corpus, corpus]), 'copies');
  assert.match(copies.stdout, /\r\x1b\[Kindexing [\d,]+ characters of the corpus/);
  const piped = ok(await runCli(['eval', model, corpus]), 'eval piped');
  assert.equal(piped.stderr, '', 'nothing on stderr when it is not a terminal');
});

test('a status line redraws at most every interval, the first time at once, and clears only what it drew', () => {
  const writes: string[] = [];
  let now = 0;
  const line = statusLine({ isTTY: true, write: (s) => writes.push(s) }, 250, () => now);
  line.clear();
  line.show('a');
  now = 100; line.show('b');
  now = 260; line.show('c');
  now = 270; line.show('d', true);
  line.clear();
  assert.deepEqual(writes, ['\r\x1b[Ka', '\r\x1b[Kc', '\r\x1b[Kd', '\r\x1b[K']);
  const silent: string[] = [];
  statusLine({ isTTY: false, write: (s) => silent.push(s) }).show('x', true);
  assert.deepEqual(silent, []);
});

// The char-rnn CLI run as a user runs it (a child process of the installed bundle, or of another entry),
// the checks every CLI test makes of a run (success without a stack trace, or one clear line), and what
// those tests share: a generated corpus and reading a checkpoint.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { deserializeCheckpoint } from '../../core/checkpoint.js';
import type { TrainingState } from '../../core/trainer.js';

/** The installed command: bin/char-rnn.js runs dist/cli/char-rnn.cjs. */
export const BIN = resolve('bin/char-rnn.js');
/** The TypeScript source, run through tsx, for tests that load hooks or compare with the bundle. */
export const ENTRY = resolve('main/cli/index.ts');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  entry?: string[]; // node arguments before the CLI's own: [BIN] unless given
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [...(opts.entry ?? [BIN]), ...args],
      { env: { ...process.env, ...opts.env }, cwd: opts.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** Exit 0 and no stack trace. */
export function ok(run: CliRun, what: string): CliRun {
  assert.equal(run.code, 0, `${what} failed (${run.code}): ${run.stderr}`);
  assert.ok(!run.stderr.includes('    at '), `${what}: no stack trace`);
  return run;
}

/** A user error: exactly one line "char-rnn: …" on stderr, no stack trace, nothing on stdout, the given exit code. */
export function userError(run: CliRun, code: number, pattern: RegExp, what: string): void {
  assert.equal(run.code, code, `${what}: exit code (stderr: ${run.stderr})`);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `${what}: one line on stderr, got ${JSON.stringify(run.stderr)}`);
  assert.match(lines[0], /^char-rnn: /, what);
  assert.match(lines[0], pattern, what);
  assert.ok(!run.stderr.includes('    at '), `${what}: no stack trace`);
  assert.equal(run.stdout, '', `${what}: nothing on stdout`);
}

/** A checkpoint file as the engine reads it. */
export async function loadCheckpoint(path: string): Promise<TrainingState> {
  return deserializeCheckpoint(new Uint8Array(await readFile(path)));
}

/** A few thousand characters of deterministic pseudo-English. */
export function generatedCorpus(chars: number, seed = 7): string {
  const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'saw', 'dog', 'run', 'far', 'away', 'from', 'home', 'in', 'rain'];
  let x = seed, text = '';
  while (text.length < chars) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const word = words[(x >>> 16) % words.length];
    text += (x & 0x100 ? word : word[0].toUpperCase() + word.slice(1)) + ((x >>> 9) % 9 === 0 ? '.\n' : ' ');
  }
  return text;
}

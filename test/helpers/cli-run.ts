// The char-rnn CLI run as a user runs it (a child process of the installed bundle, or of another entry),
// and the checks every CLI test makes of a run: success without a stack trace, or one clear line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

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

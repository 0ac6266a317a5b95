// A CLI run as a live child process, for tests that act on it while it runs: send it real signals,
// change its files, start a second run beside it. Waits are on what the run prints, never on a clock.
import { spawn, type ChildProcess } from 'node:child_process';
import { ENTRY } from './cli-run.js';

export interface LiveCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr (or stdout) matches, or rejects when the run ends first. */
  waitFor(pattern: RegExp, stream?: 'stderr' | 'stdout'): Promise<void>;
  exited: Promise<number | null>;
}

export function startCli(args: string[], opts: { env?: Record<string, string>; nodeArgs?: string[] } = {}): LiveCli {
  const child = spawn(process.execPath, ['--import', 'tsx', ...(opts.nodeArgs ?? []), ENTRY, ...args],
    { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  const waiters: (() => void)[] = [];
  const poke = () => { for (const w of [...waiters]) w(); };
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s; poke(); });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { err += s; poke(); });
  const exited = new Promise<number | null>((done) => child.on('close', (code) => { done(code); poke(); }));
  let ended = false;
  void exited.then(() => { ended = true; });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern, stream = 'stderr') => new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(stream === 'stderr' ? err : out)) {
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        } else if (ended || child.exitCode !== null || child.signalCode !== null) {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`the run ended before ${pattern}: ${err}`));
        }
      };
      waiters.push(check);
      check();
    }),
  };
}

/** The id of a process that has exited (for a stale lock or a killed run's temporary file). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('close', r));
  return child.pid!;
}

// How the CLI fails: one line on stderr ("char-rnn: <message>"), exit 2 for usage (a bad flag or flag value,
// a --prime the model cannot read), 1 for everything else.
import { CommanderError } from 'commander';
import { isCharRnnError } from '../../core/errors.js';
import { isFileError } from '../files/errors.js';

/** A bad command line: an unknown or conflicting flag, a value that does not parse or is out of range. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A run stopped by a signal after saving: nothing to print, the conventional exit code 128 + the signal's number. */
export class Interrupted extends Error {
  readonly exitCode: number;
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
    this.exitCode = signalExitCode(signal);
  }
}

export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (signal === 'SIGTERM' ? 15 : signal === 'SIGHUP' ? 1 : 2);
}

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface Failure {
  message: string;   // without the "char-rnn: " prefix
  exitCode: number;
  stack?: string;    // only for unexpected errors, shown with CHAR_RNN_DEBUG=1
}

export function describeFailure(e: unknown): Failure {
  if (e instanceof Interrupted) return { message: '', exitCode: e.exitCode };
  if (e instanceof UsageError) return { message: e.message, exitCode: EXIT_USAGE };
  if (e instanceof CommanderError) {
    // commander's own messages start with "error: " and put a suggestion on a second line
    return { message: oneLine(e.message.replace(/^error: /, '')), exitCode: EXIT_USAGE };
  }
  if (isCharRnnError(e)) return { message: oneLine(e.message), exitCode: e.code === 'bad-hyperparameter' || e.code === 'bad-prime' ? EXIT_USAGE : EXIT_FAILURE };
  if (isFileError(e)) return { message: oneLine(e.message), exitCode: EXIT_FAILURE };
  const error = e instanceof Error ? e : new Error(String(e));
  return {
    message: `internal error: ${oneLine(error.message)} (set CHAR_RNN_DEBUG=1 to see where)`,
    exitCode: EXIT_FAILURE,
    stack: error.stack,
  };
}

export function oneLine(s: string): string {
  return s.trim().replace(/\s*\n\s*/g, ' ');
}

/** Print a failure the way the CLI does and return the exit code. */
export function reportFailure(e: unknown, writeErr: (s: string) => void, debug: boolean): number {
  const failure = describeFailure(e);
  if (failure.message === '') return failure.exitCode;
  writeErr(`char-rnn: ${failure.message}\n`);
  if (debug && e instanceof Error && e.stack) writeErr(`${e.stack}\n`);
  return failure.exitCode;
}

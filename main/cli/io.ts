// Where the CLI writes: results on stdout, notes and errors on stderr (so stdout stays clean for pipes and --json).

export interface CliIo {
  out(text: string): void;   // written as is
  line(text: string): void;  // a line on stdout
  note(text: string): void;  // a line on stderr: progress notes, "saved …"
  warn(text: string): void;  // "char-rnn: warning: …" on stderr
  stdoutIsTty: boolean;
}

type Output = 'stdout' | 'stderr';
const closed = { stdout: false, stderr: false };
const closeHandlers = new Set<(output: Output) => void>();

function write(text: string): void {
  if (!closed.stdout) process.stdout.write(text);
}

function writeErr(text: string): void {
  if (!closed.stderr) process.stderr.write(text);
}

export const processIo: CliIo = {
  out: write,
  line: (text) => write(text + '\n'),
  note: (text) => writeErr(text + '\n'),
  warn: (text) => writeErr(`char-rnn: warning: ${text}\n`),
  stdoutIsTty: Boolean(process.stdout.isTTY),
};

/**
 * A reader that closed the pipe early (`char-rnn sample … | head`, or `2>&1 | head` for the notes on stderr) is
 * not an error. By default the command ends quietly; a command with work to finish (training: save --out)
 * registers a handler. Either stream: a training run piped whole into `head` once died on stderr's EPIPE
 * before it could save.
 */
export function handleClosedOutputs(): void {
  for (const output of ['stdout', 'stderr'] as const) {
    process[output].on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'EIO') throw e; // EIO: the terminal hung up
      if (closed[output]) return;
      closed[output] = true;
      if (closeHandlers.size === 0) process.exit(0);
      for (const handler of closeHandlers) handler(output);
    });
  }
}

/** Run `handler` instead of exiting if stdout's or stderr's reader goes away; returns a function that unregisters it. */
export function onOutputClosed(handler: (output: Output) => void): () => void {
  closeHandlers.add(handler);
  return () => closeHandlers.delete(handler);
}

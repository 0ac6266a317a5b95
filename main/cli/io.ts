// Where the CLI writes: results on stdout, notes and errors on stderr (so stdout stays clean for pipes and --json).

export interface CliIo {
  out(text: string): void;   // written as is
  line(text: string): void;  // a line on stdout
  note(text: string): void;  // a line on stderr: progress notes, "saved …"
  warn(text: string): void;  // "char-rnn: warning: …" on stderr
  stdoutIsTty: boolean;
}

let stdoutClosed = false;
const closeHandlers = new Set<() => void>();

function write(text: string): void {
  if (!stdoutClosed) process.stdout.write(text);
}

export const processIo: CliIo = {
  out: write,
  line: (text) => write(text + '\n'),
  note: (text) => { process.stderr.write(text + '\n'); },
  warn: (text) => { process.stderr.write(`char-rnn: warning: ${text}\n`); },
  stdoutIsTty: Boolean(process.stdout.isTTY),
};

/**
 * A reader that closed the pipe early (`char-rnn sample … | head`) is not an error. By default the
 * command ends quietly; a command with work to finish (training: save --out) registers a handler.
 */
export function handleClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'EIO') throw e; // EIO: the terminal hung up
    if (stdoutClosed) return;
    stdoutClosed = true;
    if (closeHandlers.size === 0) process.exit(0);
    for (const handler of closeHandlers) handler();
  });
}

/** Run `handler` instead of exiting if stdout's reader goes away; returns a function that unregisters it. */
export function onStdoutClosed(handler: () => void): () => void {
  closeHandlers.add(handler);
  return () => closeHandlers.delete(handler);
}

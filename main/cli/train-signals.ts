// How `train` is stopped. The first SIGINT, SIGTERM or SIGHUP (a closed terminal, a dropped ssh
// session) stops after the current step and the run saves --out; a second one quits at once, removing
// an unfinished temporary file and saying what was and was not saved. A reader closing stdout stops too.
import { removeTempFilesInFlight } from '../files/atomic-write.js';
import { signalExitCode } from './fail.js';
import { onOutputClosed, type CliIo } from './io.js';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Ctrl-C reaches the whole process group and a wrapper may forward it too: a second copy this soon is the same keypress. */
const DUPLICATE_SIGNAL_MS = 1000;

export interface StopSignals {
  stopRequested(): boolean;
  /** The signal that stopped the run, or null. */
  signal(): NodeJS.Signals | null;
  dispose(): void;
}

/** `unsaved` says, in one clause, what a run quitting now keeps and loses ("iteration 1,200 is not saved; …"). */
export function installStopSignals(io: CliIo, unsaved: () => string): StopSignals {
  let stop = false;
  let received: NodeJS.Signals | null = null;
  let receivedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP') quietOutputs(); // the terminal is gone: writing to it must not end the run before it saves
    if (stop && received) {
      if (Date.now() - receivedAt <= DUPLICATE_SIGNAL_MS) return;
      const removed = removeTempFilesInFlight();
      io.note(`${signal} again: quitting at once${removed.length > 0 ? ` (removed the unfinished ${removed.join(', ')})` : ''}; ${unsaved()}`);
      process.exit(signalExitCode(signal));
    }
    stop = true;
    received = signal;
    receivedAt = Date.now();
    io.note(`${signal}: stopping after this step (again to quit at once)`);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const disposeClosed = onOutputClosed((output) => {
    stop = true;
    io.note(`${output} was closed: stopping after this step`);
  });
  return {
    stopRequested: () => stop,
    signal: () => received,
    dispose: () => {
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
      disposeClosed();
    },
  };
}

let quieted = false;

/** After a hang-up, writes to the terminal fail (EIO): stderr ignores them (stdout's handler treats EIO as closed). */
function quietOutputs(): void {
  if (quieted) return;
  quieted = true;
  process.stderr.on('error', () => {});
}

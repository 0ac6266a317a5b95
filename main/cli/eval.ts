// `char-rnn eval`: mean cross-entropy of each next character of a text, from a zero state carried through.
import { CharRnnError } from '../../core/errors.js';
import { evaluateLoss, NATS_TO_BITS } from '../../core/trainer.js';
import { readCheckpointFile } from '../files/model-files.js';
import type { CliIo } from './io.js';
import { readTextWithProgress, statusLine } from './status-line.js';
import { knownPart, skippedClause } from './text-checks.js';
import { modelParams } from '../../core/ema.js';

export interface EvalFlags {
  json?: boolean;
  skipUnknown?: boolean;
}

export async function evalCommand(checkpointPath: string, textPath: string, flags: EvalFlags, io: CliIo): Promise<void> {
  const { state } = await readCheckpointFile(checkpointPath);
  const { text: fileText } = await readTextWithProgress(textPath);
  const { text, skipped } = knownPart(fileText, state.vocab, JSON.stringify(textPath), flags.skipUnknown === true, io);
  const encoded = state.vocab.encode(text);
  if (encoded.length < 2) {
    throw new CharRnnError('corpus-too-short', `${JSON.stringify(textPath)} has ${encoded.length} character; evaluation needs at least 2.`);
  }
  const status = statusLine();
  const total = encoded.length - 1, shownTotal = total.toLocaleString('en-US');
  status.show(`scoring ${shownTotal} characters: 0%`, true);
  let nats: number;
  try {
    nats = evaluateLoss(state.model, modelParams(state), encoded, undefined, undefined,
      (done) => status.show(`scoring ${shownTotal} characters: ${Math.floor((100 * done) / total)}%`));
  } finally {
    status.clear();
  }
  const bits = nats * NATS_TO_BITS;
  const predicted = encoded.length - 1;
  if (flags.json) io.line(JSON.stringify({ characters: predicted, natsPerChar: nats, bitsPerChar: bits, ...(flags.skipUnknown ? { skipped } : {}) }));
  else {
    io.line(`${nats.toFixed(6)} nats/char, ${bits.toFixed(6)} bits/char over ${predicted.toLocaleString('en-US')} predicted characters` +
      (flags.skipUnknown ? skippedClause(skipped) : ''));
  }
}

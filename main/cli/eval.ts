// `char-rnn eval`: mean cross-entropy of each next character of a text, from a zero state carried through.
import { CharRnnError } from '../../core/errors.js';
import { evaluateLoss, NATS_TO_BITS } from '../../core/trainer.js';
import { readCorpusFile } from '../files/corpus-file.js';
import { readCheckpointFile } from '../files/model-files.js';
import type { CliIo } from './io.js';
import { knownPart, skippedClause } from './text-checks.js';

export interface EvalFlags {
  json?: boolean;
  skipUnknown?: boolean;
}

export async function evalCommand(checkpointPath: string, textPath: string, flags: EvalFlags, io: CliIo): Promise<void> {
  const { state } = await readCheckpointFile(checkpointPath);
  const file = await readCorpusFile(textPath);
  const { text, skipped } = knownPart(file.text, state.vocab, JSON.stringify(textPath), flags.skipUnknown === true, io);
  const encoded = state.vocab.encode(text);
  if (encoded.length < 2) {
    throw new CharRnnError('corpus-too-short', `${JSON.stringify(textPath)} has ${encoded.length} character; evaluation needs at least 2.`);
  }
  const nats = evaluateLoss(state.model, state.params, encoded);
  const bits = nats * NATS_TO_BITS;
  const predicted = encoded.length - 1;
  if (flags.json) io.line(JSON.stringify({ characters: predicted, natsPerChar: nats, bitsPerChar: bits, ...(flags.skipUnknown ? { skipped } : {}) }));
  else {
    io.line(`${nats.toFixed(6)} nats/char, ${bits.toFixed(6)} bits/char over ${predicted.toLocaleString('en-US')} predicted characters` +
      (flags.skipUnknown ? skippedClause(skipped) : ''));
  }
}

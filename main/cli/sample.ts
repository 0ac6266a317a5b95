// `char-rnn sample`: the prime and the generated text, alone on stdout, from a zero start state.
import { randomInt } from 'node:crypto';
import { LIMITS } from '../../core/config.js';
import { MAX_SAMPLE_LENGTH, sampleStream } from '../../core/sampler.js';
import { readCheckpointFile } from '../files/model-files.js';
import { UsageError } from './fail.js';
import type { CliIo } from './io.js';
import { parseDecimal, parseInteger } from './options.js';
import { listChars, requireKnownChars } from './text-checks.js';

export interface SampleFlags {
  length?: string;
  prime?: string;
  temperature?: string;
  topK?: string;
  argmax?: boolean;
  seed?: string;
  dropUnknown?: boolean;
}

const CHUNK_CHARS = 256;

function parseSampleFlags(flags: SampleFlags) {
  const temperature = flags.temperature === undefined ? 1 : parseDecimal('--temperature', flags.temperature);
  if (!(temperature > 0 && temperature <= 100)) throw new UsageError(`--temperature must be above 0 and at most 100; got ${flags.temperature}.`);
  return {
    length: flags.length === undefined ? 200 : parseInteger('--length', flags.length, 0, MAX_SAMPLE_LENGTH),
    temperature,
    topK: flags.topK === undefined ? 0 : parseInteger('--top-k', flags.topK, 0),
    argmax: flags.argmax === true,
    // without --seed every run differs, like the seed notebook's unseeded np.random.choice
    seed: flags.seed === undefined ? randomInt(0, 2 ** 32) : parseInteger('--seed', flags.seed, LIMITS.seed[0], LIMITS.seed[1]),
  };
}

export async function sampleCommand(checkpointPath: string, flags: SampleFlags, io: CliIo): Promise<void> {
  const options = parseSampleFlags(flags);
  const { state } = await readCheckpointFile(checkpointPath);
  let prime = flags.prime ?? '';
  if (flags.dropUnknown) {
    const unknown = new Set(state.vocab.unknownChars(prime));
    if (unknown.size > 0) {
      io.warn(`left out of the prime, not in the model's vocabulary: ${listChars([...unknown])}`);
      prime = [...prime].filter((ch) => !unknown.has(ch)).join('');
    }
  } else {
    requireKnownChars(prime, state.vocab, 'The prime', 'leave them out or pass --drop-unknown');
  }

  const stream = sampleStream(state.model, state.params, state.vocab, { ...options, prime });
  io.out(prime);
  let chunk = '';
  for (const ch of stream) {
    chunk += ch;
    if (chunk.length >= CHUNK_CHARS) {
      io.out(chunk);
      chunk = '';
    }
  }
  io.out(io.stdoutIsTty ? chunk + '\n' : chunk); // a terminal gets a final newline; a pipe gets the text alone
}

// `char-rnn sample`: the prime and the generated text, alone on stdout, from a zero start state.
import { randomInt } from 'node:crypto';
import { sampleStream } from '../../core/sampler.js';
import { readCheckpointFile } from '../files/model-files.js';
import type { CliIo } from './io.js';
import { parseLimited } from './options.js';
import { listChars, requireKnownChars } from './text-checks.js';
import { modelParams } from '../../core/ema.js';

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
  return {
    length: flags.length === undefined ? 200 : parseLimited('--length', flags.length, 'samplerLength'),
    temperature: flags.temperature === undefined ? 1 : parseLimited('--temperature', flags.temperature, 'temperature'),
    topK: flags.topK === undefined ? 0 : parseLimited('--top-k', flags.topK, 'topK'),
    argmax: flags.argmax === true,
    // without --seed every run differs, like the seed notebook's unseeded np.random.choice
    seed: flags.seed === undefined ? randomInt(0, 2 ** 32) : parseLimited('--seed', flags.seed, 'samplerSeed'),
  };
}

export async function sampleCommand(checkpointPath: string, flags: SampleFlags, io: CliIo): Promise<void> {
  const options = parseSampleFlags(flags);
  if (options.argmax && (flags.temperature !== undefined || flags.topK !== undefined)) {
    const ignored = [flags.temperature !== undefined ? '--temperature' : '', flags.topK !== undefined ? '--top-k' : ''].filter(Boolean).join(' and ');
    io.note(`--argmax always takes the most likely character: ${ignored} ${ignored.includes(' and ') ? 'are' : 'is'} ignored`);
  }
  const { state } = await readCheckpointFile(checkpointPath);
  let prime = flags.prime ?? '';
  if (flags.dropUnknown) {
    const unknown = new Set(state.vocab.unknownChars(prime));
    if (unknown.size > 0) {
      io.warn(`left out of the prime, not in the model's vocabulary: ${listChars([...unknown])}`);
      prime = [...prime].filter((ch) => !unknown.has(ch)).join('');
    }
  } else {
    requireKnownChars(prime, state.vocab, 'The prime', 'leave them out or pass --drop-unknown', 'bad-prime');
  }

  const stream = sampleStream(state.model, modelParams(state), state.vocab, { ...options, prime });
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

// Sampling speed from the seed's model (rnn 100 over kafka.txt's vocabulary): chars/s of
// sampleText at temperature 1, from a freshly initialised model (the speed does not depend on the weights).
import { readFileSync } from 'node:fs';
import { decodeCorpus } from '../core/text.js';
import { prepareCorpus } from '../core/corpus.js';
import { createTrainingState } from '../core/trainer.js';
import { SEED_MODEL, SEED_TRAINING } from '../core/config.js';
import { sampleText } from '../core/sampler.js';
import { loopKernels } from '../core/kernels/loops.js';

export interface SampleSpeed { system: string; chars: number; seconds: number; chars_per_s: number; cpu_chars_per_s: number }

export function benchSampling(corpusPath: string, seconds: number, tsKernels = false): SampleSpeed {
  const { text } = decodeCorpus(readFileSync(corpusPath));
  const training = { ...SEED_TRAINING, valFraction: 0 };
  const corpus = prepareCorpus(text, training);
  const state = createTrainingState({ ...SEED_MODEL, vocabSize: corpus.vocab.size }, training, corpus.vocab);
  const kernels = tsKernels ? loopKernels : undefined;
  sampleText(state.model, state.params, state.vocab, { length: 2000, seed: 1 }, undefined, kernels); // warm up
  let chars = 0, seed = 1;
  const t0 = performance.now(), cpu0 = process.cpuUsage();
  while (performance.now() - t0 < seconds * 1000) {
    chars += sampleText(state.model, state.params, state.vocab, { length: 20000, seed: seed++, prime: 'The ' }, undefined, kernels).length;
  }
  const el = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    system: `sampling rnn h100${tsKernels ? ' (TS kernels)' : ''}`, chars, seconds: Math.round(el * 100) / 100,
    chars_per_s: Math.round(chars / el), cpu_chars_per_s: Math.round(chars / ((cpu.user + cpu.system) / 1e6)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, secs, ts] = process.argv.slice(2);
  console.log(JSON.stringify(benchSampling(path, Number(secs ?? 5), ts === 'ts')));
}

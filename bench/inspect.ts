// npm run bench:inspect: surprisal over 100k characters with the seed model (rnn 100), hidden-unit
// activations over 10k, and the copy detector's index over a generated 100 MB corpus (time and memory).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEED_MODEL, SEED_TRAINING } from '../core/config.js';
import { Vocabulary } from '../core/vocab.js';
import { createTrainingState } from '../core/trainer.js';
import { surprisal } from '../core/inspect/surprisal.js';
import { activations } from '../core/inspect/activations.js';
import { buildCopyIndex, copyIndexBytes, findCopies } from '../core/inspect/copies.js';
import { Rng } from '../core/rng.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const kafka = readFileSync(`${root}../shared/corpora/kafka.txt`, 'utf8');
const vocab = Vocabulary.fromText(kafka);
const state = createTrainingState({ ...SEED_MODEL, vocabSize: vocab.size }, SEED_TRAINING, vocab);
const text = vocab.encode(kafka).subarray(0, 100_000);

const time = (f: () => void) => { const t0 = performance.now(); f(); return performance.now() - t0; };
surprisal(state.model, state.params, text.subarray(0, 5000)); // warm up
console.log(`surprisal, 100,000 chars, rnn 100, top-5: ${time(() => surprisal(state.model, state.params, text, 5)).toFixed(0)} ms`);
console.log(`activations (T = 1 steps), 10,000 chars, rnn 100: ${time(() => activations(state.model, state.params, text.subarray(0, 10_000))).toFixed(0)} ms`);

// A 100 MB corpus of word-like text (random words from kafka's vocabulary of words, lines of ~70).
const words = kafka.split(/\s+/).filter((w) => w.length > 0);
const rng = Rng.fromSeed(1);
const parts: string[] = [];
let size = 0, line = 0;
while (size < 100_000_000) {
  const w = words[Math.floor(rng.nextFloat() * words.length)];
  const sep = line + w.length > 70 ? '\n' : ' ';
  line = sep === '\n' ? 0 : line + w.length + 1;
  parts.push(w, sep);
  size += w.length + 1;
}
let big: string | null = parts.join('');
parts.length = 0;
(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage();
let index: ReturnType<typeof buildCopyIndex> | null = null;
const ms = time(() => { index = buildCopyIndex(big!); });
const after = process.memoryUsage();
const idx = index!;
console.log(`copy index, ${(big.length / 1e6).toFixed(0)} M chars: ${ms.toFixed(0)} ms; index arrays ${(copyIndexBytes(idx) / 2 ** 20).toFixed(0)} MiB ` +
  `(rss +${((after.rss - before.rss) / 2 ** 20).toFixed(0)} MiB, array buffers +${((after.arrayBuffers - before.arrayBuffers) / 2 ** 20).toFixed(0)} MiB)`);
const sample = big.slice(50_000_000, 50_000_400) + 'zq'.repeat(100) + big.slice(70_000_000, 70_001_000);
console.log(`findCopies, 1,600-char sample: ${time(() => findCopies(idx, sample, 20)).toFixed(1)} ms`);
big = null;

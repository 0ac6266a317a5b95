// This machine's training speed for the Auto preset (core/auto-preset.ts): a few timed training steps of a
// reference model, in floating-point operations per second. The CLI caches it in a file, the app in main.
import { AUTO_BATCH, AUTO_SEQ, trainingFlopsPerChar } from '../../core/auto-preset.js';
import { SEED_TRAINING } from '../../core/config.js';
import { prepareCorpus } from '../../core/corpus.js';
import { createTrainingState } from '../../core/trainer.js';
import { Vocabulary } from '../../core/vocab.js';
import { createTrainingRunner } from './pool/pool-trainer.js';

/** The model shape the speed is measured on: Auto's batch and sequence, a GRU of 128 over 64 characters. */
export const REFERENCE_SHAPE = { cell: 'gru', hiddenSize: 128, vocabSize: 64, batchSize: AUTO_BATCH, seqLength: AUTO_SEQ } as const;
const CALIBRATION_MS = 1500;

/** Why a measurement may be reused: the reference shape and the thread count it trained on (the caller adds the processor). */
export const referenceKey = (threads: number): string =>
  `${REFERENCE_SHAPE.cell}-${REFERENCE_SHAPE.hiddenSize} v${REFERENCE_SHAPE.vocabSize} b${REFERENCE_SHAPE.batchSize} s${REFERENCE_SHAPE.seqLength} × ${threads} threads`;

/** Training steps of the reference model on generated text for about `milliseconds`: floating-point operations per second. */
export async function measureTrainingSpeed(threads: number, milliseconds = CALIBRATION_MS): Promise<number> {
  let x = 12345, text = '';
  while (text.length < 200_000) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    text += String.fromCharCode(48 + ((x >>> 16) % REFERENCE_SHAPE.vocabSize));
  }
  const training = { ...SEED_TRAINING, batchSize: AUTO_BATCH, seqLength: AUTO_SEQ, optimizer: 'adam' as const, learningRate: 0.002, valFraction: 0 };
  const corpus = prepareCorpus(text, training, Vocabulary.fromText(text));
  const state = createTrainingState({ cell: 'gru', hiddenSize: REFERENCE_SHAPE.hiddenSize, layers: 1, vocabSize: corpus.vocab.size }, training, corpus.vocab);
  const runner = await createTrainingRunner(state, corpus, threads);
  try {
    for (let i = 0; i < 3; i++) runner.step(); // warm up: compile, caches, threads
    const started = performance.now();
    let steps = 0;
    while (performance.now() - started < milliseconds || steps < 5) { runner.step(); steps++; }
    const seconds = (performance.now() - started) / 1000;
    return (steps * AUTO_BATCH * AUTO_SEQ * trainingFlopsPerChar(REFERENCE_SHAPE.hiddenSize, corpus.vocab.size)) / seconds;
  } finally {
    await runner.dispose();
  }
}

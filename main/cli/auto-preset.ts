// `train --preset auto`: this machine's training speed (a few timed steps of a reference model, cached in the
// CLI's data folder), and core's rule (core/auto-preset.ts) applied to the text, the budget and that speed.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { AUTO_BATCH, AUTO_SEQ, autoPreset, trainingFlopsPerChar, type AutoChoice } from '../../core/auto-preset.js';
import { SEED_TRAINING } from '../../core/config.js';
import { prepareCorpus } from '../../core/corpus.js';
import { createTrainingState } from '../../core/trainer.js';
import { Vocabulary } from '../../core/vocab.js';
import { createTrainingRunner } from '../training/pool/pool-trainer.js';
import { rescueFolder } from './paths.js';

/** The reference model the speed is measured on: Auto's batch and sequence, a GRU of 128 over 64 characters. */
const REFERENCE = { hiddenSize: 128, vocabSize: 64 };
const CALIBRATION_MS = 1500;

export interface MeasuredSpeed {
  flopsPerSecond: number;
  measuredAt: string;  // ISO time
  cached: boolean;
}

/** Where the measurement is kept: the CLI's data folder (beside the rescue folder), or CHAR_RNN_CALIBRATION. */
export function calibrationFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.CHAR_RNN_CALIBRATION ?? join(dirname(rescueFolder(env)), 'calibration.json');
}

/** The key of a measurement: the processor and the thread count it trained on. */
const keyOf = (threads: number) => `${cpus()[0]?.model ?? 'cpu'} × ${threads} threads`;

function readCache(file: string): Record<string, { flopsPerSecond: number; measuredAt: string }> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {}; // none yet, or unreadable: measure again
  }
}

/** Training steps of the reference model on generated text for about CALIBRATION_MS: floating-point operations per second. */
async function measure(threads: number): Promise<number> {
  let x = 12345, text = '';
  while (text.length < 200_000) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    text += String.fromCharCode(48 + ((x >>> 16) % REFERENCE.vocabSize));
  }
  const training = { ...SEED_TRAINING, batchSize: AUTO_BATCH, seqLength: AUTO_SEQ, optimizer: 'adam' as const, learningRate: 0.002, valFraction: 0 };
  const corpus = prepareCorpus(text, training, Vocabulary.fromText(text));
  const state = createTrainingState({ cell: 'gru', hiddenSize: REFERENCE.hiddenSize, layers: 1, vocabSize: corpus.vocab.size }, training, corpus.vocab);
  const runner = await createTrainingRunner(state, corpus, threads);
  try {
    for (let i = 0; i < 3; i++) runner.step(); // warm up: compile, caches, threads
    const started = performance.now();
    let steps = 0;
    while (performance.now() - started < CALIBRATION_MS || steps < 5) { runner.step(); steps++; }
    const seconds = (performance.now() - started) / 1000;
    return (steps * AUTO_BATCH * AUTO_SEQ * trainingFlopsPerChar(REFERENCE.hiddenSize, corpus.vocab.size)) / seconds;
  } finally {
    await runner.dispose();
  }
}

/** This machine's speed on `threads` threads: the cached measurement, or a new one (then cached). */
export async function machineSpeed(threads: number, env: NodeJS.ProcessEnv = process.env): Promise<MeasuredSpeed> {
  const file = calibrationFile(env), cache = readCache(file), key = keyOf(threads);
  const hit = cache[key];
  if (hit && hit.flopsPerSecond > 0) return { ...hit, cached: true };
  const flopsPerSecond = await measure(threads);
  const measuredAt = new Date().toISOString();
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...cache, [key]: { flopsPerSecond, measuredAt } }, null, 2));
  } catch {
    // not cached: the next run measures again
  }
  return { flopsPerSecond, measuredAt, cached: false };
}

/** Core's choice for this text (its training part), budget and speed. */
export function chooseAuto(text: string, valFraction: number, budget: { seconds?: number; iterations?: number }, speed: MeasuredSpeed): AutoChoice {
  const vocab = Vocabulary.fromText(text);
  let chars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) chars++;
  }
  return autoPreset({ trainChars: Math.max(1, Math.floor(chars * (1 - valFraction))), vocabSize: vocab.size, budget, flopsPerSecond: speed.flopsPerSecond });
}

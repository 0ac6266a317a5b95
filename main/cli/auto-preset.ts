// `train --preset auto`: this machine's training speed (a few timed steps of a reference model, cached in the
// CLI's data folder), and core's rule (core/auto-preset.ts) applied to the text, the budget and that speed.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { autoPreset, type AutoChoice } from '../../core/auto-preset.js';
import { Vocabulary } from '../../core/vocab.js';
import { measureTrainingSpeed } from '../training/throughput.js';
import { rescueFolder } from './paths.js';

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

/** This machine's speed on `threads` threads: the cached measurement, or a new one (then cached). */
export async function machineSpeed(threads: number, env: NodeJS.ProcessEnv = process.env): Promise<MeasuredSpeed> {
  const file = calibrationFile(env), cache = readCache(file), key = keyOf(threads);
  const hit = cache[key];
  if (hit && hit.flopsPerSecond > 0) return { ...hit, cached: true };
  const flopsPerSecond = await measureTrainingSpeed(threads);
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

// The quality race (issue 6, goal 6): each preset trained for a time budget on kafka-story.txt's first 90%,
// scored on its last 10% from a zero state with the state carried (evaluateLoss on the held-out tail, what
// `char-rnn eval` prints), keeping the best-validation model, as `char-rnn train --preset NAME --seconds S`
// does: the same loop (main/training/training-loop.ts), pool, schedule and keeper.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { evaluateLoss } from '../core/trainer.js';
import { decodeCorpus } from '../core/text.js';
import { SEED_TRAINING } from '../core/config.js';
import { findPreset } from '../core/presets.js';
import { BestKeeper } from '../main/training/best-model.js';
import { createTrainingRunner } from '../main/training/pool/pool-trainer.js';
import { resolveThreads } from '../main/training/pool/threads.js';
import { prepareRun } from '../main/training/prepare-run.js';
import { runTrainingLoop } from '../main/training/training-loop.js';

export interface QualityResult {
  preset: string;
  model: string;
  seconds: number;
  chars_per_s: number;
  /** Held-out nats per char of the best-validation model, scored after the race. */
  held_out_nats: number;
  best_iteration: number;
  iterations: number;
  /** The 1-minute load average when the race started (the machine may be shared). */
  load: number;
}

/** Validations a preset gets: often enough to catch its best, rarely enough to cost little of the budget. */
const VALIDATE_EVERY: Record<string, number> = { seed: 500 };
/** An iteration limit with the time limit (whichever ends first ends the run and its schedule): see the preset's note. */
export const RACE_ITERATIONS: Record<string, number> = { 'gru-128-cosine': 1800 };

export async function raceQuality(corpusPath: string, presetName: string, seconds: number): Promise<QualityResult> {
  const preset = findPreset(presetName);
  if (!preset) throw new Error(`no preset ${presetName}`);
  const s = preset.settings;
  const { text } = decodeCorpus(readFileSync(corpusPath));
  const run = prepareRun(text, corpusPath, {
    kind: 'new',
    model: { cell: s.cell, hiddenSize: s.hiddenSize, layers: s.layers },
    training: { ...SEED_TRAINING, seqLength: s.seqLength, batchSize: s.batchSize, optimizer: s.optimizer,
      learningRate: s.learningRate, clipValue: s.clipValue, clipNorm: s.clipNorm, valFraction: 0.1 },
  });
  const { state, corpus } = run;
  const runner = await createTrainingRunner(state, corpus, resolveThreads({ requested: undefined, batchSize: s.batchSize }).threads);
  const keeper = new BestKeeper();
  const load = loadavg()[0];
  const t0 = performance.now();
  try {
    await runTrainingLoop(runner, corpus, {
      stopAtMs: t0 + seconds * 1000, stopAtIteration: RACE_ITERATIONS[presetName], printEvery: 0, sampleEvery: VALIDATE_EVERY[presetName] ?? 40, sampleLength: 0,
      saveEvery: 0, keepBest: keeper, lrSchedule: s.lrSchedule,
    }, {});
  } finally {
    await runner.dispose();
  }
  const el = (performance.now() - t0) / 1000;
  const best = keeper.best!;
  return {
    preset: presetName,
    model: `${s.cell} ${s.hiddenSize}${s.layers > 1 ? `×${s.layers}` : ''}, batch ${s.batchSize}, seq ${s.seqLength}, ${s.optimizer} ${s.learningRate}` +
      (s.lrSchedule === 'constant' ? '' : ` ${s.lrSchedule}`),
    seconds: Math.round(el),
    chars_per_s: Math.round(state.charsSeen / el),
    held_out_nats: Math.round(evaluateLoss(state.model, best.params, corpus.val) * 1e4) / 1e4,
    best_iteration: best.iteration,
    iterations: state.iteration,
    load: Math.round(load * 10) / 10,
  };
}

export function qualityCores(): number {
  return availableParallelism();
}

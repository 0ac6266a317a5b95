// Hyperparameters read back from disk (settings.json, the autosave record): today's nested shape, or the flat one
// that earlier builds wrote, moved into it; then checked by the schema every request is checked by.
import type { Hyperparameters } from '../contract/api.js';
import { sectionOf, type Section } from '../contract/defaults.js';
import { parseHyperparameters } from '../contract/validate.js';

/** The stored value as Hyperparameters, or null when it is neither shape or does not validate. */
export function readStoredHyperparameters(stored: unknown): Hyperparameters | null {
  return parseHyperparameters(isFlat(stored) ? nestFlat(stored) : stored);
}

function isFlat(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('model' in v) && !('training' in v) && !('run' in v);
}

/** {cell, hiddenSize, …, learningRate, …, sampleEvery, …} → {model, training, run}: each field to where its config has it. */
function nestFlat(flat: Record<string, unknown>): unknown {
  const nested: Record<Section, Record<string, unknown>> = { model: {}, training: {}, run: {} };
  for (const [key, value] of Object.entries(flat)) nested[sectionOf(key)][key] = value;
  return nested;
}

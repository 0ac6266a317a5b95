// Hyperparameters read back from disk (settings.json, the autosave record): today's nested shape, or the flat one
// that earlier builds wrote, moved into it; then checked by the schema every request is checked by.
import type { Hyperparameters } from '../contract/api.js';
import { DEFAULT_HYPERPARAMETERS, sectionOf, type Section } from '../contract/defaults.js';
import { parseHyperparameters } from '../contract/validate.js';

/** The stored value as Hyperparameters, or null when it is neither shape or does not validate. */
export function readStoredHyperparameters(stored: unknown): Hyperparameters | null {
  return parseHyperparameters(withNewSettings(isFlat(stored) ? nestFlat(stored) : stored));
}

/**
 * A setting added since the file was written (dropout, the weight average) takes its default, so the
 * user's other settings are kept rather than reset with it.
 */
function withNewSettings(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const stored = v as Record<string, unknown>;
  const out: Record<string, unknown> = { ...stored };
  for (const section of Object.keys(DEFAULT_HYPERPARAMETERS) as Section[]) {
    const given = stored[section];
    if (typeof given === 'object' && given !== null && !Array.isArray(given)) out[section] = { ...DEFAULT_HYPERPARAMETERS[section], ...given };
  }
  return out;
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

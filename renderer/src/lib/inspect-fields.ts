// The Inspect view's typed fields, checked as they are typed (as the Train form's are): each check returns
// the value or the message to show beside the field, in the same words as the limits main applies.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import { LIMITS, limitRule, withinLimit } from '../../../core/config.js';
import { parseNumberText } from './limits.js';

export type Checked<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

function wholeIn(text: string, label: string, min: number, max: number): Checked<number> {
  if (text.trim() === '') return { error: `${label} is required` };
  const v = parseNumberText(text);
  return Number.isInteger(v) && v >= min && v <= max ? { value: v } : { error: `${label} must be a whole number from ${min} to ${max.toLocaleString('en-US')}` };
}

/** A unit of the model: 0 to hidden size − 1 (the model's own size, not the engine's largest). */
export function checkUnit(text: string, hiddenSize: number | null): Checked<number> {
  return wholeIn(text, 'Unit', 0, Math.max(0, (hiddenSize ?? LIMITS.hiddenSize.max) - 1));
}

/** The copy detector's shortest span worth reporting (main's limit). */
export function checkMinLength(text: string): Checked<number> {
  return wholeIn(text, 'Min. length', 12, 10_000);
}

/** The temperature strip's length per sample (main's limit). */
export function checkStripLength(text: string): Checked<number> {
  return wholeIn(text, 'Length', 1, 2000);
}

export function checkStripSeed(text: string): Checked<number> {
  if (text.trim() === '') return { error: 'Seed is required' };
  const v = parseNumberText(text);
  return withinLimit(LIMITS.samplerSeed, v) ? { value: v } : { error: `Seed must be ${limitRule(LIMITS.samplerSeed)}` };
}

export const MAX_STRIP_TEMPERATURES = 6;

/** "0.5, 0.8, 1" → [0.5, 0.8, 1]; names the first entry that is not a temperature. */
export function checkTemperatures(text: string): Checked<number[]> {
  const parts = text.split(/[\s,;]+/).filter((t) => t !== '');
  if (parts.length === 0) return { error: 'Give at least one temperature, e.g. 0.5, 1' };
  if (parts.length > MAX_STRIP_TEMPERATURES) return { error: `At most ${MAX_STRIP_TEMPERATURES} temperatures (${parts.length} given)` };
  const values: number[] = [];
  for (const part of parts) {
    const v = Number(part);
    if (!withinLimit(LIMITS.temperature, v)) return { error: `“${part}” is not a temperature: each must be ${limitRule(LIMITS.temperature)}` };
    values.push(v);
  }
  return { value: values };
}

// Command-line values → numbers and choices, strictly: "12abc", "", "NaN", "1e3" for a count are refused.
// Ranges come from core's LIMITS (core/config.ts), so the CLI and the engine never disagree. The model and
// training flags are read into the settings shape by ./settings-flags.ts.
import { LIMITS, limitRule, withinLimit, type LimitName } from '../../core/config.js';
import { UsageError } from './fail.js';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function shown(raw: string): string {
  return JSON.stringify(raw);
}

/** A whole number in [min, max]. */
export function parseInteger(flag: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = INTEGER.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) throw new UsageError(`${flag} must be a whole number; got ${shown(raw)}.`);
  if (value < min || value > max) {
    throw new UsageError(`${flag} must be ${max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`}; got ${raw}.`);
  }
  return value;
}

/** A finite decimal number (ranges are checked by the caller or by core's validation). */
export function parseDecimal(flag: string, raw: string): number {
  const value = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value)) throw new UsageError(`${flag} must be a number; got ${shown(raw)}.`);
  return value;
}

/** A number within core's LIMITS[name]: whole numbers strictly so ("1e3" is refused for a count). */
export function parseLimited(flag: string, raw: string, name: LimitName): number {
  const limit = LIMITS[name];
  const value = limit.whole ? parseInteger(flag, raw, limit.min, limit.max) : parseDecimal(flag, raw);
  if (!withinLimit(limit, value)) throw new UsageError(`${flag} must be ${limitRule(limit)}; got ${raw}.`);
  return value;
}

export function parseChoice<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`${flag} must be one of ${choices.join(', ')}; got ${shown(raw)}.`);
  }
  return raw as T;
}

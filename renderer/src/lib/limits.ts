// A typed number checked against core's LIMITS: the rule the engine and main's schemas apply, in the form's words.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import { LIMITS, limitRule, withinLimit, type LimitName } from '../../../core/config.js';

export interface FieldRule {
  label: string;      // as the message names it ("Hidden size")
  limit: LimitName;   // which of core's LIMITS
  note?: string;      // appended to the message, e.g. "(0 = off)"
}

/** The message for a value that breaks its rule, e.g. "Hidden size must be a whole number from 1 to 4096". */
export function ruleMessage(rule: FieldRule): string {
  return `${rule.label} must be ${limitRule(LIMITS[rule.limit])}${rule.note ? ' ' + rule.note : ''}`;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The number the text holds when it is one and within the rule's limit; otherwise the message to show. */
export function checkNumberText(text: string, rule: FieldRule): { value: number } | { error: string } {
  const t = text.trim();
  if (t === '') return { error: `${rule.label} is required` };
  const v = DECIMAL.test(t) ? Number(t) : NaN;
  return withinLimit(LIMITS[rule.limit], v) ? { value: v } : { error: ruleMessage(rule) };
}

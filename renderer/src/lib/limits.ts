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

/** The decimal separator of a locale ('.' or ','); the user's own when none is given. */
export function decimalSeparator(locale?: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/**
 * A number as people type it: 0.1 always; 0,1 where the locale writes a decimal comma; thousands
 * separators where they group digits properly (10,000 in English; 10.000 or 10 000 in German). NaN otherwise.
 */
export function parseNumberText(text: string, locale?: string): number {
  let t = text.trim().replace(/(?<=\d)[\s\u00a0\u202f'’](?=\d{3}(\D|$))/g, '');
  if (decimalSeparator(locale) === ',') {
    if (/^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$/.test(t)) t = t.replace(/\./g, '');   // 10.000,5
    if (!t.includes('.')) t = t.replace(',', '.');                             // 0,1
  } else if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(t)) {
    t = t.replace(/,/g, '');                                                   // 10,000.5
  }
  return DECIMAL.test(t) ? Number(t) : NaN;
}

/** The number the text holds when it is one and within the rule's limit; otherwise the message to show. */
export function checkNumberText(text: string, rule: FieldRule, locale?: string): { value: number } | { error: string } {
  const t = text.trim();
  if (t === '') return { error: `${rule.label} is required` };
  const v = parseNumberText(t, locale);
  return withinLimit(LIMITS[rule.limit], v) ? { value: v } : { error: ruleMessage(rule) };
}

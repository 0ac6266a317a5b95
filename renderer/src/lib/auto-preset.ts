// The Auto preset in the form: main chooses its settings for the opened text and the form's Stop after budget
// (core/auto-preset.ts, the speed measured in the worker); these pure helpers apply a choice and recognise it.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import type { AutoPresetChoice, AutoPresetRequest, FileToken, Hyperparameters } from '../../../main/contract/api.js';
import type { HyperparameterDraft } from './hyperparameters.js';
import { draftWith, settingOf } from './hyperparameters.js';

export const AUTO_ID = 'auto';
export const AUTO_LABEL = 'Auto: sized to this text and time';
/** Auto sizes the model to a budget: with Stop after "Never", it sets this one. */
export const AUTO_DEFAULT_MINUTES = 1;

/** The choice the form holds, and what it was asked for (a changed text or budget asks again). */
export interface HeldAutoChoice extends AutoPresetChoice {
  corpus: FileToken;
  stopAfter: AutoPresetRequest['stopAfter'];
}

/** Everything Auto sets: the preset's fields and the two regularisers. */
export function autoValues(choice: AutoPresetChoice): Record<string, unknown> {
  return { ...choice.settings, dropout: choice.dropout, ema: choice.ema };
}

/** The draft with Auto's choice applied; the stop, the cadences and every other field stay as typed. */
export function draftWithAuto(d: HyperparameterDraft, choice: AutoPresetChoice): HyperparameterDraft {
  return draftWith(d, autoValues(choice));
}

/** The form's budget as Auto takes it: "Never" becomes AUTO_DEFAULT_MINUTES. */
export function autoBudget(h: Hyperparameters): AutoPresetRequest['stopAfter'] {
  const stop = h.run.stopAfter;
  return stop.kind === 'never' ? { kind: 'minutes', value: AUTO_DEFAULT_MINUTES } : stop;
}

/** Whether the hyperparameters are still Auto's choice for its budget (every value it set, and the same stop unless anyStop). */
export function matchesAuto(h: Hyperparameters | null, held: HeldAutoChoice | null, anyStop = false): boolean {
  if (!h || !held) return false;
  const stop = h.run.stopAfter;
  if (!anyStop && (stop.kind !== held.stopAfter.kind || stop.value !== held.stopAfter.value)) return false;
  return Object.entries(autoValues(held)).every(([key, value]) =>
    (key === 'lrSchedule' ? h.run.lrSchedule ?? 'constant' : settingOf(h, key)) === value);
}

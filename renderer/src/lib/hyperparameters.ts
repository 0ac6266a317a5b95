// The hyperparameter form's rules: its one table of fields, the seed's defaults, the presets, and a specific
// message for every bad field. Pure functions over string drafts (what the user typed), so half-typed values
// never reach the model.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import type { Hyperparameters, ModelShape, RunSettings, StopAfter } from '../../../main/contract/api.js';
import {
  CELL_TYPES, CHANGEABLE_ON_RESUME, LIMITS, OPTIMIZERS, type CellType, type LimitName, type OptimizerName, type TrainConfig,
} from '../../../core/config.js';
import { DEFAULT_HYPERPARAMETERS, sectionOf, type Section } from '../../../main/contract/defaults.js';
import { PRESETS as CORE_PRESETS, type LrSchedule, type PresetSettings } from '../../../core/presets.js';
import { checkNumberText, parseNumberText, type FieldRule } from './limits.js';

export { CELL_TYPES, OPTIMIZERS };
export type { CellType, OptimizerName };

export type StopKind = StopAfter['kind'];

/** Where a field shows: the model's row, the training row, folded under "More training settings", or the schedule. */
export type FieldGroup = 'model' | 'training' | 'more' | 'schedule';

/** A numeric field of the form: a setting of one of the three sections, checked against LIMITS under its own name. */
export interface FieldSpec {
  readonly key: LimitName;
  readonly group: FieldGroup;
  readonly label: string;       // the field's label, and how its messages name it
  readonly hint?: string;       // a short line under the field
  readonly unit?: string;       // shown after the field
  readonly zero?: string;       // what 0 means ("off" is also shown beside the field)
  readonly empty?: string;      // the field may be left empty, meaning this
}

/**
 * The form's one table. Whether a field takes whole numbers, and its range, come from core's LIMITS; which
 * section it is sent in (model, training or run) from the defaults. A new setting is one line here.
 */
export const FIELDS = [
  { key: 'hiddenSize', group: 'model', label: 'Hidden size' },
  { key: 'layers', group: 'model', label: 'Layers' },
  { key: 'seqLength', group: 'training', label: 'Sequence length', hint: 'Chars per step' },
  { key: 'learningRate', group: 'training', label: 'Learning rate' },
  { key: 'batchSize', group: 'more', label: 'Batch size', hint: 'Streams side by side' },
  { key: 'seed', group: 'more', label: 'Training seed', hint: 'Weights, data order' },
  { key: 'clipValue', group: 'more', label: 'Gradient clip', hint: 'Each element to ±this', zero: 'off' },
  { key: 'clipNorm', group: 'more', label: 'Clip norm', hint: 'Whole gradient at once', zero: 'off' },
  { key: 'valFraction', group: 'more', label: 'Validation fraction', hint: 'End of text held out' },
  { key: 'dropout', group: 'more', label: 'Dropout', hint: "Share of each layer's outputs dropped", zero: 'off' },
  { key: 'ema', group: 'more', label: 'Weight average', hint: 'Decay, e.g. 0.999', zero: 'off' },
  { key: 'threads', group: 'more', label: 'Threads', hint: 'Empty = every core', empty: 'every core' },
  { key: 'sampleEvery', group: 'schedule', label: 'Sample every', unit: 'iter.' },
  { key: 'sampleLength', group: 'schedule', label: 'Sample length', unit: 'chars', zero: 'validation only' },
  { key: 'autosaveMinutes', group: 'schedule', label: 'Autosave every', unit: 'min', zero: 'off' },
] as const satisfies readonly FieldSpec[];

type TableKey = (typeof FIELDS)[number]['key'];
type NumericKeyOf<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T];
// every numeric setting has its line in the table: one that is missing fails to compile here, naming itself
const everySettingInTheTable: [Exclude<NumericKeyOf<ModelShape & TrainConfig & RunSettings>, TableKey>] extends [never] ? true : never = true;
void everySettingInTheTable;

/** The stop value's field, by the kind of stop. */
export const STOP_FIELDS: Record<Exclude<StopKind, 'never'>, FieldSpec & { key: 'stopIterations' | 'stopMinutes' }> = {
  iterations: { key: 'stopIterations', group: 'schedule', label: 'Iterations', hint: "The model's total: one continued at 20,000 with 30,000 trains 10,000 more" },
  minutes: { key: 'stopMinutes', group: 'schedule', label: 'Minutes' },
};

export type NumericField = TableKey | 'stopValue';
export const NUMERIC_FIELDS: readonly NumericField[] = [...FIELDS.map((f) => f.key), 'stopValue'];
/** Fields that may be left empty (Threads: every core). */
export const OPTIONAL_FIELDS: readonly NumericField[] = FIELDS.filter((f: FieldSpec) => f.empty !== undefined).map((f) => f.key);

export const fieldsIn = (group: FieldGroup): readonly FieldSpec[] => FIELDS.filter((f) => f.group === group);

/** Whether the field takes whole numbers only (LIMITS says). */
export const isWhole = (spec: FieldSpec): boolean => LIMITS[spec.key].whole;

function ruleOf(spec: FieldSpec): FieldRule {
  const note = spec.zero !== undefined ? `(0 = ${spec.zero})` : spec.empty !== undefined ? `(empty = ${spec.empty})` : undefined;
  return { label: spec.label, limit: spec.key, ...(note ? { note } : {}) };
}

/** What the form holds: the text of every input, as typed. */
export interface HyperparameterDraft {
  cell: CellType;
  optimizer: OptimizerName;
  stopKind: StopKind;
  keepBest: boolean;
  /** Set by a preset (no field of its own): the learning rate over the "stop after" budget. */
  lrSchedule?: LrSchedule;
  text: Record<NumericField, string>;
}

/** The seed's settings (min-char-rnn) plus the app's cadences: main's defaults, so both sides agree. */
export const SEED_HYPERPARAMETERS: Readonly<Hyperparameters> = DEFAULT_HYPERPARAMETERS;

/** A setting's value, wherever its section keeps it. */
export function settingOf(h: Hyperparameters, key: string): unknown {
  return (h[sectionOf(key)] as unknown as Record<string, unknown>)[key];
}

export function draftFrom(h: Hyperparameters): HyperparameterDraft {
  const text = {} as Record<NumericField, string>;
  for (const { key } of FIELDS) text[key] = String(settingOf(h, key) ?? '');
  text.stopValue = h.run.stopAfter.kind === 'never' ? '' : String(h.run.stopAfter.value);
  return {
    cell: h.model.cell,
    optimizer: h.training.optimizer,
    stopKind: h.run.stopAfter.kind,
    keepBest: h.run.keepBest === true,
    ...(h.run.lrSchedule === undefined ? {} : { lrSchedule: h.run.lrSchedule }),
    text,
  };
}

export type FieldErrors = Partial<Record<NumericField, string>>;

export interface Validated {
  errors: FieldErrors;
  /** The parsed hyperparameters, or null while any field is invalid. */
  value: Hyperparameters | null;
}

export function validateDraft(d: HyperparameterDraft): Validated {
  const errors: FieldErrors = {};
  const sections: Record<Section, Record<string, unknown>> = {
    model: { cell: d.cell },
    training: { optimizer: d.optimizer },
    run: { ...(d.keepBest ? { keepBest: true } : {}), ...(d.lrSchedule === undefined ? {} : { lrSchedule: d.lrSchedule }) },
  };
  for (const spec of FIELDS as readonly FieldSpec[]) {
    if (spec.empty !== undefined && d.text[spec.key as TableKey].trim() === '') continue;
    const r = checkNumberText(d.text[spec.key as TableKey], ruleOf(spec));
    if ('error' in r) errors[spec.key as TableKey] = r.error;
    else sections[sectionOf(spec.key)][spec.key] = r.value;
  }
  let stopAfter: StopAfter = { kind: 'never' };
  if (d.stopKind !== 'never') {
    const r = checkNumberText(d.text.stopValue, ruleOf(STOP_FIELDS[d.stopKind]));
    if ('error' in r) errors.stopValue = r.error;
    else stopAfter = { kind: d.stopKind, value: r.value };
  }
  if (Object.keys(errors).length > 0) return { errors, value: null };
  sections.run.stopAfter = stopAfter;
  return { errors, value: sections as unknown as Hyperparameters };
}

/** What Continue does with the form's settings: the ones a saved model can change (core's CHANGEABLE_ON_RESUME). */
export function continueNote(): string {
  const takes = CHANGEABLE_ON_RESUME.map((key) => FIELDS.find((f) => f.key === key)!.label.toLowerCase());
  return `Continue keeps what the model was built with (its shape, batch size, optimizer and seed) and takes the ` +
    `${takes.slice(0, -1).join(', ')} and ${takes.at(-1)} set here; Start new uses all of these settings.`;
}

/**
 * The draft with some settings replaced (a preset's, an opened model's): each one's field or choice, as text
 * where the form holds text. Every other field keeps what the user typed, valid or not.
 */
export function draftWith(d: HyperparameterDraft, settings: object): HyperparameterDraft {
  const next: HyperparameterDraft = { ...d, text: { ...d.text } };
  for (const [key, value] of Object.entries(settings)) {
    if (key === 'cell') next.cell = value as CellType;
    else if (key === 'optimizer') next.optimizer = value as OptimizerName;
    else if (key === 'lrSchedule') next.lrSchedule = value as LrSchedule;
    else if (Object.hasOwn(next.text, key)) next.text[key as TableKey] = String(value);
  }
  return next;
}

export interface Preset {
  id: string;
  label: string;
  /** What it changes and what is (not yet) known about it: the names promise nothing unmeasured. */
  description: string;
  /** Model and optimisation only: a preset keeps the user's stop, sampling and autosave cadence. */
  values: PresetSettings;
}

/** core's presets (the list the CLI's --preset reads too), in the form's terms. */
export const PRESETS: readonly Preset[] = CORE_PRESETS.map((p) => ({
  id: p.name, label: p.label, description: p.description, values: { ...p.settings },
}));

/** The draft with a preset's model and optimisation applied; the stop, the cadences and every other field stay as typed. */
export function draftWithPreset(d: HyperparameterDraft, preset: Preset): HyperparameterDraft {
  return draftWith(d, preset.values);
}

/**
 * The draft with an opened model's own settings (its shape, optimisation, split and seed): the form shows
 * what continuing it will use; the run's fields (stop, cadences, autosave, threads) stay the user's.
 */
export function draftWithModel(d: HyperparameterDraft, h: Hyperparameters): HyperparameterDraft {
  return draftWith(d, { ...h.model, ...h.training });
}

/** The preset whose values the hyperparameters match, if any (to show it as selected). */
export function matchingPreset(h: Hyperparameters | null): Preset | undefined {
  if (!h) return undefined;
  const valueOf = (key: string) => (key === 'lrSchedule' ? h.run.lrSchedule ?? 'constant' : settingOf(h, key)); // no schedule: constant
  return PRESETS.find((p) => Object.entries(p.values).every(([key, v]) => valueOf(key) === v));
}

/** One setting where the form differs from a preset: its name, the form's value as typed, the preset's. */
export interface PresetDifference {
  label: string;
  typed: string;
  preset: string;
}

const CHOICE_LABELS: Record<string, string> = { cell: 'model type', optimizer: 'optimizer', lrSchedule: 'rate schedule' };

/** The settings a preset sets that the draft does not have as the preset does (numbers compared by value, as typed). */
export function differencesFrom(d: HyperparameterDraft, preset: Preset): PresetDifference[] {
  const out: PresetDifference[] = [];
  for (const [key, value] of Object.entries(preset.values)) {
    let typed: string;
    let same: boolean;
    if (key === 'cell' || key === 'optimizer') {
      typed = d[key];
      same = typed === value;
    } else if (key === 'lrSchedule') {
      typed = d.lrSchedule ?? 'constant'; // no schedule: constant
      same = typed === value;
    } else {
      typed = d.text[key as TableKey].trim();
      same = parseNumberText(typed) === value;
    }
    if (same) continue;
    const field = FIELDS.find((f) => f.key === key);
    out.push({ label: field ? field.label.toLowerCase() : CHOICE_LABELS[key] ?? key, typed: typed || '(empty)', preset: String(value) });
  }
  return out;
}

/** The preset the draft is nearest to: the one with the fewest differing settings (the first on a tie). */
export function nearestPreset(d: HyperparameterDraft): { preset: Preset; differences: PresetDifference[] } {
  let nearest = { preset: PRESETS[0], differences: differencesFrom(d, PRESETS[0]) };
  for (const preset of PRESETS.slice(1)) {
    const differences = differencesFrom(d, preset);
    if (differences.length < nearest.differences.length) nearest = { preset, differences };
  }
  return nearest;
}

/**
 * What "Custom" means here, e.g. "Custom: hidden size 128 (preset 256). From Seed (min-char-rnn)." —
 * the settings that differ from the nearest preset, the first three by name.
 */
export function customNote(d: HyperparameterDraft): string {
  const { preset, differences } = nearestPreset(d);
  const named = differences.slice(0, 3).map((x) => `${x.label} ${x.typed} (preset ${x.preset})`);
  const more = differences.length > 3 ? ` and ${differences.length - 3} more` : '';
  return `Custom: ${named.join(', ')}${more}. Nearest preset: ${preset.label}.`;
}

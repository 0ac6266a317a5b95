// The hyperparameter form's rules: the seed's defaults, the presets, and a specific message for every bad field.
// Pure functions over string drafts (what the user typed), so half-typed values never reach the model.
// '.js' in the imports of this file: Node's tests import it too (moduleResolution NodeNext); Vite maps them to .ts
import type { Hyperparameters } from '../../../main/contract/api.js';
import { CELL_TYPES, CHANGEABLE_ON_RESUME, OPTIMIZERS, type CellType, type OptimizerName } from '../../../core/config.js';
import { DEFAULT_HYPERPARAMETERS } from '../../../main/contract/defaults.js';
import { PRESETS as CORE_PRESETS, type LrSchedule } from '../../../core/presets.js';
import { checkNumberText, type FieldRule } from './limits.js';

export { CELL_TYPES, OPTIMIZERS };
export type { CellType, OptimizerName };

export type StopKind = Hyperparameters['stopAfter']['kind'];

export const NUMERIC_FIELDS = [
  'hiddenSize', 'layers', 'seqLength', 'batchSize', 'learningRate', 'clipValue', 'clipNorm',
  'valFraction', 'seed', 'stopValue', 'sampleEvery', 'sampleLength', 'autosaveMinutes', 'threads',
] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];
/** Fields that may be left empty: Threads (empty: every core). */
export const OPTIONAL_FIELDS: readonly NumericField[] = ['threads'];

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

const RULES: Record<Exclude<NumericField, 'stopValue'>, FieldRule> = {
  hiddenSize: { label: 'Hidden size', limit: 'hiddenSize' },
  layers: { label: 'Layers', limit: 'layers' },
  seqLength: { label: 'Sequence length', limit: 'seqLength' },
  batchSize: { label: 'Batch size', limit: 'batchSize' },
  learningRate: { label: 'Learning rate', limit: 'learningRate' },
  clipValue: { label: 'Gradient clip', limit: 'clipValue', note: '(0 = off)' },
  clipNorm: { label: 'Clip norm', limit: 'clipNorm', note: '(0 = off)' },
  valFraction: { label: 'Validation fraction', limit: 'valFraction' },
  seed: { label: 'Training seed', limit: 'seed' },
  sampleEvery: { label: 'Sample every', limit: 'sampleEvery' },
  sampleLength: { label: 'Sample length', limit: 'sampleLength', note: '(0 = validation only)' },
  autosaveMinutes: { label: 'Autosave interval', limit: 'autosaveMinutes', note: '(0 = off)' },
  threads: { label: 'Threads', limit: 'threads', note: '(empty = every core)' },
};

const STOP_RULES: Record<Exclude<StopKind, 'never'>, FieldRule> = {
  iterations: { label: 'Iterations', limit: 'stopIterations' },
  minutes: { label: 'Minutes', limit: 'stopMinutes' },
};

/** The seed's settings (min-char-rnn) plus the app's cadences: main's defaults, so both sides agree. */
export const SEED_HYPERPARAMETERS: Readonly<Hyperparameters> = DEFAULT_HYPERPARAMETERS;

export interface Preset {
  id: string;
  label: string;
  /** What it changes and what is (not yet) known about it: the names promise nothing unmeasured. */
  description: string;
  /** Model and optimisation only: a preset keeps the user's stop, sampling and autosave cadence. */
  values: Partial<Hyperparameters>;
}

/** core's presets (the list the CLI's --preset reads too), in the form's terms. */
export const PRESETS: readonly Preset[] = CORE_PRESETS.map((p) => ({
  id: p.name, label: p.label, description: p.description, values: { ...p.settings },
}));

export function draftFrom(h: Hyperparameters): HyperparameterDraft {
  return {
    cell: h.cell,
    optimizer: h.optimizer,
    stopKind: h.stopAfter.kind,
    keepBest: h.keepBest === true,
    ...(h.lrSchedule === undefined ? {} : { lrSchedule: h.lrSchedule }),
    text: {
      hiddenSize: String(h.hiddenSize),
      layers: String(h.layers),
      seqLength: String(h.seqLength),
      batchSize: String(h.batchSize),
      learningRate: String(h.learningRate),
      clipValue: String(h.clipValue),
      clipNorm: String(h.clipNorm),
      valFraction: String(h.valFraction),
      seed: String(h.seed),
      stopValue: h.stopAfter.kind === 'never' ? '' : String(h.stopAfter.value),
      sampleEvery: String(h.sampleEvery),
      sampleLength: String(h.sampleLength),
      autosaveMinutes: String(h.autosaveMinutes),
      threads: h.threads === undefined ? '' : String(h.threads),
    },
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
  const values = {} as Record<NumericField, number>;
  for (const field of NUMERIC_FIELDS) {
    if (field === 'stopValue') continue;
    if (OPTIONAL_FIELDS.includes(field) && d.text[field].trim() === '') continue;
    const r = checkNumberText(d.text[field], RULES[field]);
    if ('error' in r) errors[field] = r.error;
    else values[field] = r.value;
  }
  let stopAfter: Hyperparameters['stopAfter'] = { kind: 'never' };
  if (d.stopKind !== 'never') {
    const r = checkNumberText(d.text.stopValue, STOP_RULES[d.stopKind]);
    if ('error' in r) errors.stopValue = r.error;
    else stopAfter = { kind: d.stopKind, value: r.value };
  }
  if (Object.keys(errors).length > 0) return { errors, value: null };
  return {
    errors,
    value: {
      cell: d.cell,
      hiddenSize: values.hiddenSize,
      layers: values.layers,
      seqLength: values.seqLength,
      batchSize: values.batchSize,
      optimizer: d.optimizer,
      learningRate: values.learningRate,
      clipValue: values.clipValue,
      clipNorm: values.clipNorm,
      valFraction: values.valFraction,
      seed: values.seed,
      stopAfter,
      sampleEvery: values.sampleEvery,
      sampleLength: values.sampleLength,
      autosaveMinutes: values.autosaveMinutes,
      ...(d.keepBest ? { keepBest: true } : {}),
      ...(d.lrSchedule === undefined ? {} : { lrSchedule: d.lrSchedule }),
      ...(values.threads === undefined ? {} : { threads: values.threads }),
    },
  };
}

/** What Continue does with the form's settings: the ones a saved model can change (core's CHANGEABLE_ON_RESUME). */
export function continueNote(): string {
  const takes = CHANGEABLE_ON_RESUME.map((field) => RULES[field].label.toLowerCase());
  return `Continue keeps what the model was built with (its shape, batch size, optimizer and seed) and takes the ` +
    `${takes.slice(0, -1).join(', ')} and ${takes.at(-1)} set here; Start new uses all of these settings.`;
}

/** `base` with a preset applied: its model and optimisation values; the stop and cadences stay `base`'s. */
export function withPreset(base: Hyperparameters, preset: Preset): Hyperparameters {
  return { ...base, ...preset.values };
}

/** The preset whose values the hyperparameters match, if any (to show it as selected). */
export function matchingPreset(h: Hyperparameters | null): Preset | undefined {
  if (!h) return undefined;
  const withDefaults: Hyperparameters = { lrSchedule: 'constant', ...h }; // no schedule is the constant rate
  return PRESETS.find((p) => Object.entries(p.values).every(([k, v]) =>
    JSON.stringify(withDefaults[k as keyof Hyperparameters]) === JSON.stringify(v)));
}

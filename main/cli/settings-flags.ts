// The model and training flags (`train`, `import`) → the app's nested settings shape, `{ model, training }`,
// checked once, by the schema main applies to the app's requests (checkSettingsPatch, main/contract/validate.ts).
// A new run lays them over a preset's or the seed's settings, a resumed one over its checkpoint's; what is laid
// is never parsed or checked again here (core's validateTrainConfig stays the engine's own guard).
import {
  CHANGEABLE_ON_RESUME, LIMITS, REGULARIZERS_CHANGEABLE_ON_RESUME,
  type ChangeableOnResume, type LimitName, type ModelConfig, type TrainConfig,
} from '../../core/config.js';
import type { PresetSettings } from '../../core/presets.js';
import type { ModelShape } from '../contract/api.js';
import { MODEL_DEFAULTS, TRAINING_DEFAULTS } from '../contract/defaults.js';
import { checkSettingsPatch, type SettingsPatch } from '../contract/validate.js';
import { UsageError } from './fail.js';
import { parseDecimal, parseInteger } from './options.js';

export type { SettingsPatch };

/** Flags of the model's shape, as commander hands them over (undefined when not given). */
export interface ModelFlags {
  model?: string;
  hidden?: string;
  layers?: string;
}

/** Flags of the training settings. */
export interface TrainingFlags {
  seqLength?: string;
  batch?: string;
  optimizer?: string;
  lr?: string;
  clip?: string;
  clipNorm?: string;
  valFraction?: string;
  seed?: string;
  dropout?: string;
  ema?: string;
}

/** Where a flag goes in the nested shape, and what people call that field. */
type FlagField = { flag: string; label: string } &
  ({ section: 'model'; key: keyof ModelShape } | { section: 'training'; key: keyof TrainConfig });

const model = (flag: string, key: keyof ModelShape, label: string): FlagField => ({ flag, label, section: 'model', key });
const training = (flag: string, key: keyof TrainConfig, label: string): FlagField => ({ flag, label, section: 'training', key });

/** Every flag of the two configs; a flag missing here is a type error. */
const FLAGS: Record<keyof ModelFlags | keyof TrainingFlags, FlagField> = {
  model: model('--model', 'cell', 'model'),
  hidden: model('--hidden', 'hiddenSize', 'hidden size'),
  layers: model('--layers', 'layers', 'layers'),
  seqLength: training('--seq-length', 'seqLength', 'sequence length'),
  batch: training('--batch', 'batchSize', 'batch size'),
  optimizer: training('--optimizer', 'optimizer', 'optimizer'),
  lr: training('--lr', 'learningRate', 'learning rate'),
  clip: training('--clip', 'clipValue', 'clip'),
  clipNorm: training('--clip-norm', 'clipNorm', 'clip norm'),
  valFraction: training('--val-fraction', 'valFraction', 'validation fraction'),
  seed: training('--seed', 'seed', 'seed'),
  dropout: training('--dropout', 'dropout', 'dropout'),
  ema: training('--ema', 'ema', 'weight average decay'),
};

/** A flag's text as its field's type: a number strictly ("12abc", "", "NaN", and "1e3" for a count, are refused), a choice as given. */
function parseFlagText({ flag, key }: FlagField, raw: string): number | string {
  if (!Object.hasOwn(LIMITS, key)) return raw; // a choice (cell, optimizer): the schema checks it against its list
  return LIMITS[key as LimitName].whole ? parseInteger(flag, raw, Number.MIN_SAFE_INTEGER) : parseDecimal(flag, raw);
}

/**
 * The flags given, parsed into the nested shape and checked once, against core's LIMITS through the contract's
 * schema; an error names the flag ("--hidden must be a whole number from 1 to 4096; got 0."). A usage error
 * before any file is read.
 */
export function settingsFromFlags(flags: ModelFlags & TrainingFlags): SettingsPatch {
  const patch = { model: {} as Record<string, unknown>, training: {} as Record<string, unknown> };
  for (const [name, field] of Object.entries(FLAGS) as [keyof typeof FLAGS, FlagField][]) {
    const raw = flags[name];
    if (raw !== undefined) patch[field.section][field.key] = parseFlagText(field, raw);
  }
  const checked = checkSettingsPatch(patch as SettingsPatch);
  if (!checked.ok) {
    const field = Object.values(FLAGS).find((f) => f.section === checked.section && f.key === checked.key);
    throw new UsageError(`${field?.flag ?? `${checked.section}.${checked.key}`} ${checked.message}.`);
  }
  return checked.value;
}

/** The nested model and training of a new run: the given flags over a preset's settings, else the seed's. */
export function newRunSettings(given: SettingsPatch, preset?: PresetSettings, under?: Partial<TrainConfig>): { model: ModelShape; training: TrainConfig } {
  const base = preset ? presetConfigs(preset) : { model: MODEL_DEFAULTS, training: TRAINING_DEFAULTS };
  return {
    model: Object.freeze({ ...base.model, ...given.model }),
    // `under`: what --preset auto adds to its preset's settings (dropout, EMA); a flag given still wins
    training: Object.freeze({ ...base.training, ...under, ...given.training }),
  };
}

/** A preset's model and training settings over the seed's (its schedule is the run's, not the configs'). */
function presetConfigs(p: PresetSettings): { model: ModelShape; training: TrainConfig } {
  return {
    model: { ...MODEL_DEFAULTS, cell: p.cell, hiddenSize: p.hiddenSize, layers: p.layers },
    training: {
      ...TRAINING_DEFAULTS, seqLength: p.seqLength, batchSize: p.batchSize, optimizer: p.optimizer,
      learningRate: p.learningRate, clipValue: p.clipValue, clipNorm: p.clipNorm,
    },
  };
}

export interface ResumeSettings {
  changes: Partial<Pick<TrainConfig, ChangeableOnResume>>; // laid over the checkpoint's by prepareRun
  conflicts: string[];    // e.g. `--hidden 50 (the checkpoint has hidden size 100)`
  described: string[];    // e.g. `learning rate 0.1 → 0.05`
}

/**
 * The flags given against a checkpoint being resumed: those in CHANGEABLE_ON_RESUME may differ from the
 * checkpoint (core/config.ts says why) and become changes; the others must match it when given.
 */
export function resumeSettings(given: SettingsPatch, checkpoint: { model: ModelConfig; training: TrainConfig }): ResumeSettings {
  const changeable: readonly string[] = [...CHANGEABLE_ON_RESUME, ...REGULARIZERS_CHANGEABLE_ON_RESUME];
  const changes: Record<string, unknown> = {}, conflicts: string[] = [], described: string[] = [];
  for (const field of Object.values(FLAGS)) {
    const value = (given[field.section] as Record<string, unknown>)[field.key];
    const actual = (checkpoint[field.section] as unknown as Record<string, unknown>)[field.key];
    if (value === undefined || value === actual) continue;
    if (field.section === 'training' && changeable.includes(field.key)) {
      described.push(`${field.label} ${String(actual)} → ${String(value)}`);
      changes[field.key] = value;
    } else {
      conflicts.push(`${field.flag} ${String(value)} (the checkpoint has ${field.label} ${String(actual)})`);
    }
  }
  return { changes: changes as ResumeSettings['changes'], conflicts, described };
}

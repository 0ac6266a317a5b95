// Command-line values → numbers and configs, strictly: "12abc", "", "NaN", "1e3" for a count are refused.
// Ranges come from core's LIMITS (core/config.ts), so the CLI and the engine never disagree.
import { CharRnnError } from '../../core/errors.js';
import {
  CELL_TYPES, CHANGEABLE_ON_RESUME, checkLimit, LIMITS, REGULARIZERS_CHANGEABLE_ON_RESUME, limitRule, OPTIMIZERS, SEED_MODEL, SEED_TRAINING, withinLimit,
  type CellType, type LimitName, type ModelConfig, type OptimizerName, type TrainConfig,
} from '../../core/config.js';
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

type ModelShape = Omit<ModelConfig, 'vocabSize'>;

interface FlagSpec<C> {
  flag: string;                 // as typed
  key: keyof C & string;        // field of the config
  label: string;                // for people
  parse: (flag: string, raw: string) => number | string;
}

const integer = (flag: string, raw: string) => parseInteger(flag, raw, Number.MIN_SAFE_INTEGER);

const MODEL_FLAGS: Record<keyof ModelFlags, FlagSpec<ModelShape>> = {
  model: { flag: '--model', key: 'cell', label: 'model', parse: (f, r) => parseChoice<CellType>(f, r, CELL_TYPES) },
  hidden: { flag: '--hidden', key: 'hiddenSize', label: 'hidden size', parse: integer },
  layers: { flag: '--layers', key: 'layers', label: 'layers', parse: integer },
};

const TRAINING_FLAGS: Record<keyof TrainingFlags, FlagSpec<TrainConfig>> = {
  seqLength: { flag: '--seq-length', key: 'seqLength', label: 'sequence length', parse: integer },
  batch: { flag: '--batch', key: 'batchSize', label: 'batch size', parse: integer },
  optimizer: { flag: '--optimizer', key: 'optimizer', label: 'optimizer', parse: (f, r) => parseChoice<OptimizerName>(f, r, OPTIMIZERS) },
  lr: { flag: '--lr', key: 'learningRate', label: 'learning rate', parse: parseDecimal },
  clip: { flag: '--clip', key: 'clipValue', label: 'clip', parse: parseDecimal },
  clipNorm: { flag: '--clip-norm', key: 'clipNorm', label: 'clip norm', parse: parseDecimal },
  valFraction: { flag: '--val-fraction', key: 'valFraction', label: 'validation fraction', parse: parseDecimal },
  seed: { flag: '--seed', key: 'seed', label: 'seed', parse: integer },
  dropout: { flag: '--dropout', key: 'dropout', label: 'dropout', parse: parseDecimal },
  ema: { flag: '--ema', key: 'ema', label: 'weight average decay', parse: parseDecimal },
};

/**
 * Parse the given flags into a partial config: the CLI's one check of each value, against core's LIMITS (a
 * choice is checked as it is parsed), so that an error names the flag ("--hidden must be a whole number from 1
 * to 4096; got 0."). What is merged from them is checked once more only by the engine (createTrainingState).
 */
function parseFlags<C extends object>(specs: Record<string, FlagSpec<C>>, flags: Record<string, string | undefined>): Partial<C> {
  const out: Partial<C> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = flags[name];
    if (raw === undefined) continue;
    const value = spec.parse(spec.flag, raw);
    if (typeof value === 'number') {
      try {
        checkLimit(spec.key as LimitName, value, spec.flag);
      } catch (e) {
        if (e instanceof CharRnnError) throw new UsageError(e.message);
        throw e;
      }
    }
    (out as Record<string, unknown>)[spec.key] = value;
  }
  return out;
}

export function parseModelFlags(flags: ModelFlags): Partial<ModelShape> {
  return parseFlags<ModelShape>(MODEL_FLAGS, { ...flags });
}

export function parseTrainingFlags(flags: TrainingFlags): Partial<TrainConfig> {
  return parseFlags<TrainConfig>(TRAINING_FLAGS, { ...flags });
}

/** The model shape for a new run: the seed's, with the given flags over it. */
export function modelShapeFromFlags(flags: ModelFlags): ModelShape {
  return Object.freeze({ ...SEED_MODEL, ...parseModelFlags(flags) });
}

/** The training settings for a new run: the seed's, with the given flags over it. */
export function trainingFromFlags(flags: TrainingFlags): TrainConfig {
  return Object.freeze({ ...SEED_TRAINING, ...parseTrainingFlags(flags) });
}

export interface ResumeSettings {
  training: TrainConfig;  // the checkpoint's, with the changeable flags over it
  conflicts: string[];    // e.g. `--hidden 50 (the checkpoint has hidden size 100)`
  changes: string[];      // e.g. `learning rate 0.1 → 0.05`
}

/**
 * Flags against a checkpoint being resumed: those in CHANGEABLE_ON_RESUME may differ from the checkpoint
 * (core/config.ts says why), the others must match it when given.
 */
export function resumeSettings(modelFlags: ModelFlags, trainingFlags: TrainingFlags,
                               model: ModelConfig, training: TrainConfig): ResumeSettings {
  const conflicts: string[] = [], changes: string[] = [];
  const overrides: Partial<Record<keyof TrainConfig, unknown>> = {};
  const compare = <C extends object>(specs: Record<string, FlagSpec<C>>, given: Partial<C>, flags: Record<string, string | undefined>,
                                     actual: C, changeable: readonly string[]) => {
    for (const [name, spec] of Object.entries(specs)) {
      const value = given[spec.key];
      if (value === undefined || value === actual[spec.key]) continue;
      if (changeable.includes(spec.key)) {
        changes.push(`${spec.label} ${String(actual[spec.key])} → ${String(value)}`);
        overrides[spec.key as keyof TrainConfig] = value;
      } else {
        conflicts.push(`${spec.flag} ${flags[name]} (the checkpoint has ${spec.label} ${String(actual[spec.key])})`);
      }
    }
  };
  compare<ModelShape>(MODEL_FLAGS, parseModelFlags(modelFlags), { ...modelFlags }, model, []);
  compare<TrainConfig>(TRAINING_FLAGS, parseTrainingFlags(trainingFlags), { ...trainingFlags }, training, [...CHANGEABLE_ON_RESUME, ...REGULARIZERS_CHANGEABLE_ON_RESUME]);
  return { training: Object.freeze({ ...training, ...overrides } as TrainConfig), conflicts, changes };
}

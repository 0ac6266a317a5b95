// `char-rnn train`'s flags: what commander hands over, parsed into the run's plan (limits, cadences,
// schedule), and the --preset they start from. Usage errors only; no file is read here. The model and
// training flags are read by ./settings-flags.ts.
import { findPreset, PRESETS, type PresetSettings } from '../../core/presets.js';
import { LR_SCHEDULES, type LrSchedule } from '../../core/schedule.js';
import { RUN_DEFAULTS } from '../contract/defaults.js';
import { UsageError } from './fail.js';
import { parseChoice, parseDecimal, parseInteger, parseLimited } from './options.js';
import type { ModelFlags, TrainingFlags } from './settings-flags.js';

/** --preset auto: settings chosen for the text, the budget and this machine (core/auto-preset.ts, ./auto-preset.ts). */
export const AUTO = 'auto';

export interface TrainFlags extends ModelFlags, TrainingFlags {
  iterations?: string;
  seconds?: string;
  out?: string;
  saveEvery?: string;
  resume?: string;
  sampleEvery?: string;
  sampleLength?: string;
  printEvery?: string;
  threads?: string;
  preset?: string;
  bestOut?: string;
  lrSchedule?: string;
  json?: boolean;
  force?: boolean;
}

export interface RunFlags {
  iterations?: number;
  seconds?: number;
  saveEvery: number;
  sampleEvery: number;
  sampleLength: number;
  printEvery: number;
  threads?: number;
  lrSchedule?: LrSchedule; // given (or the preset's); otherwise a resumed run continues its checkpoint's schedule
}

/** What --preset names: a preset's settings, auto (chosen once the text is read: autoSettings in train.ts), or none. */
export type PresetChoice = PresetSettings | typeof AUTO | null;

export function presetFromFlags(flags: TrainFlags): PresetChoice {
  if (flags.preset === undefined) return null;
  const named = flags.preset === AUTO ? AUTO : findPreset(flags.preset)?.settings;
  if (named === undefined) throw new UsageError(`--preset must be one of ${[...PRESETS.map((p) => p.name), AUTO].join(', ')}; got ${JSON.stringify(flags.preset)}.`);
  if (flags.resume !== undefined) throw new UsageError('--preset starts a new run; a resumed run keeps the checkpoint\'s settings (leave out --preset).');
  if (named === AUTO && flags.seconds === undefined && flags.iterations === undefined) {
    throw new UsageError('--preset auto sizes the model to the time or iterations it has: add --seconds or --iterations.');
  }
  return named;
}

/** The schedule: --lr-schedule, else the preset's (auto's: cosine); a preset's runs over a budget, so without one the rate stays. */
function scheduleOf(flags: TrainFlags, preset: PresetChoice, note: (line: string) => void): LrSchedule | undefined {
  if (flags.lrSchedule !== undefined) return parseChoice('--lr-schedule', flags.lrSchedule, LR_SCHEDULES);
  if (preset === null) return undefined; // a resumed run continues its checkpoint's schedule
  if (preset === AUTO) return 'cosine';
  if (preset.lrSchedule !== 'constant' && flags.seconds === undefined && flags.iterations === undefined) {
    note(`the preset's ${preset.lrSchedule} learning-rate schedule runs over a budget: without --seconds or --iterations the rate stays ${flags.lr ?? preset.learningRate}`);
    return 'constant';
  }
  return preset.lrSchedule;
}

export function parseRunFlags(flags: TrainFlags, preset: PresetChoice = null, note: (line: string) => void = () => {}): RunFlags {
  const run: RunFlags = {
    iterations: flags.iterations === undefined ? undefined : parseLimited('--iterations', flags.iterations, 'stopIterations'),
    seconds: flags.seconds === undefined ? undefined : parseDecimal('--seconds', flags.seconds),
    saveEvery: flags.saveEvery === undefined ? 0 : parseInteger('--save-every', flags.saveEvery, 0),
    sampleEvery: flags.sampleEvery === undefined ? RUN_DEFAULTS.sampleEvery : parseInteger('--sample-every', flags.sampleEvery, 0),
    sampleLength: flags.sampleLength === undefined ? RUN_DEFAULTS.sampleLength : parseLimited('--sample-length', flags.sampleLength, 'sampleLength'),
    printEvery: flags.printEvery === undefined ? 100 : parseInteger('--print-every', flags.printEvery, 0),
    threads: flags.threads === undefined ? undefined : parseLimited('--threads', flags.threads, 'threads'),
    lrSchedule: scheduleOf(flags, preset, note),
  };
  if (run.lrSchedule !== undefined && run.lrSchedule !== 'constant' && run.seconds === undefined && run.iterations === undefined) {
    throw new UsageError(`--lr-schedule ${run.lrSchedule} runs over a budget: add --seconds or --iterations.`);
  }
  if (run.seconds !== undefined && !(run.seconds > 0)) throw new UsageError(`--seconds must be above 0; got ${flags.seconds}.`);
  if (run.saveEvery > 0 && flags.out === undefined) throw new UsageError('--save-every needs --out FILE to save to.');
  if (flags.bestOut !== undefined && flags.out !== undefined && flags.bestOut === flags.out) throw new UsageError('--best-out must be another file than --out.');
  return run;
}

/**
 * Whether the run measures validation (--sample-every above 0 and a validation part of at least 2
 * characters); --best-out needs it. The one place that checks it, once the corpus is split.
 */
export function requireValidationForBestOut(flags: TrainFlags, run: RunFlags, validationChars: number): boolean {
  const validates = run.sampleEvery > 0 && validationChars >= 2;
  if (flags.bestOut !== undefined && !validates) {
    throw new UsageError('--best-out needs validation: a --val-fraction above 0 and --sample-every above 0.');
  }
  return validates;
}

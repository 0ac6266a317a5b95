// Runtime checks at the process boundaries: zod schemas for every request argument from the renderer
// (specific messages, 'invalid-request'), and light envelope checks for worker commands and events.
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { CELL_TYPES, LIMITS, limitRule, OPTIMIZERS, withinLimit, type LimitName, type TrainConfig } from '../../core/config.js';
import { LR_SCHEDULES } from '../../core/presets.js';
import type { Hyperparameters, ModelShape, RequestChannel, Requests, RunSettings } from './api.js';
import { MODEL_DEFAULTS, TRAINING_DEFAULTS } from './defaults.js';
import { ApiError } from './api-error.js';

// ---- building blocks: each says what it wants and shows what it got ----

function shown(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

function check<T>(rule: string, ok: (v: unknown) => boolean) {
  return z.custom<T>(ok, { error: (issue) => `must be ${rule}; got ${shown(issue.input)}` });
}

/** A number within core's LIMITS[name]: the same rule, in the same words, as the engine and the form. */
const limited = (name: LimitName) => check<number>(limitRule(LIMITS[name]), (v) => withinLimit(LIMITS[name], v));

const bool = check<boolean>('true or false', (v) => typeof v === 'boolean');

const text = (maxLength: number) =>
  check<string>(`a string of at most ${maxLength} characters`, (v) => typeof v === 'string' && v.length <= maxLength);

const oneOf = <T extends string>(values: readonly T[]) =>
  check<T>(`one of ${values.map((x) => JSON.stringify(x)).join(', ')}`, (v) => typeof v === 'string' && values.includes(v as T));

/** What a file token looks like: main makes them (main/services/file-grants.ts); the page only passes them back. */
export const FILE_TOKEN_PATTERN = /^file-[0-9a-f]{32}$/;
const fileToken = check<string>('a file token the app handed out (the page names files by token, never by path)',
  (v) => typeof v === 'string' && FILE_TOKEN_PATTERN.test(v));

const MAX_PATH = 4096;
const absolutePath = check<string>('an absolute file path',
  (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_PATH && !v.includes('\0') && isAbsolute(v));

/** A file name for a save dialog's default: no folders, no control characters. */
const fileName = check<string>('a file name without folders (1 to 255 characters)',
  (v) => typeof v === 'string' && v.length >= 1 && v.length <= 255 && !/[\\/\0-\x1f]/.test(v) && v !== '.' && v !== '..');

function object<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, {
    error: (issue) => issue.code === 'unrecognized_keys'
      ? `has unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
      : `must be an object; got ${shown(issue.input)}`,
  });
}

/** Channels without an argument take null; undefined (an invoke with no argument) is read as null. */
const noArgument = z.custom<null>((v) => v === null || v === undefined,
  { error: (issue) => `must be null (this request takes no argument); got ${shown(issue.input)}` }).transform(() => null);

// ---- the request arguments ----

export const MAX_TEXT_FILE_LENGTH = 64 * 1024 * 1024;
export const MAX_PNG_DATA_URL_LENGTH = 64 * 1024 * 1024;
const PNG_DATA_URL_PREFIX = 'data:image/png;base64,';

const stopAfter = z.discriminatedUnion('kind', [
  object({ kind: z.literal('never') }),
  object({ kind: z.literal('iterations'), value: limited('stopIterations') }),
  object({ kind: z.literal('minutes'), value: limited('stopMinutes') }),
], {
  // an object with an unknown kind is reported at stopAfter.kind; anything else at stopAfter
  error: (issue) => isPlainObject(issue.input)
    ? `must be "never", "iterations" or "minutes"; got ${shown(issue.input.kind)}`
    : `must be {kind: "never"}, {kind: "iterations", value} or {kind: "minutes", value}; got ${shown(issue.input)}`,
});

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every field of core's two configs is a choice listed here or a number with a LIMITS entry. */
const CHOICES = { cell: CELL_TYPES, optimizer: OPTIMIZERS } as const;
type Unchecked = Exclude<keyof ModelShape | keyof TrainConfig, keyof typeof CHOICES | LimitName>;
// a config field that is neither fails to compile here, naming the field
const everyFieldChecked: [Unchecked] extends [never] ? true : Unchecked = true;
void everyFieldChecked;

/**
 * One of core's configs, field by field from its defaults: a number is checked against LIMITS (a numeric field
 * without a LIMITS entry is a type error at CHOICES below), a choice against its list. A field added to core's
 * config, its defaults and LIMITS is validated here with no line written for it.
 */
function configSchema<T extends object>(defaults: T) {
  const shape: Record<string, z.ZodType> = {};
  for (const key of Object.keys(defaults) as (keyof T & string)[]) {
    shape[key] = key in CHOICES ? oneOf(CHOICES[key as keyof typeof CHOICES]) : limited(key as LimitName);
  }
  return object(shape);
}

const runSettings = object({
  stopAfter,
  sampleEvery: limited('sampleEvery'),
  sampleLength: limited('sampleLength'),
  autosaveMinutes: limited('autosaveMinutes'),
  keepBest: bool.optional(),
  lrSchedule: oneOf(LR_SCHEDULES).optional(),
  threads: limited('threads').optional(),
}) satisfies z.ZodType<RunSettings>;

const modelSchema = configSchema<ModelShape>(MODEL_DEFAULTS);
const trainingSchema = configSchema<TrainConfig>(TRAINING_DEFAULTS);

export const hyperparametersSchema: z.ZodType<Hyperparameters> = object({
  model: modelSchema as unknown as z.ZodType<ModelShape>,
  training: trainingSchema as unknown as z.ZodType<TrainConfig>,
  run: runSettings,
});

/** Some of a run's model and training settings: the CLI's flags, each field given checked as in the whole shape. */
export interface SettingsPatch {
  model: Partial<ModelShape>;
  training: Partial<TrainConfig>;
}

const settingsPatchSchema = object({
  model: modelSchema.partial() as unknown as z.ZodType<Partial<ModelShape>>,
  training: trainingSchema.partial() as unknown as z.ZodType<Partial<TrainConfig>>,
});

export type PatchCheck =
  | { ok: true; value: SettingsPatch }
  | { ok: false; section: keyof SettingsPatch; key: string; message: string }; // message: "must be ...; got ..."

/**
 * The CLI's model and training flags, checked by the rule main applies to the app's requests (the same schema,
 * field for field): the patch, or the first field that is off, for the caller to name by its flag.
 */
export function checkSettingsPatch(patch: SettingsPatch): PatchCheck {
  const result = settingsPatchSchema.safeParse(patch);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const [section, key] = issue.path.map(String);
  return { ok: false, section: section as keyof SettingsPatch, key: key ?? '', message: issue.message };
}

const sampleRequest = object({
  prime: text(LIMITS.primeLength.max),
  length: limited('samplerLength'),
  temperature: limited('temperature'),
  topK: limited('topK'),
  argmax: bool,
  seed: limited('samplerSeed'),
});

// ---- the Inspect view (main/contract/inspect.ts) ----

export const MAX_INSPECT_TEXT = 200_000;   // characters of surprisal per request
export const MAX_UNITS_TEXT = 20_000;      // characters of hidden-unit activations per request
export const MAX_COPY_SAMPLE = 200_000;

const whole = (min: number, max: number) =>
  check<number>(`a whole number from ${min} to ${max}`, (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max);

const orNullToken = check<string | null>('null or a file token the app handed out (the page names files by token, never by path)',
  (v) => v === null || (typeof v === 'string' && FILE_TOKEN_PATTERN.test(v)));

const surprisalRequest = object({
  text: check<string | null>(`null or a string of at most ${MAX_INSPECT_TEXT} characters`,
    (v) => v === null || (typeof v === 'string' && v.length <= MAX_INSPECT_TEXT)),
  corpus: orNullToken,
  topK: whole(1, 10),
  skipUnknown: bool.optional(),
});

const unitsRequest = object({
  text: text(MAX_UNITS_TEXT),
  part: oneOf(['h', 'c'] as const),
  unit: object({ layer: whole(0, LIMITS.layers.max - 1), unit: whole(0, LIMITS.hiddenSize.max - 1) }).nullable(),
  rank: bool,
});

const copiesRequest = object({
  sample: text(MAX_COPY_SAMPLE),
  corpus: orNullToken,
  minLength: whole(12, 10_000),
});

const temperatureStripRequest = object({
  prime: text(LIMITS.primeLength.max),
  length: whole(1, 2000),
  seed: limited('samplerSeed'),
  temperatures: z.array(limited('temperature'), { error: 'must be an array of temperatures' }).min(1).max(6),
});

const pngDataUrl = check<string>(`a "${PNG_DATA_URL_PREFIX}..." URL of at most ${MAX_PNG_DATA_URL_LENGTH} characters`,
  (v) => typeof v === 'string' && v.length <= MAX_PNG_DATA_URL_LENGTH && v.startsWith(PNG_DATA_URL_PREFIX) &&
    /^[A-Za-z0-9+/]*={0,2}$/.test(v.slice(PNG_DATA_URL_PREFIX.length)));

type ArgSchemas = { [C in RequestChannel]: z.ZodType<Requests[C]['arg'], unknown> };

export const requestSchemas: ArgSchemas = {
  'corpus:open-dialog': noArgument,
  'corpus:open-file': object({ token: fileToken }),
  'file:register-drop': object({ path: absolutePath }),
  'settings:get': noArgument,
  'settings:set-hyperparameters': hyperparametersSchema,
  'training:start': object({ corpus: fileToken, hyperparameters: hyperparametersSchema, resume: bool.optional() }),
  'preset:auto': object({
    corpus: fileToken,
    stopAfter: z.discriminatedUnion('kind', [
      object({ kind: z.literal('iterations'), value: limited('stopIterations') }),
      object({ kind: z.literal('minutes'), value: limited('stopMinutes') }),
    ], {
      error: (issue) => isPlainObject(issue.input)
        ? `must be "iterations" or "minutes" (Auto sizes the model to a budget); got ${shown(issue.input.kind)}`
        : `must be {kind: "iterations", value} or {kind: "minutes", value}; got ${shown(issue.input)}`,
    }),
    valFraction: limited('valFraction'),
    threads: limited('threads').optional(),
  }),
  'training:pause': noArgument,
  'training:resume': noArgument,
  'training:stop': noArgument,
  'training:status': noArgument,
  'training:restore-autosave': noArgument,
  'training:history': noArgument,
  'sampler:sample': sampleRequest,
  'checkpoint:save-as': noArgument,
  'checkpoint:save-best-as': noArgument,
  'checkpoint:open-dialog': noArgument,
  'checkpoint:open-file': object({ token: fileToken }),
  'checkpoint:compare-dialog': noArgument,
  'checkpoint:export': object({ format: oneOf(['native', 'safetensors', 'html', 'onnx'] as const) }),
  'file:save-text': object({ suggestedName: fileName, text: text(MAX_TEXT_FILE_LENGTH) }),
  'file:save-png': object({ suggestedName: fileName, dataUrl: pngDataUrl }),
  'inspect:surprisal': surprisalRequest,
  'inspect:units': unitsRequest,
  'inspect:copies': copiesRequest,
  'inspect:temperatures': temperatureStripRequest,
};

export function isRequestChannel(channel: unknown): channel is RequestChannel {
  return typeof channel === 'string' && Object.hasOwn(requestSchemas, channel);
}

/** The argument, checked and typed; otherwise an 'invalid-request' ApiError naming the channel and the field. */
export function validateRequest<C extends RequestChannel>(channel: C, arg: unknown): Requests[C]['arg'];
export function validateRequest(channel: unknown, arg: unknown): unknown;
export function validateRequest(channel: unknown, arg: unknown): unknown {
  if (!isRequestChannel(channel)) {
    throw new ApiError('invalid-request', `Unknown request channel ${shown(channel)}.`);
  }
  const result = requestSchemas[channel].safeParse(arg);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the argument';
  throw new ApiError('invalid-request', `${channel}: ${where} ${issue.message}.`);
}

/** Hyperparameters read from somewhere untrusted (the settings file): the value, or null if anything is off. */
export function parseHyperparameters(v: unknown): Hyperparameters | null {
  const r = hyperparametersSchema.safeParse(v);
  return r.success ? r.data : null;
}

// ---- worker messages: checked without zod, so the worker bundle stays small ----

export { parseWorkerCommand, parseWorkerEvent } from './worker-messages.js';

// One table of limits: the engine, main's request schemas and the app's form accept and refuse the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, limitRule, SEED_MODEL, SEED_TRAINING, validateModelConfig, validateTrainConfig, withinLimit, type Limit } from '../../../core/config.js';
import { validateSampleOptions } from '../../../core/sampler.js';
import { Vocabulary } from '../../../core/vocab.js';
import type { Hyperparameters } from '../../../main/contract/api.js';
import { DEFAULT_HYPERPARAMETERS, sectionOf } from '../../../main/contract/defaults.js';
import { parseHyperparameters, requestSchemas } from '../../../main/contract/validate.js';
import { draftFrom, FIELDS, validateDraft } from '../../../renderer/src/lib/hyperparameters.js';

/** The values at and just past each end of a limit. */
function edges(l: Limit): { inside: number[]; outside: number[] } {
  const step = l.whole ? 1 : Math.max(1e-9, (l.max - l.min) * 1e-6);
  return {
    inside: [l.minExclusive ? l.min + step : l.min, l.max],
    outside: [l.minExclusive ? l.min : l.min - step, l.max + step, NaN, Infinity, ...(l.whole ? [l.min + 0.5] : [])],
  };
}

/** Every numeric setting the form has: the table the form, and this test, are built from. */
const FORM_FIELDS = FIELDS.map((f) => f.key);

function engineAccepts(field: string, v: number): boolean {
  try {
    if (sectionOf(field) === 'model') validateModelConfig({ ...SEED_MODEL, vocabSize: 5, [field]: v });
    else validateTrainConfig({ ...SEED_TRAINING, [field]: v });
    return true;
  } catch {
    return false;
  }
}

function formAccepts(field: string, v: number): boolean {
  const draft = draftFrom(DEFAULT_HYPERPARAMETERS);
  draft.text[field as keyof typeof draft.text] = String(v);
  return validateDraft(draft).value !== null;
}

test('every hyperparameter: the engine, the request schema and the form agree at the edges of its limit', () => {
  assert.ok(FORM_FIELDS.includes('learningRate') && FORM_FIELDS.includes('sampleEvery') && FORM_FIELDS.length >= 13);
  const withValue = (field: string, v: number) => {
    const h = structuredClone(DEFAULT_HYPERPARAMETERS) as Hyperparameters;
    (h[sectionOf(field)] as unknown as Record<string, unknown>)[field] = v;
    return h;
  };
  for (const field of FORM_FIELDS) {
    const inEngine = sectionOf(field) !== 'run';
    const { inside, outside } = edges(LIMITS[field]);
    for (const v of inside) {
      assert.ok(parseHyperparameters(withValue(field, v)), `schema accepts ${field} ${v}`);
      assert.ok(formAccepts(field, v), `form accepts ${field} ${v}`);
      if (inEngine) assert.ok(engineAccepts(field, v), `engine accepts ${field} ${v}`);
    }
    for (const v of outside) {
      assert.equal(parseHyperparameters(withValue(field, v)), null, `schema refuses ${field} ${v}`);
      assert.equal(formAccepts(field, v), false, `form refuses ${field} ${v}`);
      if (inEngine) assert.equal(engineAccepts(field, v), false, `engine refuses ${field} ${v}`);
    }
  }
});

test('the sampler: the engine and the request schema agree at the edges of each limit', () => {
  const vocab = Vocabulary.fromText('ab');
  const base = { prime: '', length: 10, temperature: 1, topK: 0, argmax: false, seed: 1 };
  const fields = { length: 'samplerLength', temperature: 'temperature', topK: 'topK', seed: 'samplerSeed' } as const;
  for (const [field, name] of Object.entries(fields)) {
    const { inside, outside } = edges(LIMITS[name]);
    const engine = (v: number) => { try { validateSampleOptions({ ...base, [field]: v }, vocab); return true; } catch { return false; } };
    const schema = (v: number) => requestSchemas['sampler:sample'].safeParse({ ...base, [field]: v }).success;
    for (const v of inside) assert.ok(engine(v) && schema(v), `${field} ${v} is accepted`);
    for (const v of outside) assert.ok(!engine(v) && !schema(v), `${field} ${v} is refused`);
  }
});

test('a limit reads the same in every message', () => {
  assert.equal(limitRule(LIMITS.learningRate), 'a number above 0 and at most 10');
  assert.equal(limitRule(LIMITS.stopIterations), 'a whole number from 1 to 1e12');
  assert.equal(limitRule(LIMITS.seed), 'a whole number from 0 to 4294967295');
  assert.throws(() => validateTrainConfig({ ...SEED_TRAINING, learningRate: 11 }), { message: 'learningRate must be a number above 0 and at most 10; got 11.' });
  assert.equal(withinLimit(LIMITS.layers, '2'), false, 'a string is never a number');
});

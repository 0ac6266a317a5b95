// The hyperparameter form's rules without a DOM: drafts to hyperparameters and back, every message a
// bad field gets, and the presets.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Hyperparameters } from '../../../main/contract/api.js';
import { DEFAULT_HYPERPARAMETERS } from '../../../main/contract/defaults.js';
import { hyperparametersSchema } from '../../../main/contract/validate.js';
import {
  continueNote, customNote, differencesFrom, draftFrom, draftWithModel, nearestPreset, draftWithPreset, matchingPreset, NUMERIC_FIELDS, OPTIONAL_FIELDS, PRESETS, SEED_HYPERPARAMETERS,
  validateDraft, type HyperparameterDraft, type NumericField, type Preset,
} from '../../../renderer/src/lib/hyperparameters.js';
import { withSettings } from '../../integration/shell-support.js';

const seed = (): Hyperparameters => structuredClone(DEFAULT_HYPERPARAMETERS) as Hyperparameters;

/** The seed's draft with some fields' text replaced (and a valid stop value when a stop is set). */
function draftWith(text: Partial<Record<NumericField, string>>, stopKind: HyperparameterDraft['stopKind'] = 'never'): HyperparameterDraft {
  const d = draftFrom(seed());
  return { ...d, stopKind, text: { ...d.text, stopValue: stopKind === 'never' ? '' : '1000', ...text } };
}

describe('renderer hyperparameters: draft and back', () => {
  test('the seed round-trips, and is what main uses by default', () => {
    assert.deepEqual(SEED_HYPERPARAMETERS, DEFAULT_HYPERPARAMETERS);
    const d = draftFrom(seed());
    assert.equal(d.text.hiddenSize, '100');
    assert.equal(d.text.learningRate, '0.1');
    assert.equal(d.text.stopValue, '', 'no stop: nothing to show');
    assert.deepEqual(validateDraft(d), { errors: {}, value: seed() });
  });

  test('every stop kind, cell and optimizer round-trips, and what passes here passes main too', () => {
    const cases: Hyperparameters[] = [
      withSettings(seed(), { stopAfter: { kind: 'iterations', value: 25_000 } }),
      withSettings(seed(), { stopAfter: { kind: 'minutes', value: 2.5 }, cell: 'gru', optimizer: 'adam', learningRate: 0.002 }),
      withSettings(seed(), { cell: 'lstm', layers: 3, batchSize: 16, valFraction: 0, clipValue: 0, clipNorm: 1.5, seed: 4294967295, autosaveMinutes: 0 }),
    ];
    for (const h of cases) {
      const { errors, value } = validateDraft(draftFrom(h));
      assert.deepEqual(errors, {});
      assert.deepEqual(value, h);
      assert.ok(hyperparametersSchema.safeParse(value).success, `main accepts ${JSON.stringify(h.run.stopAfter)}`);
    }
  });

  test('what people type: spaces, signs, exponents and bare decimal points are numbers', () => {
    const { errors, value } = validateDraft(draftWith({
      hiddenSize: ' 128 ', learningRate: '.05', clipValue: '5.', seqLength: '+50', sampleEvery: '1e3', valFraction: '2.5E-2',
    }));
    assert.deepEqual(errors, {});
    assert.equal(value!.model.hiddenSize, 128);
    assert.equal(value!.training.learningRate, 0.05);
    assert.equal(value!.training.clipValue, 5);
    assert.equal(value!.training.seqLength, 50);
    assert.equal(value!.run.sampleEvery, 1000);
    assert.equal(value!.training.valFraction, 0.025);
  });

  test('a stop value is only read when a stop is set', () => {
    assert.deepEqual(validateDraft(draftWith({ stopValue: 'rubbish' }, 'never')).value!.run.stopAfter, { kind: 'never' });
    assert.deepEqual(validateDraft(draftWith({ stopValue: '300' }, 'iterations')).value!.run.stopAfter, { kind: 'iterations', value: 300 });
    assert.deepEqual(validateDraft(draftWith({ stopValue: '0.5' }, 'minutes')).value!.run.stopAfter, { kind: 'minutes', value: 0.5 });
  });
});

describe('renderer hyperparameters: a message for every bad field', () => {
  const OUT_OF_RANGE: Record<NumericField, [text: string, message: string]> = {
    hiddenSize: ['4097', 'Hidden size must be a whole number from 1 to 4096'],
    layers: ['0', 'Layers must be a whole number from 1 to 16'],
    seqLength: ['10001', 'Sequence length must be a whole number from 1 to 10000'],
    batchSize: ['0', 'Batch size must be a whole number from 1 to 4096'],
    learningRate: ['0', 'Learning rate must be a number above 0 and at most 10'],
    clipValue: ['-1', 'Gradient clip must be a number from 0 to 1000000 (0 = off)'],
    clipNorm: ['1000001', 'Clip norm must be a number from 0 to 1000000 (0 = off)'],
    valFraction: ['0.6', 'Validation fraction must be a number from 0 to 0.5'],
    seed: ['4294967296', 'Training seed must be a whole number from 0 to 4294967295'],
    dropout: ['0.95', 'Dropout must be a number from 0 to 0.9 (0 = off)'],
    ema: ['1', 'Weight average must be a number from 0 to 0.99999 (0 = off)'],
    stopValue: ['0', 'Iterations must be a whole number from 1 to 1e12'],
    sampleEvery: ['0', 'Sample every must be a whole number from 1 to 1e9'],
    sampleLength: ['10001', 'Sample length must be a whole number from 0 to 10000 (0 = validation only)'],
    autosaveMinutes: ['1441', 'Autosave every must be a number from 0 to 1440 (0 = off)'],
    threads: ['257', 'Threads must be a whole number from 1 to 256 (empty = every core)'],
  };
  const LABELS: Record<NumericField, string> = {
    hiddenSize: 'Hidden size', layers: 'Layers', seqLength: 'Sequence length', batchSize: 'Batch size',
    learningRate: 'Learning rate', clipValue: 'Gradient clip', clipNorm: 'Clip norm', valFraction: 'Validation fraction',
    seed: 'Training seed', dropout: 'Dropout', ema: 'Weight average', stopValue: 'Iterations', sampleEvery: 'Sample every', sampleLength: 'Sample length',
    autosaveMinutes: 'Autosave every', threads: 'Threads',
  };

  test('out of range: each field names itself and its range, and nothing else is wrong', () => {
    assert.deepEqual(Object.keys(OUT_OF_RANGE).sort(), [...NUMERIC_FIELDS].sort(), 'every field is covered');
    for (const field of NUMERIC_FIELDS) {
      const [text, message] = OUT_OF_RANGE[field];
      const r = validateDraft(draftWith({ [field]: text }, 'iterations'));
      assert.deepEqual(r.errors, { [field]: message }, field);
      assert.equal(r.value, null, `${field}: no value while a field is invalid`);
    }
  });

  test('empty: "is required"; not a number, or a fraction where a whole number is due: the range message', () => {
    for (const field of NUMERIC_FIELDS) {
      const [, rangeMessage] = OUT_OF_RANGE[field];
      if (!OPTIONAL_FIELDS.includes(field)) {
        assert.equal(validateDraft(draftWith({ [field]: '  ' }, 'iterations')).errors[field], `${LABELS[field]} is required`);
      }
      for (const bad of ['abc', '1,5', '0x10', 'Infinity', 'NaN', '1e', '--1', '1e999']) {
        assert.equal(validateDraft(draftWith({ [field]: bad }, 'iterations')).errors[field], rangeMessage, `${field} = ${bad}`);
      }
    }
    for (const field of ['hiddenSize', 'layers', 'seqLength', 'batchSize', 'seed', 'stopValue', 'sampleEvery', 'sampleLength'] as const) {
      assert.equal(validateDraft(draftWith({ [field]: '2.5' }, 'iterations')).errors[field], OUT_OF_RANGE[field][1], `${field} = 2.5`);
    }
  });

  test('limits: the ends of each range are allowed, except where the message says "above"', () => {
    const ok = draftWith({
      hiddenSize: '4096', layers: '16', seqLength: '1', batchSize: '4096', learningRate: '10', clipValue: '0', clipNorm: '1000000',
      valFraction: '0.5', seed: '0', stopValue: '1000000000000', sampleEvery: '1', sampleLength: '10000', autosaveMinutes: '1440',
    }, 'iterations');
    assert.deepEqual(validateDraft(ok).errors, {});
    assert.equal(validateDraft(draftWith({ stopValue: '0' }, 'minutes')).errors.stopValue,
      'Minutes must be a number above 0 and at most 1000000');
    assert.equal(validateDraft(draftWith({ stopValue: '1000000' }, 'minutes')).errors.stopValue, undefined);
  });

  test('several bad fields: a message for each', () => {
    const r = validateDraft(draftWith({ hiddenSize: '', learningRate: '-1', stopValue: 'x' }, 'minutes'));
    assert.deepEqual(Object.keys(r.errors).sort(), ['hiddenSize', 'learningRate', 'stopValue']);
    assert.equal(r.errors.stopValue, 'Minutes must be a number above 0 and at most 1000000');
  });
});

describe('renderer hyperparameters: presets', () => {
  const mine = (): Hyperparameters => withSettings(seed(), {
    stopAfter: { kind: 'minutes', value: 30 }, sampleEvery: 250, sampleLength: 80, autosaveMinutes: 2, seed: 99, valFraction: 0.2, threads: 2, keepBest: true,
  });
  /** A preset's value for a key, wherever the hyperparameters keep it. */
  const valueIn = (h: Hyperparameters, key: string) => ({ ...h.model, ...h.training, ...h.run } as Record<string, unknown>)[key];

  test('each preset applies its model and optimisation, keeps the stop and cadences, and is then the matching one', () => {
    for (const preset of PRESETS) {
      const { errors, value: applied } = validateDraft(draftWithPreset(draftFrom(mine()), preset));
      assert.deepEqual(errors, {}, preset.id);
      for (const [key, value] of Object.entries(preset.values)) assert.deepEqual(valueIn(applied!, key), value, `${preset.id}.${key}`);
      assert.deepEqual(applied!.run, { ...mine().run, lrSchedule: preset.values.lrSchedule }, 'the run settings are the user\'s');
      assert.equal(applied!.training.seed, 99, 'the training seed is the user\'s');
      assert.equal(applied!.training.valFraction, 0.2);
      assert.equal(matchingPreset(applied)?.id, preset.id);
      assert.ok(hyperparametersSchema.safeParse(applied).success, preset.id);
    }
  });

  test('a preset never touches a field it does not set: the stop, the sampling, and what was typed, valid or not', () => {
    const typed: HyperparameterDraft = { ...draftFrom(mine()), stopKind: 'iterations' };
    typed.text = { ...typed.text, stopValue: '12,000', sampleEvery: 'abc', sampleLength: '', valFraction: '0.9', threads: '3', autosaveMinutes: '1e1' };
    assert.equal(validateDraft(typed).value, null, 'the draft has errors: the preset must not reset it to the seed');
    for (const preset of PRESETS) {
      const applied = draftWithPreset(typed, preset);
      const own = new Set(Object.keys(preset.values));
      for (const field of NUMERIC_FIELDS) {
        if (!own.has(field)) assert.equal(applied.text[field], typed.text[field], `${preset.id} keeps ${field} as typed`);
        else assert.equal(applied.text[field], String(valueIn(withSettings(seed(), preset.values), field)), `${preset.id} sets ${field}`);
      }
      assert.equal(applied.stopKind, 'iterations');
      assert.equal(applied.keepBest, true);
      assert.equal(applied.cell, preset.values.cell);
      assert.equal(applied.optimizer, preset.values.optimizer);
    }
    assert.equal(typed.text.hiddenSize, '100', 'the draft given is not changed');
  });

  test('an opened model replaces the model and training fields; the run\'s stay as typed', () => {
    const typed: HyperparameterDraft = { ...draftFrom(mine()), stopKind: 'minutes' };
    typed.text = { ...typed.text, stopValue: '7', sampleEvery: 'x' };
    const model = withSettings(seed(), { cell: 'lstm', hiddenSize: 32, learningRate: 0.01, batchSize: 8, sampleEvery: 5, autosaveMinutes: 9 });
    const adopted = draftWithModel(typed, model);
    assert.equal(adopted.cell, 'lstm');
    assert.equal(adopted.text.hiddenSize, '32');
    assert.equal(adopted.text.learningRate, '0.01');
    assert.equal(adopted.text.batchSize, '8');
    assert.equal(adopted.text.seed, '1', 'the model\'s seed');
    assert.deepEqual([adopted.stopKind, adopted.text.stopValue, adopted.text.sampleEvery, adopted.text.autosaveMinutes], ['minutes', '7', 'x', '2']);
  });

  test('matchingPreset: the seed by default; none once a preset value is changed, or without values', () => {
    assert.equal(matchingPreset(seed())?.id, 'seed');
    assert.equal(matchingPreset(withSettings(seed(), { stopAfter: { kind: 'iterations', value: 5 }, sampleEvery: 7 }))?.id, 'seed',
      'the stop and cadences are not part of a preset');
    assert.equal(matchingPreset(withSettings(seed(), { hiddenSize: 101 })), undefined);
    const second: Preset = PRESETS[1];
    assert.equal(matchingPreset(withSettings(withSettings(seed(), second.values), { learningRate: 0.003 })), undefined);
    assert.equal(matchingPreset(withSettings(seed(), second.values))?.id, second.id);
    assert.equal(matchingPreset(null), undefined);
  });

  test('preset ids are unique and each describes itself', () => {
    assert.equal(new Set(PRESETS.map((p) => p.id)).size, PRESETS.length);
    for (const p of PRESETS) assert.ok(p.label.length > 0 && p.description.length > 20, p.id);
  });
});

test('the Continue note names exactly the settings a continued model takes from the form', () => {
  const note = continueNote();
  for (const label of ['sequence length', 'learning rate', 'gradient clip', 'clip norm', 'validation fraction']) assert.ok(note.includes(label), label);
  assert.ok(!/hidden size|training seed|batch size and|sample/i.test(note.split('takes the')[1]), note);
});

describe('renderer hyperparameters: threads and keep best', () => {
  test('Threads empty is every core (no value sent); a number within the limit is sent; keep best round-trips', () => {
    const d = draftFrom(seed());
    assert.equal(d.text.threads, '');
    assert.equal(d.keepBest, false);
    const empty = validateDraft(d);
    assert.deepEqual(empty.errors, {});
    assert.equal('threads' in empty.value!.run, false, 'empty: the worker uses every core');
    assert.equal('keepBest' in empty.value!.run, false, 'off by default');
    const set = validateDraft({ ...d, keepBest: true, text: { ...d.text, threads: '2' } }).value!;
    assert.equal(set.run.threads, 2);
    assert.equal(set.run.keepBest, true);
    assert.ok(hyperparametersSchema.safeParse(set).success);
    assert.deepEqual(draftFrom(set).text.threads, '2');
    assert.equal(draftFrom(set).keepBest, true);
    assert.deepEqual(validateDraft({ ...d, text: { ...d.text, threads: '0' } }).errors,
      { threads: 'Threads must be a whole number from 1 to 256 (empty = every core)' });
  });
});

describe('renderer hyperparameters: what "Custom" means', () => {
  test('the note names each changed setting with the nearest preset\'s value', () => {
    const d = draftWith({ hiddenSize: '128' });
    assert.equal(matchingPreset(validateDraft(d).value), undefined, 'no preset matches');
    assert.equal(customNote(d), 'Custom: hidden size 128 (preset 100). Nearest preset: Seed (min-char-rnn).');
    const typed = { ...draftWith({ hiddenSize: 'abc', learningRate: '0.05' }), cell: 'gru' as const };
    const { preset, differences } = nearestPreset(typed);
    assert.equal(preset.id, 'seed');
    assert.deepEqual(differences, [
      { label: 'model type', typed: 'gru', preset: 'rnn' },
      { label: 'hidden size', typed: 'abc', preset: '100' },
      { label: 'learning rate', typed: '0.05', preset: '0.1' },
    ]);
  });

  test('the nearest preset is the one with the fewest differences; numbers compare by value', () => {
    for (const p of PRESETS) assert.deepEqual(differencesFrom(draftWithPreset(draftFrom(seed()), p), p), [], p.id);
    const second = PRESETS[1];
    const near = draftWithPreset(draftFrom(seed()), second);
    near.text.learningRate = `${near.text.learningRate}0`; // "0.0080": the same number as typed differently
    assert.deepEqual(differencesFrom(near, second), []);
    near.text.hiddenSize = '64';
    assert.equal(nearestPreset(near).preset.id, second.id);
    assert.match(customNote(near), /^Custom: hidden size 64 \(preset 128\)\. Nearest preset: /);
    near.text.layers = '3'; near.text.seqLength = '7'; near.text.clipValue = '1';
    assert.match(customNote(near), /^Custom: hidden size 64 \(preset 128\), layers 3 \(preset 1\), sequence length 7 \(preset 50\) and 1 more\. /);
  });
});

// The CLI's model and training flags: parsed into the app's nested shape, checked by the contract's own schema
// (the message is the app's, named by the flag), laid over a preset, the seed or a checkpoint without a reparse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRunSettings, resumeSettings, settingsFromFlags } from '../../../main/cli/settings-flags.js';
import { UsageError } from '../../../main/cli/fail.js';
import { defaultHyperparameters, MODEL_DEFAULTS, TRAINING_DEFAULTS } from '../../../main/contract/defaults.js';
import { validateRequest } from '../../../main/contract/validate.js';
import { findPreset } from '../../../core/presets.js';
import { SEED_MODEL, SEED_TRAINING } from '../../../core/config.js';

/** What main says of this training field at its boundary, without the channel and the field's path. */
function appRule(field: string, value: unknown): string {
  const settings = defaultHyperparameters();
  (settings.training as unknown as Record<string, unknown>)[field] = value;
  try {
    validateRequest('settings:set-hyperparameters', settings);
  } catch (e) {
    return (e as Error).message.replace(`settings:set-hyperparameters: training.${field} `, '');
  }
  throw new Error(`the app took ${field} = ${String(value)}`);
}

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof UsageError, `a usage error, not ${String(e)}`);
    return e.message;
  }
  throw new Error('no error');
}

test('flags parse into the nested shape, only the ones given', () => {
  assert.deepEqual(settingsFromFlags({ model: 'lstm', hidden: '64', lr: '0.05', dropout: '.25' }), {
    model: { cell: 'lstm', hiddenSize: 64 },
    training: { learningRate: 0.05, dropout: 0.25 },
  });
  assert.deepEqual(settingsFromFlags({}), { model: {}, training: {} });
});

test('a value out of range is refused with the rule main applies to the app, named by its flag', () => {
  for (const [flag, name, field, raw, value] of [
    ['--lr', 'lr', 'learningRate', '0', 0],
    ['--lr', 'lr', 'learningRate', '11', 11],
    ['--val-fraction', 'valFraction', 'valFraction', '0.9', 0.9],
    ['--batch', 'batch', 'batchSize', '0', 0],
    ['--seed', 'seed', 'seed', '-1', -1],
  ] as const) {
    const message = usageError(() => settingsFromFlags({ [name]: raw }));
    assert.equal(message, `${flag} ${appRule(field, value)}`, flag);
  }
  assert.equal(usageError(() => settingsFromFlags({ hidden: '0' })), '--hidden must be a whole number from 1 to 4096; got 0.');
  assert.equal(usageError(() => settingsFromFlags({ optimizer: 'sgd' })), `--optimizer ${appRule('optimizer', 'sgd')}`);
});

test('text that is no number of the field\'s kind is refused before any range', () => {
  assert.equal(usageError(() => settingsFromFlags({ hidden: '12abc' })), '--hidden must be a whole number; got "12abc".');
  assert.equal(usageError(() => settingsFromFlags({ seqLength: '1e3' })), '--seq-length must be a whole number; got "1e3".');
  assert.equal(usageError(() => settingsFromFlags({ lr: 'NaN' })), '--lr must be a number; got "NaN".');
  assert.equal(usageError(() => settingsFromFlags({ lr: '' })), '--lr must be a number; got "".');
});

test('a new run: the flags over the seed, or over a preset, which stays numbers', () => {
  assert.deepEqual(newRunSettings(settingsFromFlags({})), { model: MODEL_DEFAULTS, training: TRAINING_DEFAULTS });
  const preset = findPreset('gru-128-cosine')!.settings;
  const { model, training } = newRunSettings(settingsFromFlags({ lr: '0.003' }), preset);
  assert.deepEqual(model, { ...SEED_MODEL, cell: preset.cell, hiddenSize: preset.hiddenSize, layers: preset.layers });
  assert.equal(training.learningRate, 0.003, 'the flag wins');
  assert.equal(training.seqLength, preset.seqLength);
  assert.equal(training.optimizer, preset.optimizer);
  assert.equal(training.valFraction, SEED_TRAINING.valFraction, 'what a preset leaves out is the seed\'s');
  assert.ok(Object.isFrozen(training));
});

test('a resumed run: changeable flags become changes, the others must match the checkpoint', () => {
  const checkpoint = { model: { ...SEED_MODEL, vocabSize: 30 }, training: SEED_TRAINING };
  const same = resumeSettings(settingsFromFlags({ hidden: String(SEED_MODEL.hiddenSize), lr: String(SEED_TRAINING.learningRate) }), checkpoint);
  assert.deepEqual(same, { changes: {}, conflicts: [], described: [] }, 'values equal to the checkpoint\'s are no change');
  const r = resumeSettings(settingsFromFlags({ lr: '0.05', ema: '0.99', hidden: '50', batch: '4' }), checkpoint);
  assert.deepEqual(r.changes, { learningRate: 0.05, ema: 0.99 });
  assert.deepEqual(r.described, [`learning rate ${SEED_TRAINING.learningRate} → 0.05`, 'weight average decay 0 → 0.99']);
  assert.deepEqual(r.conflicts, [
    `--hidden 50 (the checkpoint has hidden size ${SEED_MODEL.hiddenSize})`,
    `--batch 4 (the checkpoint has batch size ${SEED_TRAINING.batchSize})`,
  ]);
});

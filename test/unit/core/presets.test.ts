// core's presets: the one list the CLI's --preset and the app's form read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_MODEL, SEED_TRAINING, validateModelConfig, validateTrainConfig } from '../../../core/config.js';
import { findPreset, PRESET_SETTING_KEYS, PRESETS, presetJson } from '../../../core/presets.js';

test('preset names are unique, each describes itself, and its settings pass core\'s validation', () => {
  assert.equal(new Set(PRESETS.map((p) => p.name)).size, PRESETS.length);
  for (const p of PRESETS) {
    assert.match(p.name, /^[a-z0-9-]+$/, 'a name to type after --preset');
    assert.ok(p.label.length > 0 && p.description.length > 20, p.name);
    assert.deepEqual(Object.keys(p.settings).sort(), [...PRESET_SETTING_KEYS].sort(), p.name);
    const { cell, hiddenSize, layers, ...training } = p.settings;
    assert.doesNotThrow(() => validateModelConfig({ cell, hiddenSize, layers, vocabSize: 65 }), p.name);
    assert.doesNotThrow(() => validateTrainConfig({ ...SEED_TRAINING, ...training }), p.name);
    assert.equal(findPreset(p.name), p);
  }
  assert.equal(findPreset('no-such-preset'), undefined);
});

test('the seed preset is the seed\'s settings; presets cannot be changed in place', () => {
  const seed = findPreset('seed')!;
  assert.equal(seed.settings.cell, SEED_MODEL.cell);
  assert.equal(seed.settings.hiddenSize, SEED_MODEL.hiddenSize);
  assert.equal(seed.settings.learningRate, SEED_TRAINING.learningRate);
  assert.equal(seed.settings.optimizer, SEED_TRAINING.optimizer);
  assert.ok(Object.isFrozen(PRESETS) && PRESETS.every((p) => Object.isFrozen(p) && Object.isFrozen(p.settings)));
});

test('presetJson is {name, label, description, ...settings}', () => {
  const p = PRESETS[1];
  assert.deepEqual(presetJson(p), { name: p.name, label: p.label, description: p.description, ...p.settings });
});

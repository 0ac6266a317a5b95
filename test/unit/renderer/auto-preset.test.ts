// The form's side of Auto without a DOM: a choice fills the model, optimisation and regularisers and keeps
// the run's own fields; the form recognises it only while it holds every value for the same budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AutoPresetChoice, Hyperparameters } from '../../../main/contract/api.js';
import { DEFAULT_HYPERPARAMETERS } from '../../../main/contract/defaults.js';
import { autoBudget, draftWithAuto, matchesAuto, type HeldAutoChoice } from '../../../renderer/src/lib/auto-preset.js';
import { draftFrom, validateDraft } from '../../../renderer/src/lib/hyperparameters.js';
import { withSettings } from '../../integration/shell-support.js';

const CHOICE: AutoPresetChoice = {
  settings: { cell: 'gru', hiddenSize: 192, layers: 1, seqLength: 50, batchSize: 16, optimizer: 'adam', learningRate: 0.0065, clipValue: 5, clipNorm: 0, lrSchedule: 'cosine' },
  dropout: 0.2, ema: 0.999, reason: '31k chars, … → GRU 192, dropout 0.2, EMA 0.999, …', measured: true,
};
const base = (): Hyperparameters => withSettings(structuredClone(DEFAULT_HYPERPARAMETERS) as Hyperparameters,
  { stopAfter: { kind: 'minutes', value: 5 }, sampleEvery: 300, sampleLength: 80, seed: 42 });

test('a choice fills what Auto sets and keeps the stop, the cadences and the seed', () => {
  const h = validateDraft(draftWithAuto(draftFrom(base()), CHOICE)).value!;
  assert.deepEqual([h.model.cell, h.model.hiddenSize, h.training.learningRate, h.training.batchSize, h.training.seqLength, h.training.optimizer],
    ['gru', 192, 0.0065, 16, 50, 'adam']);
  assert.deepEqual([h.training.dropout, h.training.ema, h.run.lrSchedule], [0.2, 0.999, 'cosine']);
  assert.deepEqual([h.run.stopAfter, h.run.sampleEvery, h.run.sampleLength, h.training.seed], [{ kind: 'minutes', value: 5 }, 300, 80, 42]);
});

test('the form is Auto only while it holds every value of the choice, for the budget it was asked for', () => {
  const held: HeldAutoChoice = { ...CHOICE, corpus: `file-${'a'.repeat(32)}`, stopAfter: { kind: 'minutes', value: 5 } };
  const h = validateDraft(draftWithAuto(draftFrom(base()), CHOICE)).value!;
  assert.equal(matchesAuto(h, held), true);
  assert.equal(matchesAuto(withSettings(h, { hiddenSize: 128 }), held), false, 'a field changed');
  assert.equal(matchesAuto(withSettings(h, { dropout: 0 }), held), false, 'a regulariser changed');
  assert.equal(matchesAuto(withSettings(h, { lrSchedule: 'constant' }), held), false, 'the schedule changed');
  const longer = withSettings(h, { stopAfter: { kind: 'minutes', value: 10 } });
  assert.equal(matchesAuto(longer, held), false, 'another budget: Auto is asked again');
  assert.equal(matchesAuto(longer, held, true), true, '…and recognised as its settings meanwhile');
  assert.equal(matchesAuto(h, null), false);
  assert.equal(matchesAuto(null, held), false);
});

test('Auto needs a budget: "Never" becomes one minute, a set stop is taken as it is', () => {
  assert.deepEqual(autoBudget(structuredClone(DEFAULT_HYPERPARAMETERS) as Hyperparameters), { kind: 'minutes', value: 1 });
  assert.deepEqual(autoBudget(withSettings(base(), { stopAfter: { kind: 'iterations', value: 3000 } })), { kind: 'iterations', value: 3000 });
});

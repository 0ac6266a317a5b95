// The Auto rule (core/auto-preset.ts) over the sizes and budgets it must cover: 30 KB to 100 MB, 1 to 10 minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUTO_DROPOUT, AUTO_EMA, AUTO_WIDTHS, autoDropout, autoLearningRate, autoPreset, DROPOUT_BELOW_CHARS, DROPOUT_BY_PASSES, EMA_BELOW_CHARS, MAX_PARAMS_PER_CHAR, MIN_CHARS_PER_PARAM,
  MIN_EPOCHS, trainingFlopsPerChar,
} from '../../../core/auto-preset.js';
import { SEED_TRAINING, validateModelConfig, validateTrainConfig } from '../../../core/config.js';
import { paramLayout } from '../../../core/layout.js';

const SIZES = [30e3, 100e3, 300e3, 1e6, 3e6, 10e6, 30e6, 100e6];
const MINUTES = [1, 2, 5, 10];
// 2e9 FLOP/s: about what the calibration measures on this project's 2-core machine under load
const SPEED = 2e9;
const params = (H: number, V: number) => paramLayout({ cell: 'gru', hiddenSize: H, layers: 1, vocabSize: V }).size;

test('every choice from 30 KB to 100 MB and 1 to 10 minutes is a valid GRU run with a cosine schedule over the budget', () => {
  for (const chars of SIZES) {
    for (const minutes of MINUTES) {
      const c = autoPreset({ trainChars: chars * 0.9, vocabSize: 90, budget: { seconds: minutes * 60 }, flopsPerSecond: SPEED });
      const { cell, hiddenSize, layers, lrSchedule, ...training } = c.settings;
      assert.doesNotThrow(() => validateModelConfig({ cell, hiddenSize, layers, vocabSize: 90 }));
      assert.doesNotThrow(() => validateTrainConfig({ ...SEED_TRAINING, ...training, dropout: c.dropout, ema: c.ema }));
      assert.ok((AUTO_WIDTHS as readonly number[]).includes(hiddenSize));
      assert.equal(lrSchedule, 'cosine');
      assert.equal(c.settings.learningRate, autoLearningRate(hiddenSize));
      assert.equal(c.ema, chars * 0.9 < EMA_BELOW_CHARS ? AUTO_EMA : 0, `${chars} chars: the weight average below 500k`);
      assert.equal(c.dropout, autoDropout(chars * 0.9, c.plannedEpochs), `${chars} chars: dropout on a small text or many passes`);
      assert.equal(c.validationShare, 0.05, 'validation at most 5% of the time');
      const expectedChars = minutes * 60 * SPEED / trainingFlopsPerChar(hiddenSize, 90);
      assert.ok(Math.abs(c.plannedChars - expectedChars) < 1e-6 * expectedChars, 'the budget at the measured speed');
      assert.match(c.reason, new RegExp(`^\\d+M? ?k? ?chars|^[\\d.]+[kM] chars`), c.reason);
      assert.match(c.reason, new RegExp(`${minutes * 60} s, ~[\\d.]+[kM]? chars/s here → GRU ${hiddenSize}, ${c.dropout > 0 ? `dropout ${c.dropout}, ` : ''}${c.ema > 0 ? 'EMA 0.999, ' : ''}Adam [\\d.]+ cosine`), c.reason);
    }
  }
});

test('a small text gets the widest model that fits it and sees it often enough; a longer budget never a narrower one', () => {
  for (const chars of SIZES) {
    let previous = 0;
    for (const minutes of MINUTES) {
      const c = autoPreset({ trainChars: chars, vocabSize: 90, budget: { seconds: minutes * 60 }, flopsPerSecond: SPEED });
      const H = c.settings.hiddenSize;
      assert.ok(H >= previous, `${chars} chars, ${minutes} min: ${H} after ${previous}`);
      previous = H;
      if (H !== AUTO_WIDTHS[0]) {
        assert.ok(params(H, 90) <= MAX_PARAMS_PER_CHAR * chars, 'no more parameters than the text can hold without a regulariser');
        assert.ok(c.plannedEpochs >= MIN_EPOCHS || c.plannedChars >= MIN_CHARS_PER_PARAM * params(H, 90), 'enough training for its size');
      }
      // the next width up would break one of the two
      const wider = AUTO_WIDTHS[AUTO_WIDTHS.indexOf(H as typeof AUTO_WIDTHS[number]) + 1];
      if (wider !== undefined) {
        const widerChars = minutes * 60 * SPEED / trainingFlopsPerChar(wider, 90);
        const widerOk = params(wider, 90) <= MAX_PARAMS_PER_CHAR * chars &&
          (widerChars >= MIN_EPOCHS * chars || widerChars >= MIN_CHARS_PER_PARAM * params(wider, 90));
        assert.ok(!widerOk, `${chars} chars, ${minutes} min: ${wider} would also do`);
      }
    }
  }
  const small = autoPreset({ trainChars: 27_000, vocabSize: 80, budget: { seconds: 60 }, flopsPerSecond: SPEED });
  const large = autoPreset({ trainChars: 90e6, vocabSize: 200, budget: { seconds: 60 }, flopsPerSecond: SPEED });
  assert.ok(small.plannedEpochs > 10 && large.plannedEpochs < 1, 'a small text is seen many times in a minute, a large one not once');
});

test('an iteration budget does not depend on the speed; no budget or no text is refused', () => {
  const a = autoPreset({ trainChars: 1e6, vocabSize: 90, budget: { iterations: 3000 }, flopsPerSecond: 1e8 });
  const b = autoPreset({ trainChars: 1e6, vocabSize: 90, budget: { iterations: 3000 }, flopsPerSecond: 1e11 });
  assert.deepEqual(a.settings, b.settings);
  assert.equal(a.plannedChars, 3000 * 16 * 50);
  assert.match(a.reason, /3000 iterations → GRU/);
  assert.throws(() => autoPreset({ trainChars: 1e6, vocabSize: 90, budget: {}, flopsPerSecond: SPEED }), /budget/);
  assert.throws(() => autoPreset({ trainChars: 0, vocabSize: 90, budget: { seconds: 60 }, flopsPerSecond: SPEED }), /text/);
});

test('the regularisers: EMA 0.999 below 500k training characters, dropout on a small text or by the passes the budget buys, each named in the reason', () => {
  for (const minutes of MINUTES) {
    const budget = { seconds: minutes * 60 };
    const at = (trainChars: number) => autoPreset({ trainChars, vocabSize: 80, budget, flopsPerSecond: SPEED });
    const small = at(27_000), justUnder = at(DROPOUT_BELOW_CHARS - 1), atLimit = at(DROPOUT_BELOW_CHARS);
    const belowEma = at(EMA_BELOW_CHARS - 1), atEma = at(EMA_BELOW_CHARS), huge = at(90e6);
    const all = [small, justUnder, atLimit, belowEma, atEma, huge];
    assert.deepEqual(all.map((c) => c.ema), [0.999, 0.999, 0.999, 0.999, 0, 0], `${minutes} min`);
    assert.ok(small.dropout >= AUTO_DROPOUT && justUnder.dropout >= AUTO_DROPOUT, 'a small text always gets dropout');
    for (const c of all) assert.equal(c.dropout, autoDropout(c.plannedChars / c.plannedEpochs, c.plannedEpochs));
    assert.match(small.reason, new RegExp(`→ GRU \\d+, dropout ${small.dropout}, EMA 0\\.999, Adam`), small.reason);
    assert.equal(huge.dropout, 0, 'a huge text is seen less than once');
    assert.match(huge.reason, /→ GRU \d+, Adam/, huge.reason);
    assert.doesNotMatch(huge.reason, /dropout|EMA/);
  }
  // an iteration budget: the passes are the iterations' characters over the text's, whatever the speed
  const byIterations = autoPreset({ trainChars: 30_000, vocabSize: 80, budget: { iterations: 200 }, flopsPerSecond: 1 });
  assert.deepEqual([byIterations.dropout, byIterations.ema], [0.2, 0.999], 'a small text seen 5 times: the small text\'s 0.2');
});

test('dropout by passes: none below 10, 0.2 from 10, 0.35 from 40 (on a text above 60k characters)', () => {
  assert.deepEqual(DROPOUT_BY_PASSES, [[40, 0.35], [10, 0.2]]);
  const passes = (iterations: number) => autoPreset({ trainChars: 200_000, vocabSize: 80, budget: { iterations }, flopsPerSecond: 1 });
  // 16 streams × 50 characters an iteration: 2,000 iterations are 8 passes over 200k characters
  assert.deepEqual([2000, 2500, 9999, 10_000, 50_000].map((n) => [passes(n).plannedEpochs, passes(n).dropout]),
    [[8, 0], [10, 0.2], [39.996, 0.2], [40, 0.35], [200, 0.35]]);
  assert.match(passes(10_000).reason, /dropout 0\.35, EMA 0\.999/);
  assert.deepEqual([autoDropout(30_000, 1), autoDropout(30_000, 50), autoDropout(60_000, 9.9)], [0.2, 0.35, 0]);
});

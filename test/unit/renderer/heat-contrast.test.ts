// The heat map's text colour is chosen per cell, so every shade reads at WCAG AA (4.5:1) or better.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationColour, contrastRatio, parseRgb, surprisalColour, textColourOn } from '../../../renderer/src/lib/inspect-colours.js';

function worstContrast(shades: string[]): { ratio: number; shade: string } {
  let worst = { ratio: Infinity, shade: '' };
  for (const shade of shades) {
    const bg = parseRgb(shade)!;
    const fg = parseRgb(textColourOn(shade)!)!;
    const ratio = contrastRatio(bg, fg);
    if (ratio < worst.ratio) worst = { ratio, shade };
  }
  return worst;
}

test('every surprisal and activation shade gets a text colour of at least 4.5:1', () => {
  const surprisal = Array.from({ length: 161 }, (_, i) => surprisalColour(i * 0.05));
  const activation = Array.from({ length: 201 }, (_, i) => activationColour(-1 + i * 0.01, 1));
  for (const [name, shades] of [['surprisal', surprisal], ['activation', activation]] as const) {
    const worst = worstContrast(shades);
    assert.ok(worst.ratio >= 4.5, `${name}: ${worst.shade} reads at ${worst.ratio.toFixed(2)}:1`);
  }
  // the two failures: dark text on the strongest red (3.4:1) and blue (3.0:1) now turn white
  assert.equal(textColourOn(surprisalColour(8)), 'rgb(255, 255, 255)');
  assert.equal(textColourOn(activationColour(-1, 1)), 'rgb(255, 255, 255)');
  assert.equal(textColourOn(surprisalColour(0)), 'rgb(0, 0, 0)');
  assert.equal(textColourOn('transparent'), null, 'an unshaded cell keeps the theme\'s text colour');
});

test('contrastRatio matches WCAG for black on white and is symmetric', () => {
  assert.equal(contrastRatio([0, 0, 0], [255, 255, 255]), 21);
  assert.equal(contrastRatio([255, 255, 255], [0, 0, 0]), 21);
  assert.equal(contrastRatio([120, 120, 120], [120, 120, 120]), 1);
});

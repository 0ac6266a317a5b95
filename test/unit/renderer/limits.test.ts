// Numbers as people type them, in their locale: the decimal comma where the locale uses one, and thousands separators.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkNumberText, decimalSeparator, parseNumberText } from '../../../renderer/src/lib/limits.js';

test('the locale decides the decimal separator', () => {
  assert.equal(decimalSeparator('en-US'), '.');
  assert.equal(decimalSeparator('de-DE'), ',');
  assert.equal(decimalSeparator('fr-FR'), ',');
});

test('English: a point for decimals, commas only as proper thousands groups', () => {
  assert.equal(parseNumberText('0.1', 'en-US'), 0.1);
  assert.equal(parseNumberText('10,000', 'en-US'), 10_000);
  assert.equal(parseNumberText('1,234,567.5', 'en-US'), 1_234_567.5);
  assert.equal(parseNumberText('10 000', 'en-US'), 10_000);
  assert.ok(Number.isNaN(parseNumberText('1,5', 'en-US')), '1,5 is no English number');
  assert.ok(Number.isNaN(parseNumberText('10,00', 'en-US')));
});

test('German and French: the decimal comma is accepted; a point still reads as a decimal point', () => {
  assert.equal(parseNumberText('0,1', 'de-DE'), 0.1);
  assert.equal(parseNumberText('2,5e-3', 'de-DE'), 0.0025);
  assert.equal(parseNumberText('10.000', 'de-DE'), 10_000);
  assert.equal(parseNumberText('10.000,5', 'de-DE'), 10_000.5);
  assert.equal(parseNumberText('0.1', 'de-DE'), 0.1);
  assert.equal(parseNumberText('10\u202f000', 'fr-FR'), 10_000);
  assert.equal(parseNumberText('0,05', 'fr-FR'), 0.05);
  assert.ok(Number.isNaN(parseNumberText('1,2,3', 'de-DE')));
});

test('a field checks the parsed number against its limit', () => {
  const rule = { label: 'Learning rate', limit: 'learningRate' } as const;
  assert.deepEqual(checkNumberText('0,01', rule, 'de-DE'), { value: 0.01 });
  assert.ok('error' in checkNumberText('0,01', rule, 'en-US'));
});

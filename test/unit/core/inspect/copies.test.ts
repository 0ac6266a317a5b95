// The copy detector on hand-made texts with known copied spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCopyIndex, copyIndexBytes, findCopies, MIN_COPY_LENGTH } from '../../../../core/inspect/copies.js';
import { Rng } from '../../../../core/rng.js';

function randomText(length: number, seed: number, alphabet = 'abcdefghijklmnopqrstuvwxyz ') {
  const rng = Rng.fromSeed(seed);
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rng.nextFloat() * alphabet.length)];
  return s;
}

test('finds known copied spans with their corpus offsets, copied fraction and longest span', () => {
  const corpus = randomText(20_000, 1);
  const index = buildCopyIndex(corpus);
  // sample = 30 fresh + corpus[5003, 5043) (40) + 25 fresh + corpus[12_345, 12_370) (25) + 10 fresh
  const fresh = randomText(65, 99, '0123456789');
  const sample = fresh.slice(0, 30) + corpus.slice(5003, 5043) + fresh.slice(30, 55) + corpus.slice(12_345, 12_370) + fresh.slice(55);
  const report = findCopies(index, sample, 20);
  assert.deepEqual(report.spans, [
    { start: 30, length: 40, corpusOffset: 5003 },
    { start: 95, length: 25, corpusOffset: 12_345 },
  ]);
  assert.equal(report.longest, 40);
  assert.equal(report.copiedFraction, 65 / sample.length);
  // the 25-character span is below a minimum of 30
  assert.deepEqual(findCopies(index, sample, 30).spans, [{ start: 30, length: 40, corpusOffset: 5003 }]);
  assert.equal(index.positions.length, Math.floor((20_000 - 8) / 5) + 1, 'a gram every 5 characters');
  assert.equal(copyIndexBytes(index), 4 * index.positions.length + 4 * ((1 << index.bucketBits) + 1));
});

test('every span of the minimum length is found wherever it sits relative to the index stride', () => {
  const corpus = randomText(3_000, 2);
  const index = buildCopyIndex(corpus);
  for (let offset = 100; offset < 110; offset++) {
    const sample = `##${corpus.slice(offset, offset + MIN_COPY_LENGTH)}##`;
    assert.deepEqual(findCopies(index, sample, MIN_COPY_LENGTH).spans, [{ start: 2, length: MIN_COPY_LENGTH, corpusOffset: offset }], `offset ${offset}`);
  }
});

test('an uncopied sample has no spans; a whole copy is one span; overlapping matches merge into maximal spans', () => {
  const corpus = 'It was a bright cold day in April, and the clocks were striking thirteen. Winston Smith went in.';
  const index = buildCopyIndex(corpus);
  assert.deepEqual(findCopies(index, 'zzzz zzzz zzzz zzzz zzzz zzzz', 20), { spans: [], copiedFraction: 0, longest: 0 });
  const whole = findCopies(index, corpus, 20);
  assert.deepEqual(whole.spans, [{ start: 0, length: corpus.length, corpusOffset: 0 }]);
  assert.equal(whole.copiedFraction, 1);
  // two corpus pieces glued: "the clocks were striking" + " cold day in April, and"
  const glued = 'the clocks were striking cold day in April, and';
  const report = findCopies(index, glued, 12);
  assert.equal(report.spans.length, 2);
  assert.equal(report.spans[0].start, 0);
  assert.equal(corpus.slice(report.spans[0].corpusOffset, report.spans[0].corpusOffset + report.spans[0].length), glued.slice(0, report.spans[0].length));
  assert.equal(report.copiedFraction, 1);
});

test('offsets and lengths count characters, not UTF-16 units; a too-small minimum is refused', () => {
  const corpus = '🙂🙂 ' + 'grüße aus köln, 😀 und viele mehr worte hier';
  const index = buildCopyIndex(corpus);
  const sample = 'x😀' + corpus.slice(5 + 6, 5 + 40); // '🙂🙂 ' is 5 UTF-16 units
  const report = findCopies(index, sample, 20);
  assert.equal(report.spans.length, 1);
  assert.equal(report.spans[0].start, 2);
  assert.equal(report.spans[0].corpusOffset, 3 + 6); // two emoji + a space before, counted as 3 characters
  assert.equal(report.spans[0].length, [...corpus.slice(11, 45)].length);
  assert.throws(() => findCopies(index, sample, MIN_COPY_LENGTH - 1), /at least 12/);
});

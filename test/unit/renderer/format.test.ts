// How the renderer shows numbers, durations, sizes and characters to people.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  codePoint, fileNameOf, formatBytes, formatDate, formatDuration, formatInteger, formatLoss, formatProbability, formatRate, lossIn, showChar,
} from '../../../renderer/src/lib/format.js';

describe('renderer format', () => {
  test('losses: nats as they are, bits divided by ln 2, three decimals, a dash for nothing', () => {
    assert.equal(lossIn(Math.LN2, 'bits'), 1);
    assert.equal(lossIn(1.5, 'nats'), 1.5);
    assert.equal(formatLoss(4.17439), '4.174');
    assert.equal(formatLoss(4.17439, 'nats'), '4.174');
    assert.equal(formatLoss(2 * Math.LN2, 'bits'), '2.000');
    assert.equal(formatLoss(0), '0.000');
    for (const nothing of [null, undefined, NaN, Infinity, -Infinity]) assert.equal(formatLoss(nothing), '—');
  });

  test('probabilities: whole percents from 10%, one decimal below, never "0.0%" for a chance that was given', () => {
    assert.equal(formatProbability(0.8734), '87%');
    assert.equal(formatProbability(0.1), '10%');
    assert.equal(formatProbability(0.0734), '7.3%');
    assert.equal(formatProbability(0.0006), '0.1%');
    assert.equal(formatProbability(0.0004), '<0.1%');
    assert.equal(formatProbability(1e-9), '<0.1%');
    assert.equal(formatProbability(0), '0.0%', 'no chance at all is said as it is');
  });

  test('integers with thousands separators, rounded', () => {
    assert.equal(formatInteger(0), '0');
    assert.equal(formatInteger(1234567), '1,234,567');
    assert.equal(formatInteger(999.6), '1,000');
    assert.equal(formatInteger(-4200), '-4,200');
  });

  test('one format everywhere, in the user\'s locale: grouping and the decimal comma', () => {
    assert.equal(formatInteger(1234567, 'de-DE'), '1.234.567');
    assert.equal(formatLoss(0.6994, 'nats', 'de-DE'), '0,699');
    assert.equal(formatRate(123_456, 'de-DE'), '123,5 k');
    assert.equal(formatLoss(1234.5, 'nats', 'en-US'), '1,234.500');
  });

  test('rates: plain below 10 k, then k and M; a dash when there is none', () => {
    assert.equal(formatRate(0), '—');
    assert.equal(formatRate(-5), '—');
    assert.equal(formatRate(NaN), '—');
    assert.equal(formatRate(Infinity), '—');
    assert.equal(formatRate(950.4), '950');
    assert.equal(formatRate(9999), '9,999');
    assert.equal(formatRate(10_000), '10.0 k');
    assert.equal(formatRate(123_456), '123.5 k');
    assert.equal(formatRate(2_345_678), '2.35 M');
  });

  test('durations: m:ss, then h:mm:ss, then days with hh:mm; a dash for none', () => {
    assert.equal(formatDuration(0), '0:00');
    assert.equal(formatDuration(999), '0:00');
    assert.equal(formatDuration(187_000), '3:07');
    assert.equal(formatDuration(3_723_000), '1:02:03');
    assert.equal(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 59_000), '2 d 04:05');
    for (const nothing of [null, undefined, -1, NaN, Infinity]) assert.equal(formatDuration(nothing), '—');
  });

  test('sizes: bytes, then KiB, MiB, GiB, with one decimal below 100', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1024), '1.0 KiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(150 * 1024), '150 KiB');
    assert.equal(formatBytes(5 * 1024 ** 2), '5.0 MiB');
    assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
    assert.equal(formatBytes(2048 * 1024 ** 3), '2048 GiB', 'GiB is the largest unit');
  });

  test('characters: printable ones as they are, whitespace and invisibles by name, control characters as U+XXXX', () => {
    assert.equal(showChar('a'), 'a');
    assert.equal(showChar('é'), 'é');
    assert.equal(showChar('👋'), '👋');
    assert.equal(showChar(' '), 'space');
    assert.equal(showChar('\n'), 'newline');
    assert.equal(showChar('\t'), 'tab');
    assert.equal(showChar('\r'), 'CR');
    assert.equal(showChar('\u00a0'), 'nbsp');
    assert.equal(showChar('\ufeff'), 'BOM');
    assert.equal(showChar('\u200b'), 'ZWSP');
    assert.equal(showChar('\u0000'), 'U+0000');
    assert.equal(showChar('\u001b'), 'U+001B');
    assert.equal(showChar('\u007f'), 'U+007F');
    assert.equal(showChar('\u0085'), 'U+0085');
    assert.equal(codePoint('A'), 'U+0041');
    assert.equal(codePoint('👋'), 'U+1F44B', 'a whole code point, not half a surrogate pair');
  });

  test('file names from POSIX and Windows paths', () => {
    assert.equal(fileNameOf('/home/ada/texts/shakespeare.txt'), 'shakespeare.txt');
    assert.equal(fileNameOf('C:\\Users\\Ada\\corpus.txt'), 'corpus.txt');
    assert.equal(fileNameOf('corpus.txt'), 'corpus.txt');
    assert.equal(fileNameOf('/home/ada/'), '/home/ada/', 'no name: the path itself');
  });

  test('dates: day, month and year for people; an unreadable one as it came', () => {
    assert.match(formatDate('2024-03-15T12:00:00Z', 'en-GB'), /^15 Mar 2024, \d\d:\d\d$/);
    assert.match(formatDate('2024-03-15T12:00:00Z', 'de-DE'), /^15\. März 2024, \d\d:\d\d$/);
    assert.equal(formatDate('not a date'), 'not a date');
  });
});

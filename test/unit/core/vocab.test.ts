// The vocabulary: sorted code points (an emoji is one character), encode/decode, unknown characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vocabulary, describeChar } from '../../../core/vocab.js';
import { CharRnnError } from '../../../core/errors.js';

test('the vocabulary is the sorted set of code points, not UTF-16 units', () => {
  const v = Vocabulary.fromText('b🙂a😀b🙂');
  assert.deepEqual(v.chars, ['a', 'b', '😀', '🙂']);
  const enc = v.encode('🙂ab😀');
  assert.ok(enc instanceof Uint8Array, 'up to 256 characters: one byte each');
  assert.deepEqual(Array.from(enc), [3, 0, 1, 2]);
  assert.equal(v.decode(enc), '🙂ab😀');
  assert.deepEqual(v.unknownChars('ab😃c😀😃'), ['😃', 'c']);
});

test('encoded text takes the smallest element that holds the vocabulary, on shared memory in Node', () => {
  const chars = Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x100 + i)).join('') + '🙂';
  const v = Vocabulary.fromText(chars);
  assert.equal(v.size, 301);
  const enc = v.encode(chars);
  assert.ok(enc instanceof Uint16Array);
  assert.ok(enc.buffer instanceof SharedArrayBuffer, 'training threads read the one copy');
  assert.deepEqual(Array.from(enc), Array.from({ length: 301 }, (_, i) => i));
  assert.equal(v.decode(enc), chars);
  assert.ok(Vocabulary.fromText('xy').encode('yx') instanceof Uint8Array);
});

test('a one-character vocabulary works', () => {
  const v = Vocabulary.fromText('aaaa');
  assert.equal(v.size, 1);
  assert.deepEqual(Array.from(v.encode('aaa')), [0, 0, 0]);
});

test('more than 65535 symbols switch to Uint32 indices', () => {
  const chars: string[] = [];
  for (let cp = 0x4e00; chars.length < 70000; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCodePoint(cp));
  const v = new Vocabulary(chars);
  const enc = v.encode(chars[69999] + chars[0]);
  assert.ok(enc instanceof Uint32Array);
  assert.deepEqual(Array.from(enc), [69999, 0]);
});

test('unknown characters are listed once each, and encode refuses them by name', () => {
  const v = Vocabulary.fromText('hello');
  assert.deepEqual(v.unknownChars('hex🙂 x'), ['x', '🙂', ' ']);
  assert.throws(() => v.encode('hex'), (e: unknown) => e instanceof CharRnnError && e.code === 'bad-prime' && /"x"/.test(e.message));
});

test('a vocabulary entry must be one character and unique', () => {
  assert.throws(() => new Vocabulary(['a', 'bc']), /not a single character/);
  assert.throws(() => new Vocabulary(['a', 'a']), /twice/);
  assert.throws(() => new Vocabulary([]), /at least one/);
});

test('describeChar shows invisible characters as code points', () => {
  assert.equal(describeChar('\n'), 'U+000A');
  assert.equal(describeChar(' '), 'U+0020');
  assert.equal(describeChar('é'), '"é" (U+00E9)');
});

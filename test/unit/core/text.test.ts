// Corpus decoding: strict UTF-8 and a specific error for each way a file can fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCorpus, firstInvalidUtf8Byte } from '../../../core/text.js';
import { CharRnnError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';

const bytes = (...b: number[]) => new Uint8Array(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

function throwsCode(fn: () => unknown, code: string, pattern: RegExp) {
  assert.throws(fn, (e: unknown) => e instanceof CharRnnError && e.code === code && pattern.test(e.message));
}

test('valid UTF-8 decodes to code points, BOM stripped and reported, CRLF counted', () => {
  const d = decodeCorpus(utf8('\uFEFFGrüße\r\n🙂 naïve\r\nend\n'));
  assert.equal(d.text, 'Grüße\r\n🙂 naïve\r\nend\n');
  assert.equal(d.hadBom, true);
  assert.equal(d.crlfLines, 2);
  assert.equal(decodeCorpus(utf8('plain')).hadBom, false);
});

test('empty file and BOM-only file are refused as empty', () => {
  throwsCode(() => decodeCorpus(new Uint8Array(0)), 'corpus-empty', /empty/);
  throwsCode(() => decodeCorpus(bytes(0xef, 0xbb, 0xbf)), 'corpus-empty', /byte-order mark/);
});

test('a NUL byte marks a binary file and names its offset', () => {
  throwsCode(() => decodeCorpus(bytes(0x41, 0x42, 0x00, 0x43)), 'corpus-binary', /offset 2/);
});

test('invalid UTF-8 names the bad byte and its offset', () => {
  throwsCode(() => decodeCorpus(bytes(0x61, 0x62, 0xff)), 'corpus-not-utf8', /0xff at offset 2/);
  throwsCode(() => decodeCorpus(bytes(0x63, 0x61, 0x66, 0xe9)), 'corpus-not-utf8', /0xe9 at offset 3/); // Latin-1 é
});

test('oversized input is refused before decoding', () => {
  throwsCode(() => decodeCorpus(utf8('hello world'), 5), 'corpus-too-large', /largest corpus/);
});

test('firstInvalidUtf8Byte: overlong, surrogate, out-of-range and truncated sequences', () => {
  assert.equal(firstInvalidUtf8Byte(bytes(0xc0, 0x80)), 0);            // overlong NUL
  assert.equal(firstInvalidUtf8Byte(bytes(0xe0, 0x80, 0x80)), 0);      // overlong 3-byte
  assert.equal(firstInvalidUtf8Byte(bytes(0xed, 0xa0, 0x80)), 0);      // UTF-16 surrogate
  assert.equal(firstInvalidUtf8Byte(bytes(0xf4, 0x90, 0x80, 0x80)), 0); // above U+10FFFF
  assert.equal(firstInvalidUtf8Byte(bytes(0x61, 0xf0, 0x9f, 0x99)), 1); // cut-off emoji
  assert.equal(firstInvalidUtf8Byte(bytes(0x80)), 0);                  // lone continuation
  assert.equal(firstInvalidUtf8Byte(utf8('ok ✓ 🙂 ü')), -1);
});

test('firstInvalidUtf8Byte agrees with a fatal TextDecoder on random byte strings', () => {
  const rng = Rng.fromSeed(7);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let trial = 0; trial < 3000; trial++) {
    const n = 1 + (rng.nextUint32() % 8);
    // bias towards bytes that form multi-byte sequences
    const b = Uint8Array.from({ length: n }, () => {
      const r = rng.nextUint32() % 4;
      return r === 0 ? rng.nextUint32() % 0x80 : r === 1 ? 0x80 + (rng.nextUint32() % 0x40) : 0xc0 + (rng.nextUint32() % 0x40);
    });
    let valid = true;
    try { decoder.decode(b); } catch { valid = false; }
    assert.equal(firstInvalidUtf8Byte(b) === -1, valid, `bytes ${Array.from(b, (x) => x.toString(16)).join(' ')}`);
  }
});

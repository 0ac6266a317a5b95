// Turning a file's bytes into corpus text: strict UTF-8, with a specific error for each way it can fail.
import { CharRnnError } from './errors.js';

/** Corpora above this size are refused: the encoded text, activations and the app's copies must fit in memory. */
export const MAX_CORPUS_BYTES = 512 * 1024 * 1024;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DecodedCorpus {
  text: string;
  hadBom: boolean;
  /** How the bytes were read: UTF-8, or UTF-16 when the file starts with its byte-order mark. */
  encoding: TextEncoding;
  crlfLines: number; // lines ending in \r\n (kept as they are: \r is a character the model learns)
}

/** Index of the first byte that is not part of well-formed UTF-8, or -1 if all of it is. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    let need: number, min: number;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    if (i + need >= n) return i; // a sequence cut off by the end of the file
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Decode a corpus file strictly. Empty, binary (NUL bytes), oversized or non-UTF-8 input is refused. */
export function decodeCorpus(bytes: Uint8Array, maxBytes = MAX_CORPUS_BYTES): DecodedCorpus {
  if (bytes.length === 0) throw new CharRnnError('corpus-empty', 'The file is empty: a corpus needs text to learn from.');
  if (bytes.length > maxBytes) {
    throw new CharRnnError('corpus-too-large',
      `The file is ${formatBytes(bytes.length)}; the largest corpus supported is ${formatBytes(maxBytes)}.`);
  }
  const utf16 = utf16ByBom(bytes);
  if (utf16) return decodeUtf16(bytes, utf16);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const bare = utf16WithoutBom(bytes);
    if (bare) {
      const name = bare === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
      throw new CharRnnError('corpus-not-utf8',
        `The file looks like ${name} text without a byte-order mark (NUL bytes between the letters), not UTF-8: ` +
        `convert it, e.g. iconv -f ${name} -t UTF-8 FILE > FILE-utf8.txt, and use the converted file.`);
    }
    throw new CharRnnError('corpus-binary',
      `The file has a NUL byte at offset ${nul}: it looks like a binary file, not text.`);
  }
  const bad = firstInvalidUtf8Byte(bytes);
  if (bad >= 0) {
    throw new CharRnnError('corpus-not-utf8',
      `The file is not valid UTF-8 (bad byte 0x${bytes[bad].toString(16).padStart(2, '0')} at offset ${bad}). ` +
      'Save it as UTF-8 and try again.');
  }
  const hadBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  if (text.length === 0) throw new CharRnnError('corpus-empty', 'The file holds only a byte-order mark: there is no text in it.');
  let crlfLines = 0;
  for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n', i + 2)) crlfLines++;
  return { text, hadBom, encoding: 'utf-8', crlfLines };
}

function utf16ByBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length < 2) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** Mostly-Latin UTF-16 without a BOM: in the first few KiB, the NUL bytes sit at one parity and are many. */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  let evenNul = 0, oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (pairs < 8) return null;
  if (oddNul >= pairs * 0.3 && evenNul === 0) return 'utf-16le';
  if (evenNul >= pairs * 0.3 && oddNul === 0) return 'utf-16be';
  return null;
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedCorpus {
  const name = encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE';
  if (bytes.length % 2 !== 0) {
    throw new CharRnnError('corpus-not-utf8', `The file is ${name} (it starts with that byte-order mark) but has an odd number of bytes: ` +
      'it was cut short; use a complete copy, or save it as UTF-8.');
  }
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CharRnnError('corpus-not-utf8', `The file starts with a ${name} byte-order mark but is not valid ${name}: save it as UTF-8 and try again.`);
  }
  if (text.length === 0) throw new CharRnnError('corpus-empty', 'The file holds only a byte-order mark: there is no text in it.');
  const nul = text.indexOf('\0');
  if (nul >= 0) throw new CharRnnError('corpus-binary', `The ${name} text has a NUL character at character ${nul}: it looks like a binary file, not text.`);
  let crlfLines = 0;
  for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n', i + 2)) crlfLines++;
  return { text, hadBom: true, encoding, crlfLines };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

// The vocabulary: the sorted set of Unicode code points of a text (as the seed's sorted(set(data))),
// and the mapping between text and index arrays.
import { CharRnnError } from './errors.js';

/** Encoded text: one byte per character when the vocabulary has at most 256 characters, else 2 or 4. */
export type IndexArray = Uint8Array | Uint16Array | Uint32Array;

/**
 * Memory for encoded text: shared when the runtime has SharedArrayBuffer (Node, isolated pages), so
 * training threads read the one copy; plain otherwise.
 */
function indexBuffer(bytes: number): ArrayBufferLike {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

export class Vocabulary {
  /** chars[i] is the character (one code point, possibly two UTF-16 units) with index i. */
  readonly chars: readonly string[];
  private readonly indexOf: Map<number, number>;
  private bmpTable: Int32Array | null = null; // UTF-16 unit outside the surrogates → index + 1, 0 = unknown

  constructor(chars: readonly string[]) {
    if (chars.length === 0) throw new CharRnnError('bad-hyperparameter', 'A vocabulary needs at least one character.');
    const codes = chars.map((c, i) => {
      const cp = c.codePointAt(0);
      if (cp === undefined || String.fromCodePoint(cp) !== c) {
        throw new CharRnnError('bad-checkpoint', `Vocabulary entry ${i} (${JSON.stringify(c)}) is not a single character.`);
      }
      return cp;
    });
    this.chars = Object.freeze([...chars]);
    this.indexOf = new Map(codes.map((cp, i) => [cp, i]));
    if (this.indexOf.size !== chars.length) {
      throw new CharRnnError('bad-checkpoint', 'The vocabulary lists a character twice.');
    }
  }

  static fromText(text: string): Vocabulary {
    const seenBmp = new Uint8Array(0x10000), astral = new Set<number>();
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) { astral.add(cp); i++; continue; }
      }
      seenBmp[c] = 1;
    }
    const codes: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (seenBmp[c]) codes.push(c);
    codes.push(...[...astral].sort((a, b) => a - b));
    return new Vocabulary(codes.map((cp) => String.fromCodePoint(cp)));
  }

  /** Index + 1 of each UTF-16 unit that is a whole character (0: not in the vocabulary), built on first use. */
  private table(): Int32Array {
    if (!this.bmpTable) {
      this.bmpTable = new Int32Array(0x10000);
      for (const [cp, ix] of this.indexOf) if (cp < 0xd800 || (cp > 0xdfff && cp <= 0xffff)) this.bmpTable[cp] = ix + 1;
    }
    return this.bmpTable;
  }

  /** Index of the character at text[i] (a whole surrogate pair counts as one), -1 if unknown; and its UTF-16 length. */
  private indexAt(text: string, i: number, table: Int32Array): [number, number] {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) return [this.indexOf.get(cp) ?? -1, 2];
    }
    return [table[c] - 1, 1];
  }

  get size(): number {
    return this.chars.length;
  }

  /** Index of a single character, or -1. */
  index(ch: string): number {
    return this.indexOf.get(ch.codePointAt(0)!) ?? -1;
  }

  /** The distinct characters of text that are not in the vocabulary, in order of first appearance. */
  unknownChars(text: string): string[] {
    const unknown = new Set<string>(), table = this.table();
    for (let i = 0; i < text.length;) {
      const c = text.charCodeAt(i);
      if (table[c] !== 0) { i++; continue; } // the common case: a known character of the BMP
      const [ix, units] = this.indexAt(text, i, table);
      if (ix < 0) unknown.add(text.slice(i, i + units));
      i += units;
    }
    return [...unknown];
  }

  /**
   * Encode text as indices, in the smallest element that holds them (Uint8Array up to 256 characters);
   * every character must be known (check with unknownChars first).
   */
  encode(text: string): IndexArray {
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) count++; // count code points: skip low surrogates
    }
    const V = this.size;
    const out: IndexArray = V <= 0x100 ? new Uint8Array(indexBuffer(count))
      : V <= 0x10000 ? new Uint16Array(indexBuffer(count * 2)) : new Uint32Array(indexBuffer(count * 4));
    const table = this.table();
    let k = 0;
    for (let i = 0; i < text.length;) {
      const t = table[text.charCodeAt(i)];
      if (t !== 0) { out[k++] = t - 1; i++; continue; }
      const [ix, units] = this.indexAt(text, i, table);
      if (ix < 0) {
        throw new CharRnnError('bad-prime', `The character ${describeChar(text.slice(i, i + units))} is not in the model's vocabulary.`);
      }
      out[k++] = ix;
      i += units;
    }
    return out;
  }

  decode(indices: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < indices.length; i++) s += this.chars[indices[i]];
    return s;
  }
}

/** A character shown so that people can see it: printable ones quoted, others as U+XXXX. */
export function describeChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x20) return hex;
  return `"${ch}" (${hex})`;
}

/** "\"é\" (U+00E9), U+0009 and 3 more": the first ten characters of a list, for a message. */
export function listChars(chars: readonly string[], shown = 10): string {
  const first = chars.slice(0, shown).map(describeChar).join(', ');
  return chars.length > shown ? `${first} and ${chars.length - shown} more` : first;
}

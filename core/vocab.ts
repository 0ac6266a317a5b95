// The vocabulary: the sorted set of Unicode code points of a text (as the seed's sorted(set(data))),
// and the mapping between text and index arrays.
import { CharRnnError } from './errors.js';

export type IndexArray = Uint16Array | Uint32Array;

export class Vocabulary {
  /** chars[i] is the character (one code point, possibly two UTF-16 units) with index i. */
  readonly chars: readonly string[];
  private readonly indexOf: Map<number, number>;

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
    const seen = new Set<number>();
    for (const ch of text) seen.add(ch.codePointAt(0)!);
    const sorted = [...seen].sort((a, b) => a - b);
    return new Vocabulary(sorted.map((cp) => String.fromCodePoint(cp)));
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
    const unknown = new Set<string>();
    for (const ch of text) if (!this.indexOf.has(ch.codePointAt(0)!)) unknown.add(ch);
    return [...unknown];
  }

  /** Encode text as indices; every character must be known (check with unknownChars first). */
  encode(text: string): IndexArray {
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) count++; // count code points: skip low surrogates
    }
    const out: IndexArray = this.size > 65535 ? new Uint32Array(count) : new Uint16Array(count);
    let k = 0;
    for (const ch of text) {
      const ix = this.indexOf.get(ch.codePointAt(0)!);
      if (ix === undefined) {
        throw new CharRnnError('bad-prime', `The character ${describeChar(ch)} is not in the model's vocabulary.`);
      }
      out[k++] = ix;
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

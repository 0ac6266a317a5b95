// Scoring real held-out text: it almost always holds a character the training text lacked. With skip-unknown
// (eval, inspect-text, the app's Inspect view) those characters are left out; the model reads the rest as one text.
import type { Vocabulary } from '../vocab.js';

export interface KnownText {
  /** The text without the characters the vocabulary lacks: what the model scores. */
  known: string;
  /** How many characters were left out. */
  skipped: number;
  /** The distinct characters left out, in order of first appearance. */
  skippedChars: string[];
  /** Per code point of the original text: whether it was kept (and so has a surprisal). */
  kept: Uint8Array;
}

/** The text with every character the vocabulary lacks left out, and where they were. */
export function keepKnownChars(vocab: Vocabulary, text: string): KnownText {
  const unknown = new Set(vocab.unknownChars(text));
  if (unknown.size === 0) {
    let n = 0;
    for (const _ of text) n++;
    return { known: text, skipped: 0, skippedChars: [], kept: new Uint8Array(n).fill(1) };
  }
  const parts: string[] = [], flags: number[] = [];
  let skipped = 0;
  for (const ch of text) {
    const keep = !unknown.has(ch);
    flags.push(keep ? 1 : 0);
    if (keep) parts.push(ch); else skipped++;
  }
  return { known: parts.join(''), skipped, skippedChars: [...unknown], kept: Uint8Array.from(flags) };
}

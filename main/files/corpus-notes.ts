// What a decoded corpus holds that the user should hear about before training on it, in the same words
// for the CLI (notes on stderr) and the app (the corpus report's warnings): text that is only
// whitespace or one character, a huge vocabulary, combining marks, control characters, U+FFFD.
import { describeChar } from '../../core/vocab.js';

export const LARGE_VOCABULARY = 500;
const COMBINING_NOTE_MIN = 1;

/** Code points and their counts; surrogate pairs are one character. */
export function countCodePoints(text: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    counts.set(cp, (counts.get(cp) ?? 0) + 1);
  }
  return counts;
}

const isCombining = (cp: number) =>
  (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x1dc0 && cp <= 0x1dff) ||
  (cp >= 0x20d0 && cp <= 0x20ff) || (cp >= 0xfe20 && cp <= 0xfe2f);

export function corpusContentNotes(counts: Map<number, number>): string[] {
  const notes: string[] = [];
  const codePoints = [...counts.keys()];
  if (codePoints.length > 0 && codePoints.every((cp) => cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d || cp === 0x0b || cp === 0x0c)) {
    notes.push('The text is only whitespace (spaces, tabs, line breaks): the model can learn nothing useful from it.');
  } else if (codePoints.length === 1) {
    notes.push(`The text is one character (${describeChar(String.fromCodePoint(codePoints[0]))}) repeated: the loss falls to 0 at once and samples repeat it.`);
  }
  if (codePoints.length > LARGE_VOCABULARY) {
    notes.push(`A very large vocabulary (${codePoints.length} different characters): training is slower and rare characters are learned poorly.`);
  }
  const combining = codePoints.filter(isCombining).sort((a, b) => a - b);
  if (combining.length >= COMBINING_NOTE_MIN) {
    const uses = combining.reduce((n, cp) => n + counts.get(cp)!, 0);
    notes.push(`The text has ${uses} combining mark(s) (${combining.slice(0, 5).map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`).join(', ')}` +
      `${combining.length > 5 ? ', …' : ''}): each is a character of its own to the model; normalise to NFC to fold most into their letters.`);
  }
  const control = codePoints.filter((cp) => (cp < 0x20 && cp !== 9 && cp !== 10 && cp !== 13) || (cp >= 0x7f && cp < 0xa0));
  if (control.length > 0) {
    notes.push(`The text has control characters (${control.slice(0, 5).map((cp) => describeChar(String.fromCodePoint(cp))).join(', ')}${control.length > 5 ? ', …' : ''}).`);
  }
  if (counts.get(0xfffd)) notes.push('The text contains U+FFFD replacement characters: it may have been converted from another encoding badly.');
  return notes;
}

// Checks on text against a model's vocabulary, with messages that name the characters.
import { CharRnnError, type ErrorCode } from '../../core/errors.js';
import type { DecodedCorpus } from '../../core/text.js';
import { keepKnownChars } from '../../core/inspect/known-text.js';
import { listChars, type Vocabulary } from '../../core/vocab.js';
import { corpusContentNotes, countCodePoints } from '../files/corpus-notes.js';
import type { CliIo } from './io.js';

export { listChars };

/**
 * Refuse text with characters the vocabulary lacks; `what` says whose text it is ("\"notes.txt\"", "The prime"),
 * `code` what kind it is: 'bad-prime' for a prime, 'corpus-vocabulary' for a text to score or train on.
 */
export function requireKnownChars(text: string, vocab: Vocabulary, what: string, hint: string,
                                  code: Extract<ErrorCode, 'bad-prime' | 'corpus-vocabulary'>): void {
  const unknown = vocab.unknownChars(text);
  if (unknown.length === 0) return;
  if (unknown.length === 1 && unknown[0] === '\r') {
    throw new CharRnnError(code, `${what} has Windows line endings (CR LF) and the model never saw "\\r": ` +
      'convert it to LF line endings (dos2unix FILE, or sed -i \'s/\\r$//\' FILE) and run again.');
  }
  throw new CharRnnError(code,
    `${what} has ${unknown.length} character${unknown.length === 1 ? '' : 's'} the model's vocabulary lacks: ${listChars(unknown)}; ${hint}.`);
}

/**
 * What the reader did to the corpus that the user should know (decoded from UTF-16, a byte-order mark
 * left out, CR LF line endings kept), and what the text holds (main/files/corpus-notes.ts).
 */
export function noteCorpusEncoding(file: DecodedCorpus & { path: string }, io: CliIo): void {
  const name = JSON.stringify(file.path);
  if (file.encoding !== 'utf-8') io.note(`${name} is ${file.encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'} (byte-order mark): decoded as such`);
  else if (file.hadBom) io.note(`${name} starts with a UTF-8 byte-order mark: it is left out of the text`);
  for (const note of corpusContentNotes(countCodePoints(file.text))) io.warn(`${name}: ${note}`);
  if (file.crlfLines > 0) {
    io.warn(`${name} has ${file.crlfLines} line(s) ending in CR LF (Windows line endings): the model will learn "\\r" as a character; ` +
      'convert it with dos2unix to leave it out.');
  }
}

/**
 * A text to score: all of it (refused when the model lacks a character), or with --skip-unknown the
 * characters the model knows, with a note on stderr naming what was left out.
 */
export function knownPart(text: string, vocab: Vocabulary, what: string, skipUnknown: boolean, io: CliIo):
    { text: string; skipped: number; kept: Uint8Array | null } {
  if (!skipUnknown) {
    requireKnownChars(text, vocab, what, 'the model can only score text made of its own characters (or add --skip-unknown)', 'corpus-vocabulary');
    return { text, skipped: 0, kept: null };
  }
  const known = keepKnownChars(vocab, text);
  if (known.skipped > 0) {
    io.note(`${what}: skipped ${known.skipped} character${known.skipped === 1 ? '' : 's'} the model does not know (${listChars(known.skippedChars)})`);
  }
  return { text: known.known, skipped: known.skipped, kept: known.kept };
}

/** ", 3 unknown characters skipped": the end of a score line with --skip-unknown. */
export function skippedClause(skipped: number): string {
  return `, ${skipped.toLocaleString('en-US')} unknown character${skipped === 1 ? '' : 's'} skipped`;
}

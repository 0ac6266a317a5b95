// Checks on text against a model's vocabulary, with messages that name the characters.
import { CharRnnError } from '../../core/errors.js';
import { describeChar, type Vocabulary } from '../../core/vocab.js';

const SHOWN = 10;

/** "\"é\" (U+00E9), U+0009 and 3 more" */
export function listChars(chars: readonly string[]): string {
  const shown = chars.slice(0, SHOWN).map(describeChar).join(', ');
  return chars.length > SHOWN ? `${shown} and ${chars.length - SHOWN} more` : shown;
}

/** Refuse text with characters the vocabulary lacks; `what` says whose text it is ("\"notes.txt\""). */
export function requireKnownChars(text: string, vocab: Vocabulary, what: string, hint: string): void {
  const unknown = vocab.unknownChars(text);
  if (unknown.length === 0) return;
  throw new CharRnnError('bad-prime',
    `${what} has ${unknown.length} character${unknown.length === 1 ? '' : 's'} the model's vocabulary lacks: ${listChars(unknown)}; ${hint}.`);
}

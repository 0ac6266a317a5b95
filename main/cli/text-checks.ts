// Checks on text against a model's vocabulary, with messages that name the characters.
import { CharRnnError, type ErrorCode } from '../../core/errors.js';
import { listChars, type Vocabulary } from '../../core/vocab.js';

export { listChars };

/**
 * Refuse text with characters the vocabulary lacks; `what` says whose text it is ("\"notes.txt\"", "The prime"),
 * `code` what kind it is: 'bad-prime' for a prime, 'corpus-vocabulary' for a text to score or train on.
 */
export function requireKnownChars(text: string, vocab: Vocabulary, what: string, hint: string,
                                  code: Extract<ErrorCode, 'bad-prime' | 'corpus-vocabulary'>): void {
  const unknown = vocab.unknownChars(text);
  if (unknown.length === 0) return;
  throw new CharRnnError(code,
    `${what} has ${unknown.length} character${unknown.length === 1 ? '' : 's'} the model's vocabulary lacks: ${listChars(unknown)}; ${hint}.`);
}

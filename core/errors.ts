// One error type for everything a user can cause: a stable code for programs, a message for people.

/** The engine's error codes. main/contract/api-error.ts adds the shell's; each needs a headline in the renderer. */
export const ERROR_CODES = [
  'corpus-empty',
  'corpus-binary',
  'corpus-not-utf8',
  'corpus-too-short',
  'corpus-too-large',
  'corpus-vocabulary',
  'bad-hyperparameter',
  'bad-prime',
  'bad-checkpoint',
  'bad-safetensors',
  'diverged',
  'state-misuse',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * An error with a stable code beside its message: core's CharRnnError, main's FileError and the app's ApiError are
 * each one, over their own list of codes. `name` is given, not taken from the class, so a bundle's renaming cannot change it.
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string, name: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

export class CharRnnError extends CodedError<ErrorCode> {
  constructor(code: ErrorCode, message: string) {
    super(code, message, 'CharRnnError');
  }
}

export function isCharRnnError(e: unknown): e is CharRnnError {
  return e instanceof CharRnnError;
}

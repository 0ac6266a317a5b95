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

export class CharRnnError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'CharRnnError';
    this.code = code;
  }
}

export function isCharRnnError(e: unknown): e is CharRnnError {
  return e instanceof CharRnnError;
}

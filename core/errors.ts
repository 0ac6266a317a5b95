// One error type for everything a user can cause: a stable code for programs, a message for people.

export type ErrorCode =
  | 'corpus-empty'
  | 'corpus-binary'
  | 'corpus-not-utf8'
  | 'corpus-too-short'
  | 'corpus-too-large'
  | 'corpus-vocabulary'
  | 'bad-hyperparameter'
  | 'bad-prime'
  | 'bad-checkpoint'
  | 'bad-safetensors'
  | 'diverged'
  | 'state-misuse';

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

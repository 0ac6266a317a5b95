// Headlines for API error codes: the message from main says what exactly; the headline says what kind.
// A Record over every code: a new code fails the typecheck until it has a headline here.
// '.js': Node's tests import this file too (moduleResolution NodeNext); Vite maps it to .ts
import type { ApiErrorCode, ApiErrorPayload } from '../../../main/contract/api.js';

const HEADLINES: Record<ApiErrorCode, string> = {
  'corpus-empty': 'This file is empty',
  'corpus-binary': 'This looks like a binary file, not text',
  'corpus-not-utf8': 'This file is not valid UTF-8 text',
  'corpus-too-short': 'This text is too short to train on',
  'corpus-too-large': 'This file is too large',
  'corpus-vocabulary': 'This text has characters the model does not know',
  'bad-hyperparameter': 'A setting is out of range',
  'bad-prime': 'The prime has characters the model does not know',
  'bad-checkpoint': 'This checkpoint cannot be read',
  'bad-safetensors': 'This safetensors file cannot be read',
  diverged: 'Training diverged',
  'state-misuse': 'That cannot be done right now',
  'file-not-found': 'File not found',
  'file-is-directory': 'That is a folder, not a file',
  'file-not-regular': 'That is not a regular file',
  'file-permission': 'Permission denied',
  'file-too-large': 'This file is too large',
  'file-io': 'A file could not be read or written',
  'output-refused': 'That file is not replaced',
  'invalid-request': 'The app sent a request it should not have',
  'no-model': 'There is no model yet',
  busy: 'Busy with another request',
  'worker-crashed': 'The training process stopped unexpectedly',
  io: 'A file could not be read or written',
  internal: 'Something went wrong',
};

export function headline(e: ApiErrorPayload): string {
  return HEADLINES[e.code];
}

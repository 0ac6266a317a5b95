// Headlines for API error codes: the message from main says what exactly and why; the headline says what it
// means for the user, in other words than the message's (a title that repeats its body says nothing).
// A Record over every code: a new code fails the typecheck until it has a headline here.
// '.js': Node's tests import this file too (moduleResolution NodeNext); Vite maps it to .ts
import type { ApiErrorCode, ApiErrorPayload } from '../../../main/contract/api.js';

const HEADLINES: Record<ApiErrorCode, string> = {
  'corpus-empty': 'Nothing to train on',
  'corpus-binary': 'Cannot train on this file',
  'corpus-not-utf8': 'Cannot read this file as text',
  'corpus-too-short': 'This text is too short to train on',
  'corpus-too-large': 'Too large to train on',
  'corpus-vocabulary': 'This model cannot read this text',
  'bad-hyperparameter': 'A setting is out of range',
  'bad-prime': 'Nothing was sampled',
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

// Headlines for API error codes: the message from main says what exactly; the headline says what kind.
import type { ApiErrorPayload } from '../../../main/contract/api';

const HEADLINES: Record<string, string> = {
  'corpus-empty': 'This file is empty',
  'corpus-binary': 'This looks like a binary file, not text',
  'corpus-not-utf8': 'This file is not valid UTF-8 text',
  'corpus-too-short': 'This text is too short to train on',
  'corpus-too-large': 'This file is too large',
  'bad-hyperparameter': 'A setting is out of range',
  'bad-prime': 'The prime has characters the model does not know',
  'bad-checkpoint': 'This checkpoint cannot be read',
  'bad-safetensors': 'This safetensors file cannot be read',
  'no-model': 'There is no model yet',
  busy: 'Busy with another request',
  'worker-crashed': 'The training process stopped unexpectedly',
  'invalid-request': 'The app sent a request it should not have',
  io: 'A file could not be read or written',
  'file-not-found': 'File not found',
  'file-is-directory': 'That is a folder, not a file',
  'file-permission': 'Permission denied',
  'file-too-large': 'This file is too large',
  'file-io': 'A file could not be read or written',
};

export function headline(e: ApiErrorPayload): string {
  return HEADLINES[e.code] ?? 'Something went wrong';
}

// The API's error codes: any failure becomes one with a known code, and the wire form reads back to the same payload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CharRnnError } from '../../../core/errors.js';
import { API_ERROR_CODES, ApiError, parseWireError, toApiError, toWireError } from '../../../main/contract/api-error.js';
import { fileErrorFrom } from '../../../main/files/errors.js';
import { headline } from '../../../renderer/src/lib/errors.js';

test('toApiError keeps the code of an engine or file error, calls another errno error io and the rest internal', () => {
  assert.deepEqual(toApiError(new CharRnnError('diverged', 'The loss is NaN.')).toPayload(), { code: 'diverged', message: 'The loss is NaN.' });
  const missing = fileErrorFrom(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }), '/texts/a.txt', 'read');
  assert.deepEqual(toApiError(missing).toPayload(), { code: 'file-not-found', message: '"/texts/a.txt" does not exist.' });
  assert.equal(toApiError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).code, 'io');
  assert.equal(toApiError(new TypeError('x is undefined')).code, 'internal');
  assert.equal(toApiError('a string').code, 'internal');
  const api = new ApiError('busy', 'Busy.');
  assert.equal(toApiError(api), api);
});

test('the wire form reads back once, also behind Electron\'s prefix; anything else is internal', () => {
  const wire = toWireError({ code: 'bad-prime', message: 'The prime has "€".' });
  assert.deepEqual(parseWireError(wire), { code: 'bad-prime', message: 'The prime has "€".' });
  assert.deepEqual(parseWireError(new Error(`Error invoking remote method 'sampler:sample': Error: ${wire.message}`)), { code: 'bad-prime', message: 'The prime has "€".' });
  assert.deepEqual(parseWireError(new Error('{"code":"no-such-code","message":"?"}')), { code: 'internal', message: '{"code":"no-such-code","message":"?"}' });
  assert.deepEqual(parseWireError(new Error('No handler registered')), { code: 'internal', message: 'No handler registered' });
});

test('every code has its own headline in the renderer', () => {
  for (const code of API_ERROR_CODES) assert.ok(headline({ code, message: '' }).length > 0, code);
  assert.notEqual(headline({ code: 'corpus-vocabulary', message: '' }), headline({ code: 'internal', message: '' }));
});

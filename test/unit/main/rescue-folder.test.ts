// The CLI's rescue folder sits beside the app's data: the installed app's folder ("Char-RNN Studio",
// electron-builder's productName) if it exists, else npm start's ("char-rnn-studio"), else the installed name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { rescueFolder } from '../../../main/cli/paths.js';

test('rescue folder: the packaged app\'s data folder first, the development one if only it exists', { skip: process.platform !== 'linux' && 'the XDG layout is Linux\'s' }, () => {
  const env = { XDG_CONFIG_HOME: '/home/u/.config' };
  const has = (...names: string[]) => (p: string) => names.some((n) => p === join('/home/u/.config', n));
  assert.equal(rescueFolder(env, has()), '/home/u/.config/Char-RNN Studio/rescue');
  assert.equal(rescueFolder(env, has('Char-RNN Studio')), '/home/u/.config/Char-RNN Studio/rescue');
  assert.equal(rescueFolder(env, has('char-rnn-studio')), '/home/u/.config/char-rnn-studio/rescue');
  assert.equal(rescueFolder(env, has('char-rnn-studio', 'Char-RNN Studio')), '/home/u/.config/Char-RNN Studio/rescue');
  assert.equal(rescueFolder({ ...env, CHAR_RNN_RESCUE_DIR: '/tmp/r' }, has()), '/tmp/r');
});

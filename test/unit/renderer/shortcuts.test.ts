// Keyboard shortcuts: Escape never stops a run by itself (it asks), and keys a focused control needs stay its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortcutFor, type KeyLike } from '../../../renderer/src/lib/shortcuts.js';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, target: null, ...mods });

test('Escape asks before stopping; only Ctrl+. stops outright', () => {
  assert.equal(shortcutFor(key('Escape')), 'confirm-stop');
  assert.equal(shortcutFor(key('.', { ctrlKey: true })), 'stop');
  assert.equal(shortcutFor(key('Escape', { shiftKey: true })), null);
});

test('the other shortcuts are unchanged', () => {
  assert.equal(shortcutFor(key('Enter', { ctrlKey: true })), 'start');
  assert.equal(shortcutFor(key('p', { ctrlKey: true })), 'pause');
  assert.equal(shortcutFor(key('P', { ctrlKey: true, shiftKey: true })), 'resume');
  assert.equal(shortcutFor(key(' ')), 'toggle-pause');
  assert.equal(shortcutFor(key('a')), null);
});

// Shared pieces of the shell's integration tests: temp folders, a generated corpus, small hyperparameters,
// stub dialogs, and waiting for a condition.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../main/backend.js';
import type { TrainConfig } from '../../core/config.js';
import type { FileToken, Hyperparameters, ModelShape, RunSettings } from '../../main/contract/api.js';
import { ApiError } from '../../main/contract/api-error.js';
import { defaultHyperparameters, sectionOf } from '../../main/contract/defaults.js';
import type { Dialogs, OpenFileOptions, SaveFileOptions } from '../../main/services/dialogs.js';

export function tempFolder(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `char-rnn-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** About `sentences` sentences of seeded pseudo-English: the same text every time. */
export function generatedText(sentences = 150, seed = 7): string {
  const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'dog', 'ran', 'to', 'see', 'old', 'red', 'ship', 'by', 'sea'];
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const n = 4 + Math.floor(next() * 6);
    const sentence = Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(' ');
    out.push(sentence[0].toUpperCase() + sentence.slice(1) + (next() < 0.2 ? '.\n' : '. '));
  }
  return out.join('');
}

export function writeCorpus(folder: string, name = 'corpus.txt', text = generatedText()): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

/** Any setting by its name, whichever of model, training or run holds it. */
export type SettingOverrides = Partial<ModelShape & TrainConfig & RunSettings>;

/** `base` with some settings replaced, each in its own section (a test may pass values of the wrong type). */
export function withSettings(base: Hyperparameters, overrides: SettingOverrides | Record<string, unknown>): Hyperparameters {
  const h = structuredClone(base);
  for (const [key, value] of Object.entries(overrides)) (h[sectionOf(key)] as unknown as Record<string, unknown>)[key] = value;
  return h;
}

/** A model small enough to train thousands of iterations a second. */
export function tinyHyperparameters(overrides: SettingOverrides = {}): Hyperparameters {
  return withSettings(defaultHyperparameters(), { hiddenSize: 8, seqLength: 10, sampleEvery: 50, sampleLength: 20, autosaveMinutes: 0, ...overrides });
}

/** Dialogs that answer from a queue (null = cancelled) and remember what they were asked. */
export class StubDialogs implements Dialogs {
  readonly answers: (string | null)[] = [];
  readonly asked: (OpenFileOptions | SaveFileOptions)[] = [];
  async openFile(options: OpenFileOptions): Promise<string | null> {
    this.asked.push(options);
    return this.answers.length > 0 ? this.answers.shift()! : null;
  }
  async saveFile(options: SaveFileOptions): Promise<string | null> {
    this.asked.push(options);
    return this.answers.length > 0 ? this.answers.shift()! : null;
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Assert that a promise rejects with an ApiError of this code (and, if given, a message matching). */
export async function rejectsWith(promise: Promise<unknown>, code: string, message?: RegExp | string): Promise<ApiError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
    assert.equal(e.code, code, `code of: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected a rejection with code ${code}`);
}

/** A token for a file, as the preload gets one for a file dropped on the window (the page names files by token). */
export function tokenFor(backend: Backend, path: string): Promise<FileToken> {
  return backend.handle('file:register-drop', { path });
}

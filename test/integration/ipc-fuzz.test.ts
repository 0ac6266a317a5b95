// IPC fuzz through the real backend (issue 7, "Counted suites"): every request channel of the contract
// gets wrong types, missing and extra fields, huge strings and arrays, tokens and paths main never
// handed out, and unknown channels get asked — generated from a fixed seed. Every case is refused with
// one clear 'invalid-request' line naming the channel, no file is read, no dialog is opened, no worker
// starts, and main keeps answering afterwards. The count is printed for the closing note.
import assert from 'node:assert/strict';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { TrainingStatus } from '../../main/contract/api.js';
import { ApiError, parseWireError } from '../../main/contract/api-error.js';
import { requestSchemas } from '../../main/contract/validate.js';
import { createBackend, type Backend } from '../../main/backend.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import type { ForkWorker } from '../../main/services/worker-host.js';
import { StubDialogs, tempFolder, tinyHyperparameters } from './shell-support.js';

const SEED = 0x1c0ffee;
const RANDOM_CASES_PER_CHANNEL = 30;

/** mulberry32: the same cases on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] };
}
const random = rng(SEED);
const hex = (n: number) => Array.from({ length: n }, () => random.int(16).toString(16)).join('');
const forgedToken = () => `file-${hex(32)}`;

const HUGE_STRING = 'x'.repeat(1_000_001);
const HUGE_ARRAY = Array.from({ length: 100_000 }, (_, i) => i);
const HUGE_PATH = '/' + 'a/'.repeat(3000) + 'passwd';

type Kind = 'number' | 'boolean' | 'token' | 'path' | 'enum' | 'name' | 'text' | 'dataUrl' | 'object';
type Shape = { [field: string]: { kind: Kind; optional?: boolean; shape?: Shape } };

const H_SHAPE: Shape = {
  model: { kind: 'object', shape: { cell: { kind: 'enum' }, hiddenSize: { kind: 'number' }, layers: { kind: 'number' } } },
  training: { kind: 'object', shape: {
    seqLength: { kind: 'number' }, batchSize: { kind: 'number' }, optimizer: { kind: 'enum' }, learningRate: { kind: 'number' },
    clipValue: { kind: 'number' }, clipNorm: { kind: 'number' }, valFraction: { kind: 'number' }, seed: { kind: 'number' },
  } },
  run: { kind: 'object', shape: {
    stopAfter: { kind: 'object', shape: { kind: { kind: 'enum' } } }, sampleEvery: { kind: 'number' },
    sampleLength: { kind: 'number' }, autosaveMinutes: { kind: 'number' },
  } },
};

/** A valid argument for each channel with an object argument, and what each field is. */
const VALID: Record<string, { arg: () => Record<string, unknown>; shape: Shape }> = {
  'corpus:open-file': { arg: () => ({ token: forgedToken() }), shape: { token: { kind: 'token' } } },
  'checkpoint:open-file': { arg: () => ({ token: forgedToken() }), shape: { token: { kind: 'token' } } },
  'file:register-drop': { arg: () => ({ path: '/tmp/dropped.txt' }), shape: { path: { kind: 'path' } } },
  'settings:set-hyperparameters': { arg: () => ({ ...tinyHyperparameters() }), shape: H_SHAPE },
  'training:start': {
    arg: () => ({ corpus: forgedToken(), hyperparameters: tinyHyperparameters(), resume: true }),
    shape: { corpus: { kind: 'token' }, hyperparameters: { kind: 'object', shape: H_SHAPE }, resume: { kind: 'boolean', optional: true } },
  },
  'preset:auto': {
    arg: () => ({ corpus: forgedToken(), stopAfter: { kind: 'minutes', value: 1 }, valFraction: 0.1, threads: 1 }),
    shape: { corpus: { kind: 'token' }, stopAfter: { kind: 'object', shape: { kind: { kind: 'enum' } } }, valFraction: { kind: 'number' }, threads: { kind: 'number', optional: true } },
  },
  'sampler:sample': {
    arg: () => ({ prime: 'The ', length: 40, temperature: 1, topK: 5, argmax: false, seed: 11 }),
    shape: { prime: { kind: 'text' }, length: { kind: 'number' }, temperature: { kind: 'number' }, topK: { kind: 'number' }, argmax: { kind: 'boolean' }, seed: { kind: 'number' } },
  },
  'checkpoint:export': { arg: () => ({ format: 'native' }), shape: { format: { kind: 'enum' } } },
  'file:save-text': { arg: () => ({ suggestedName: 'sample.txt', text: 'hello' }), shape: { suggestedName: { kind: 'name' }, text: { kind: 'text' } } },
  'file:save-png': { arg: () => ({ suggestedName: 'chart.png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' }), shape: { suggestedName: { kind: 'name' }, dataUrl: { kind: 'dataUrl' } } },
};

const NOT_AN_OBJECT = [null, 0, -1, 'x', '', true, false, [], [{}], HUGE_ARRAY, HUGE_STRING, NaN];

/** Values no field of this kind accepts. */
function wrongValues(kind: Kind): unknown[] {
  const common = [null, [], {}, HUGE_ARRAY, [1, 2, 3]];
  switch (kind) {
    case 'number': return [...common, '5', NaN, Infinity, -Infinity, -1e308, 1e308, true, HUGE_STRING];
    case 'boolean': return [...common, 'true', 1, 0, HUGE_STRING];
    case 'token': return [...common, 5, true, '', '/etc/passwd', 'C:\\Windows\\win.ini', '../../etc/passwd', 'file:///etc/passwd',
      `file-${hex(31)}`, `file-${hex(32).toUpperCase()}g`, `${forgedToken()}\0/etc/passwd`, ` ${forgedToken()}`, HUGE_STRING];
    case 'path': return [...common, 5, true, '', 'relative/a.txt', './a.txt', '/etc/\0passwd', HUGE_PATH, HUGE_STRING];
    case 'enum': return [...common, 5, true, '', 'NATIVE', 'transformer', '__proto__', HUGE_STRING];
    case 'name': return [...common, 5, true, '', '.', '..', '../../etc/passwd', '/etc/passwd', 'a\\b.txt', 'a\nb.txt', HUGE_STRING];
    case 'text': return [...common, 5, true, { length: 3 }];
    case 'dataUrl': return [...common, 5, true, '', 'data:text/html;base64,PHNjcmlwdD4=', 'data:image/png;base64,<script>', `file:///etc/passwd`, HUGE_STRING];
    case 'object': return [...common.slice(0, 1), 5, 'x', true, HUGE_STRING];
  }
}

interface Case { label: string; channel: unknown; arg: unknown; }

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Missing, wrong and extra fields, recursively, for one object argument. */
function fieldCases(channel: string, base: () => Record<string, unknown>, shape: Shape, path: string[] = []): Case[] {
  const cases: Case[] = [];
  const at = (root: Record<string, unknown>): Record<string, unknown> => path.reduce((o, k) => o[k] as Record<string, unknown>, root);
  for (const [field, spec] of Object.entries(shape)) {
    const where = [...path, field].join('.');
    if (!spec.optional) {
      const arg = clone(base());
      delete at(arg)[field];
      cases.push({ label: `${channel} without ${where}`, channel, arg });
    }
    for (const value of wrongValues(spec.kind)) {
      const arg = clone(base());
      at(arg)[field] = value;
      cases.push({ label: `${channel} ${where} = ${shownValue(value)}`, channel, arg });
    }
    if (spec.shape) cases.push(...fieldCases(channel, base, spec.shape, [...path, field]).filter((c) => !c.label.includes('.kind = {}')));
  }
  for (const extra of ['extra', 'path', 'token', 'constructor', 'prototype', `k${hex(6)}`].filter((k) => !(k in shape))) {
    const arg = clone(base());
    at(arg)[extra] = extra === 'path' ? '/etc/passwd' : 1;
    cases.push({ label: `${channel} ${[...path, extra].join('.')} (an extra field)`, channel, arg });
  }
  // an own "__proto__" key, as JSON.parse (and structured clone over IPC) makes one
  const proto = clone(base());
  const target = at(proto);
  Object.assign(target, JSON.parse('{"__proto__": {"polluted": true}}'));
  if (Object.hasOwn(target, '__proto__')) cases.push({ label: `${channel} ${[...path, '__proto__'].join('.')} (own key)`, channel, arg: proto });
  return cases;
}

function shownValue(v: unknown): string {
  if (typeof v === 'string') return v.length > 30 ? `a ${v.length}-character string` : JSON.stringify(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'number') return String(v);
  return v === null ? 'null' : typeof v;
}

/** A random JSON-ish value: what a confused or hostile page might send. */
function randomValue(depth = 0): unknown {
  switch (random.int(depth > 2 ? 6 : 8)) {
    case 0: return random.next() * 1e6 - 5e5;
    case 1: return hex(random.int(20));
    case 2: return random.next() < 0.5;
    case 3: return null;
    case 4: return random.pick([NaN, Infinity, -0, 2 ** 53, -1]);
    case 5: return String.fromCharCode(...Array.from({ length: random.int(10) }, () => random.int(0x10000)));
    case 6: return Array.from({ length: random.int(4) }, () => randomValue(depth + 1));
    default: return Object.fromEntries(Array.from({ length: 1 + random.int(4) }, () => [hex(4), randomValue(depth + 1)]));
  }
}

function allCases(): Case[] {
  const cases: Case[] = [];
  const channels = Object.keys(requestSchemas);
  for (const channel of channels) {
    const valid = VALID[channel];
    if (valid) {
      for (const arg of NOT_AN_OBJECT) cases.push({ label: `${channel} given ${shownValue(arg)}`, channel, arg });
      cases.push(...fieldCases(channel, valid.arg, valid.shape));
      for (let i = 0; i < RANDOM_CASES_PER_CHANNEL; i++) {
        const arg = { ...valid.arg(), [Object.keys(valid.shape)[random.int(Object.keys(valid.shape).length)]]: randomValue() };
        arg[`r${hex(5)}`] = randomValue(); // an extra field too, so the case is invalid whatever the random value
        cases.push({ label: `${channel} random #${i}`, channel, arg });
      }
    } else {
      // a channel that takes no argument refuses anything but null
      for (const arg of [0, '', false, true, {}, [], 'x', { path: '/etc/passwd' }, { token: forgedToken() }, HUGE_STRING, HUGE_ARRAY]) {
        cases.push({ label: `${channel} given ${shownValue(arg)}`, channel, arg });
      }
      for (let i = 0; i < 4; i++) cases.push({ label: `${channel} random #${i}`, channel, arg: randomValue(3) ?? 1 });
    }
  }
  // well-formed tokens main never handed out, in otherwise valid requests: refused by the grants, not the schema
  for (const channel of ['corpus:open-file', 'checkpoint:open-file', 'training:start', 'preset:auto']) {
    for (let i = 0; i < 20; i++) {
      const arg = VALID[channel].arg();
      if (channel === 'training:start') delete arg.resume;
      cases.push({ label: `${channel} with a token never handed out #${i}`, channel, arg });
    }
  }
  const unknown: unknown[] = ['corpus:open-path', 'checkpoint:open-path', 'shell:open-external', 'fs:read-file', '__proto__', 'constructor',
    'hasOwnProperty', 'toString', 'valueOf', '', ' ', 'training:start ', 'TRAINING:START', 'training:start\0', HUGE_STRING,
    5, null, undefined, {}, ['training:start'], true];
  for (let i = 0; i < 30; i++) unknown.push(`${hex(4)}:${hex(6)}`);
  for (const channel of unknown) cases.push({ label: `unknown channel ${shownValue(channel)}`, channel, arg: { path: '/etc/passwd' } });
  return cases;
}

/** Every path main's file functions are asked about while recording (as file-grants.test.ts records). */
function recordFileAccess(): { paths: string[]; restore(): void } {
  const paths: string[] = [];
  const fs = fsPromises as unknown as Record<string, (...args: unknown[]) => unknown>;
  const names = ['stat', 'lstat', 'readFile', 'open', 'access', 'realpath', 'readdir', 'writeFile', 'mkdir', 'rename', 'unlink'] as const;
  const originals = names.map((n) => fs[n]);
  names.forEach((name, i) => {
    fs[name] = (...args: unknown[]) => {
      paths.push(`${name} ${String(args[0])}`);
      return originals[i](...args);
    };
  });
  syncBuiltinESMExports();
  return {
    paths,
    restore: () => {
      names.forEach((name, i) => { fs[name] = originals[i]; });
      syncBuiltinESMExports();
    },
  };
}

describe('IPC fuzz through the real backend', () => {
  const folder = tempFolder('ipc-fuzz');
  const dialogs = new StubDialogs();
  let backend: Backend;
  let forks = 0;
  const cases = allCases();
  before(async () => {
    const fork = sourceForkWorker();
    const counting: ForkWorker = (...args) => { forks++; return fork(...args); };
    backend = createBackend({ userDataDir: folder.path, dialogs, forkWorker: counting, log: () => {} });
    await backend.ready;
  });
  after(async () => {
    await backend.dispose();
    folder.remove();
  });

  test(`${cases.length} malformed requests (seed ${SEED.toString(16)}): every one refused, no file read, main stays up`, async () => {
    const channels = new Set(Object.keys(requestSchemas));
    const covered = new Set(cases.map((c) => c.channel).filter((c) => channels.has(c as string)));
    assert.deepEqual([...covered].sort(), [...channels].sort(), 'every channel of the contract is fuzzed');
    assert.ok(cases.length >= 500, `hundreds of cases (${cases.length})`);

    const access = recordFileAccess();
    const problems: string[] = [];
    let refused = 0;
    try {
      for (const [i, c] of cases.entries()) {
        // every fourth case crosses the process boundary as the preload's invoke does
        const viaInvoke = i % 4 === 0;
        const outcome = await (viaInvoke ? backend.invoke(c.channel as string, c.arg) : backend.handle(c.channel as string, c.arg))
          .then((value) => ({ value }), (error: unknown) => ({ error }));
        if (!('error' in outcome)) {
          problems.push(`${c.label}: accepted (${JSON.stringify(outcome.value)?.slice(0, 80)})`);
          continue;
        }
        const e = outcome.error;
        const payload = viaInvoke ? parseWireError(e) : e instanceof ApiError ? e.toPayload() : null;
        if (!payload) { problems.push(`${c.label}: not an ApiError: ${String(e)}`); continue; }
        const prefix = typeof c.channel === 'string' && channels.has(c.channel) ? `${c.channel}: ` : 'Unknown request channel ';
        if (payload.code !== 'invalid-request') problems.push(`${c.label}: code ${payload.code}: ${payload.message}`);
        else if (!payload.message.startsWith(prefix)) problems.push(`${c.label}: message does not name the channel: ${payload.message}`);
        else if (c.label.includes('never handed out') && !payload.message.includes('that is not a file this window was given')) {
          problems.push(`${c.label}: not refused as a file never handed out: ${payload.message}`);
        }
        else if (payload.message.includes('\n') || payload.message.length > 300 || /\bat .*:\d+:\d+/.test(payload.message)) {
          problems.push(`${c.label}: not one short line: ${payload.message.slice(0, 200)}`);
        } else refused++;
      }
    } finally {
      access.restore();
    }
    console.log(`IPC fuzz: ${cases.length} cases over ${channels.size} channels and unknown ones, ${refused} refused with invalid-request, ${problems.length} problems`);
    assert.deepEqual(problems, []);
    assert.equal(refused, cases.length);
    assert.deepEqual(access.paths, [], 'no file was read or written for any of them');
    assert.equal(dialogs.asked.length, 0, 'no dialog was opened');
    assert.equal(forks, 0, 'no worker was started');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');

    // the recording does see main's reads: a token main handed out is served (here, for a missing file)
    const control = recordFileAccess();
    try {
      const token = await backend.handle('file:register-drop', { path: `${folder.path}/missing.txt` });
      await assert.rejects(backend.handle('corpus:open-file', { token }), (e: ApiError) => e.code === 'file-not-found');
    } finally {
      control.restore();
    }
    assert.ok(control.paths.some((p) => p.endsWith('missing.txt')), `the recording sees reads: ${control.paths.join(', ')}`);

    // main is still up and answers good requests
    assert.equal(((await backend.handle('training:status', null)) as TrainingStatus).phase, 'idle');
    const settings = await backend.handle('settings:get', null) as { hyperparameters: { model: { hiddenSize: number } } };
    assert.equal(settings.hyperparameters.model.hiddenSize, 100, 'no malformed request changed the settings');
  });
});

// Bad corpora (issue 7, "Counted suites"): each kind of file a user may hand over, through the CLI
// (`char-rnn train FILE`) and the app's backend (opening it by token): either refused with one specific
// line (and, in the app, its error code), or opened, with a note where there is something to know.
// Never a stack trace. A corpus deleted or changed during training: training goes on and says so.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MAX_CORPUS_BYTES } from '../../core/text.js';
import type { CorpusReport, TrainingStatus } from '../../main/contract/api.js';
import { ApiError } from '../../main/contract/api-error.js';
import { createBackend, type Backend } from '../../main/backend.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { generatedText, StubDialogs, tempFolder, tinyHyperparameters, tokenFor, waitFor } from './shell-support.js';

const ENTRY = resolve('main/cli/index.ts');
const FAULT_HOOK = resolve('test/helpers/fs-fault-hook.mjs');
const TINY = ['--hidden', '8', '--seq-length', '10', '--iterations', '20', '--print-every', '0', '--sample-every', '0'];
const ENGLISH = 'The quick brown fox jumps over the lazy dog.\n'.repeat(20);
const utf16 = (text: string, be: boolean) => {
  const le = Buffer.from(text, 'utf16le');
  return be ? Buffer.from(le.map((_, i) => le[i ^ 1])) : le;
};

interface Run { code: number | null; stdout: string; stderr: string }

function runCli(args: string[], env: Record<string, string> = {}, onStart?: () => void): Promise<Run> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...(env.CHAR_RNN_FS_FAULT ? ['--import', FAULT_HOOK] : []), ENTRY, ...args],
      { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      if (stderr === '' && onStart) onStart();
      stderr += s;
    });
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** What each kind should come to. `cli`/`app` override where the two differ (the CLI knows the sequence length). */
interface Refused { refused: true; code: string; message: RegExp }
interface Opened { refused: false; note: RegExp | null; check?: (report: CorpusReport) => void }
type Outcome = Refused | Opened;
interface Kind {
  name: string;
  make: (path: string) => void;   // writes the file (or folder, link, FIFO) at path
  file?: string;                  // the path handed over, if not the one made (a path under a file)
  cli: Outcome;
  app?: Outcome;
  env?: Record<string, string>;   // a fault injected into the CLI's process
  appFault?: { code: string };    // the same fault, in main's process while the app reads
}

const write = (bytes: Uint8Array | string) => (path: string) => writeFileSync(path, bytes);
const refused = (code: string, message: RegExp): Refused => ({ refused: true, code, message });
const opened = (note: RegExp | null, check?: (r: CorpusReport) => void): Opened => ({ refused: false, note, check });

/** Whether chmod 000 stops this process reading (it does not for root, as in CI containers). */
function chmodStopsReads(folder: string): boolean {
  const probe = join(folder, 'chmod-probe');
  writeFileSync(probe, 'x');
  chmodSync(probe, 0o000);
  try {
    readFileSync(probe);
    return false;
  } catch {
    return true;
  } finally {
    chmodSync(probe, 0o600);
    rmSync(probe);
  }
}

function kinds(folder: string): Kind[] {
  const chmodWorks = chmodStopsReads(folder);
  const unreadable: Kind = chmodWorks
    ? { name: 'unreadable (chmod 000)', make: (p) => { writeFileSync(p, ENGLISH); chmodSync(p, 0o000); },
        cli: refused('file-permission', /Permission denied: cannot read ".*unreadable.txt"/) }
    : { name: 'unreadable (running as root, where chmod 000 does not stop reads: EACCES injected into the read)', make: write(ENGLISH),
        env: { CHAR_RNN_FS_FAULT: JSON.stringify({ op: 'readFile', match: 'unreadable.txt', code: 'EACCES' }) }, appFault: { code: 'EACCES' },
        cli: refused('file-permission', /Permission denied: cannot read ".*unreadable.txt"/) };
  unreadable.file = 'unreadable.txt';
  const tenThousand = Array.from({ length: 10_000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
  return [
    { name: 'empty', make: write(''), cli: refused('corpus-empty', /the file is empty: a corpus needs text to learn from/) },
    { name: 'only a byte-order mark', make: write(Buffer.from([0xef, 0xbb, 0xbf])), cli: refused('corpus-empty', /holds only a byte-order mark/) },
    { name: 'whitespace only', make: write(' \t \n  \n'.repeat(40)), cli: opened(/only whitespace/) },
    { name: 'one distinct character', make: write('a'.repeat(500)), cli: opened(/one character \("a"|a\) repeated|one character .* repeated/) },
    { name: 'shorter than a sequence', make: write('hello'),
      cli: refused('corpus-too-short', /the training text has 5 characters; sequence length 10 with batch 1 needs at least 12/),
      app: opened(/Too short for the current settings/) },
    { name: 'a NUL byte (binary)', make: write('hello world\0 and more text here'), cli: refused('corpus-binary', /NUL byte at offset 11: it looks like a binary file/) },
    { name: 'random binary bytes', make: write(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))),
      cli: refused('corpus-binary', /NUL byte at offset \d+/) },
    { name: 'invalid UTF-8 (Latin-1 é)', make: write(Buffer.from('hello world café and more', 'latin1')),
      cli: refused('corpus-not-utf8', /not valid UTF-8 \(bad byte 0xe9 at offset 15\)/) },
    { name: 'invalid UTF-8: cut inside a character at the end', make: write(Buffer.concat([Buffer.from(ENGLISH), Buffer.from([0xe2, 0x82])])),
      cli: refused('corpus-not-utf8', /bad byte 0xe2 at offset 900/) },
    { name: 'invalid UTF-8: an overlong encoding', make: write(Buffer.from([0x61, 0x62, 0x63, 0x20, 0xc0, 0xaf, 0x20, 0x64])),
      cli: refused('corpus-not-utf8', /bad byte 0xc0 at offset 4/) },
    { name: 'invalid UTF-8: an encoded surrogate (CESU-8)', make: write(Buffer.from([0x61, 0x62, 0x63, 0x20, 0xed, 0xa0, 0x80, 0x20])),
      cli: refused('corpus-not-utf8', /bad byte 0xed at offset 4/) },
    { name: 'UTF-16 LE with a BOM', make: write(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16(ENGLISH, false)])),
      cli: opened(/UTF-16 LE \(byte-order mark\): decoded as such/), app: opened(/UTF-16 LE text, not UTF-8: it was decoded as such/) },
    { name: 'UTF-16 BE with a BOM', make: write(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16(ENGLISH, true)])),
      cli: opened(/UTF-16 BE \(byte-order mark\): decoded as such/), app: opened(/UTF-16 BE text, not UTF-8: it was decoded as such/) },
    { name: 'UTF-16 LE without a BOM', make: write(utf16(ENGLISH, false)),
      cli: refused('corpus-not-utf8', /looks like UTF-16LE text without a byte-order mark .* iconv -f UTF-16LE -t UTF-8/) },
    { name: 'UTF-16 BE without a BOM', make: write(utf16(ENGLISH, true)),
      cli: refused('corpus-not-utf8', /looks like UTF-16BE text without a byte-order mark .* iconv -f UTF-16BE -t UTF-8/) },
    { name: 'UTF-16 with a BOM, cut to an odd length', make: write(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16(ENGLISH, false), Buffer.from('a')])),
      cli: refused('corpus-not-utf8', /UTF-16 LE .* odd number of bytes: it was cut short/) },
    { name: 'a folder', make: (p) => mkdirSync(p), cli: refused('file-is-directory', /is a folder, not a corpus file/) },
    { name: 'a FIFO (never opened, so nothing blocks)', make: (p) => { const r = spawnSyncMkfifo(p); assert.equal(r, 0, 'mkfifo'); },
      cli: refused('file-not-regular', /is not a regular file \(a device, pipe or socket\)/) },
    { name: 'a path under a file', make: write('x'), file: 'a path under a file/corpus.txt',
      cli: refused('file-not-found', /Cannot read ".*corpus.txt": a part of the path is not a folder/) },
    { name: 'a symbolic link to nowhere', make: (p) => symlinkSync(join(folder, 'nowhere', 'x.txt'), p), cli: refused('file-not-found', /does not exist/) },
    { name: 'a missing file', make: () => {}, cli: refused('file-not-found', /does not exist/) },
    { name: 'larger than the limit (a sparse file: refused by its size, never read)', make: (p) => { writeFileSync(p, ''); truncateSync(p, MAX_CORPUS_BYTES + 2 ** 20); },
      cli: refused('file-too-large', /is 513\.0 MiB; the largest corpus supported is 512\.0 MiB/) },
    unreadable,
    { name: 'a 10,000-character vocabulary', make: write(tenThousand + tenThousand), cli: opened(/A very large vocabulary \(10000 different characters\)/),
      app: opened(/A very large vocabulary \(10000 different characters\)/, (r) => assert.equal(r.vocabularySize, 10_000)) },
    { name: 'combining marks', make: write('e\u0301a\u0300o\u0308 '.repeat(200)), cli: opened(/600 combining mark\(s\) \(U\+0300, U\+0301, U\+0308\).*NFC/) },
    { name: 'CR LF line endings', make: write(ENGLISH.replaceAll('\n', '\r\n')), cli: opened(/20 line\(s\) ending in CR LF/), app: opened(/20 line\(s\) end in CR LF/) },
    { name: 'a UTF-8 byte-order mark', make: write(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ENGLISH)])),
      cli: opened(/starts with a UTF-8 byte-order mark: it is left out/), app: opened(/starts with a byte-order mark; it is left out/) },
    { name: 'control characters', make: write('abc\u0007def\u001b[0m\n'.repeat(50)), cli: opened(/control characters \(/) },
    { name: 'U+FFFD replacement characters', make: write('caf\ufffd cr\ufffdme '.repeat(60)), cli: opened(/U\+FFFD replacement characters/) },
    { name: 'emoji and other characters beyond U+FFFF', make: write('🐍🦀 hello 👋🏽 '.repeat(100)), cli: opened(null),
      app: opened(null, (r) => assert.equal(r.vocabularySize, new Set('🐍🦀 hello 👋🏽 ').size)) },
  ];
}

/** Node has no mkfifo; the coreutils command is on every Linux and macOS. */
function spawnSyncMkfifo(path: string): number | null {
  return spawnSync('mkfifo', [path]).status;
}

/** Make main's reads of paths containing `match` fail with `code`, as the OS would. */
function injectReadFault(match: string, code: string): () => void {
  const fs = fsPromises as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const { readFile, open } = fs;
  const fail = (path: unknown) => { throw Object.assign(new Error(`${code}: injected`), { code, path: String(path) }); };
  fs.readFile = async (...args: unknown[]) => (String(args[0]).includes(match) ? fail(args[0]) : readFile(...args));
  fs.open = async (...args: unknown[]) => (String(args[0]).includes(match) ? fail(args[0]) : open(...args));
  syncBuiltinESMExports();
  return () => { Object.assign(fs, { readFile, open }); syncBuiltinESMExports(); };
}

function pathOf(folder: string, kind: Kind, i: number): { made: string; given: string } {
  const slug = kind.file ?? `${String(i).padStart(2, '0')}-${kind.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}.txt`;
  if (kind.file?.includes('/')) {
    const [parent, rest] = [kind.file.split('/')[0], kind.file.split('/').slice(1).join('/')];
    return { made: join(folder, parent), given: join(folder, parent, rest) };
  }
  return { made: join(folder, slug), given: join(folder, slug) };
}

describe('bad corpora through the CLI and the app', () => {
  const folder = tempFolder('bad-corpora');
  let backend: Backend;
  let list: Kind[] = [];
  const results: string[] = [];
  before(() => {
    list = kinds(folder.path);
    list.forEach((kind, i) => kind.make(pathOf(folder.path, kind, i).made));
    backend = createBackend({ userDataDir: join(folder.path, 'user-data'), dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
  });
  after(async () => {
    await backend.dispose();
    for (const [i, kind] of list.entries()) if (kind.name.startsWith('unreadable')) chmodSync(pathOf(folder.path, kind, i).made, 0o600);
    folder.remove();
    console.log(`bad corpora: ${list.length} kinds, ${results.length} checks (CLI and app) passed`);
  });

  test('at least 25 kinds', () => {
    assert.ok(list.length >= 25, `${list.length} kinds`);
  });

  test('the CLI: one specific line, or training with a note; never a stack trace', { concurrency: 1 }, async () => {
    const problems: string[] = [];
    const queue = list.map((kind, i) => ({ kind, i }));
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const { kind, i } = job;
        const { given } = pathOf(folder.path, kind, i);
        const run = await runCli(['train', given, ...TINY], kind.env);
        const where = `CLI, ${kind.name}`;
        try {
          assert.ok(!/\n\s+at .*:\d+:\d+/.test(run.stderr), `${where}: a stack trace: ${run.stderr}`);
          if (kind.cli.refused) {
            const lines = run.stderr.split('\n').filter((l) => l !== '');
            assert.equal(run.code, 1, `${where}: exit code (${run.stderr})`);
            assert.equal(lines.length, 1, `${where}: one line, got ${JSON.stringify(run.stderr)}`);
            assert.match(lines[0], /^char-rnn: /, where);
            assert.match(lines[0], kind.cli.message, where);
            assert.ok(lines[0].includes(given) || lines[0].includes(JSON.stringify(given)), `${where}: names the file`);
            assert.equal(run.stdout, '', `${where}: nothing on stdout`);
          } else {
            assert.equal(run.code, 0, `${where}: trains (${run.stderr})`);
            assert.match(run.stdout, /iter 20, loss/, `${where}: 20 iterations`);
            if (kind.cli.note) assert.match(run.stderr, kind.cli.note, `${where}: the note`);
          }
          results.push(where);
        } catch (e) {
          problems.push((e as Error).message);
        }
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    assert.deepEqual(problems, []);
  });

  test('the app: a specific error code and message, or a report with a note', async () => {
    const problems: string[] = [];
    for (const [i, kind] of list.entries()) {
      const { given } = pathOf(folder.path, kind, i);
      const want = kind.app ?? kind.cli;
      const where = `app, ${kind.name}`;
      const restore = kind.appFault ? injectReadFault(kind.file ?? given, kind.appFault.code) : () => {};
      try {
        const token = await tokenFor(backend, given);
        const outcome = await backend.handle('corpus:open-file', { token }).then((report) => ({ report }), (error: unknown) => ({ error }));
        if (want.refused) {
          assert.ok('error' in outcome, `${where}: should be refused`);
          const e = outcome.error;
          assert.ok(e instanceof ApiError, `${where}: an ApiError, got ${String(e)}`);
          assert.equal(e.code, want.code, `${where}: ${e.message}`);
          assert.match(e.message, want.message, where);
          assert.ok(!e.message.includes('\n') && !/\bat .*:\d+:\d+/.test(e.message), `${where}: one line, no stack`);
        } else {
          assert.ok('report' in outcome, `${where}: should open (${'error' in outcome ? (outcome.error as Error).message : ''})`);
          const report = outcome.report;
          if (want.note) assert.ok(report.warnings.some((w) => want.note!.test(w)), `${where}: the note, in ${JSON.stringify(report.warnings)}`);
          want.check?.(report);
        }
        results.push(where);
      } catch (e) {
        problems.push((e as Error).message);
      } finally {
        restore();
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe('a corpus deleted or changed on disk during training', () => {
  const folder = tempFolder('corpus-changes');
  let backend: Backend;
  after(async () => {
    await backend?.dispose();
    folder.remove();
  });

  for (const change of ['deleted', 'changed'] as const) {
    test(`CLI: ${change} — training goes on from memory and says so`, async () => {
      const path = join(folder.path, `cli-${change}.txt`);
      writeFileSync(path, generatedText(300));
      const touch = () => setTimeout(() => (change === 'deleted' ? rmSync(path) : appendFileSync(path, 'More text.\n')), 300);
      const run = await runCli(['train', path, '--hidden', '8', '--seq-length', '10', '--seconds', '4', '--print-every', '0', '--sample-every', '0'], {}, touch);
      assert.equal(run.code, 0, run.stderr);
      const want = change === 'deleted' ? /was deleted or moved on disk; training goes on from the copy read when the run started/
        : /was changed on disk; training goes on from the copy read when the run started/;
      assert.match(run.stderr, want);
      assert.equal(run.stderr.match(want)!.length, 1, 'said once');
      assert.match(run.stdout, /iter \d+, loss/, 'and it trained to the end');
    });
  }

  test('app: deleted — the run keeps going and the status says so', async () => {
    const path = join(folder.path, 'app.txt');
    writeFileSync(path, generatedText(300));
    backend = createBackend({ userDataDir: join(folder.path, 'user-data'), dialogs: new StubDialogs(), forkWorker: sourceForkWorker(), log: () => {} });
    const statuses: TrainingStatus[] = [];
    backend.on('training:status', (s) => statuses.push(s));
    await backend.handle('training:start', { corpus: await tokenFor(backend, path), hyperparameters: tinyHyperparameters() });
    const before = backend.session.status().iteration;
    rmSync(path);
    const told = await waitFor('the status to say so', () => statuses.find((s) => /was deleted or moved on disk; training goes on/.test(s.message ?? '')), 15_000);
    assert.equal(told.phase, 'running');
    await waitFor('more iterations after the file went', () => backend.session.status().iteration > before + 100, 15_000);
    assert.equal(backend.session.status().phase, 'running');
    await backend.handle('training:stop', null);
  });
});

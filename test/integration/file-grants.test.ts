// The renderer cannot make main read a file: requests name files by tokens main handed out (dialogs,
// drops registered by the preload, recent files), and a path or a forged token is refused with no file
// touched. Checked through the real backend and the preload's own createApi (issue 7, finding 3).
import assert from 'node:assert/strict';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StudioApi } from '../../main/contract/api.js';
import { parseWireError } from '../../main/contract/api-error.js';
import { createBackend, type Backend } from '../../main/backend.js';
import { createApi } from '../../main/preload/api.js';
import { isAllowedExternalUrl } from '../../main/services/external-links.js';
import type { ForkWorker } from '../../main/services/worker-host.js';
import { sourceForkWorker } from '../../main/services/node-fork.js';
import { rejectsWith, StubDialogs, tempFolder, tinyHyperparameters, writeCorpus } from './shell-support.js';

/** Every path main's file functions are asked about, while recording. */
function recordFileAccess(): { paths: string[]; restore(): void } {
  const paths: string[] = [];
  const fs = fsPromises as unknown as Record<string, (...args: unknown[]) => unknown>;
  const names = ['stat', 'lstat', 'readFile', 'open', 'access', 'realpath'] as const;
  const originals = names.map((n) => fs[n]);
  names.forEach((name, i) => {
    fs[name] = (...args: unknown[]) => {
      paths.push(String(args[0]));
      return originals[i](...args);
    };
  });
  syncBuiltinESMExports(); // the named imports in main/ see the recording functions
  return {
    paths,
    restore: () => {
      names.forEach((name, i) => { fs[name] = originals[i]; });
      syncBuiltinESMExports();
    },
  };
}

describe('file grants: the page names files by token only', () => {
  const folder = tempFolder('grants');
  const dialogs = new StubDialogs();
  let backend: Backend;
  let forks = 0;
  let corpusPath: string;
  let api: StudioApi;
  const dropped: Record<string, string> = {};
  before(() => {
    corpusPath = writeCorpus(folder.path, 'story.txt');
    const fork = sourceForkWorker();
    const counting: ForkWorker = (...args) => { forks++; return fork(...args); };
    backend = createBackend({ userDataDir: folder.path, dialogs, forkWorker: counting, log: () => {} });
    api = createApi((channel, arg) => backend.invoke(channel, arg), (channel, listener) => backend.on(channel, listener as never),
      (file) => dropped[file.name] ?? '');
  });
  after(async () => {
    await backend.dispose();
    folder.remove();
  });

  test('asking for /etc/passwd by path, or by a forged token, is refused clearly and no file is read', async () => {
    await backend.ready;
    const access = recordFileAccess();
    try {
      await rejectsWith(backend.handle('corpus:open-path', { path: '/etc/passwd' }), 'invalid-request', 'Unknown request channel "corpus:open-path".');
      await rejectsWith(backend.handle('checkpoint:open-path', { path: '/etc/passwd' }), 'invalid-request', /Unknown request channel/);
      await rejectsWith(backend.handle('corpus:open-file', { token: '/etc/passwd' }), 'invalid-request',
        'corpus:open-file: token must be a file token the app handed out (the page names files by token, never by path); got "/etc/passwd".');
      await rejectsWith(backend.handle('corpus:open-file', { path: '/etc/passwd' }), 'invalid-request', /token must be a file token/);
      const forged = `file-${'ab'.repeat(16)}`;
      await rejectsWith(backend.handle('corpus:open-file', { token: forged }), 'invalid-request',
        'corpus:open-file: that is not a file this window was given; choose it with Open… or drop it on the window.');
      await rejectsWith(backend.handle('checkpoint:open-file', { token: forged }), 'invalid-request', /not a file this window was given/);
      await rejectsWith(backend.handle('training:start', { corpus: '/etc/passwd', hyperparameters: tinyHyperparameters() }), 'invalid-request', /file token/);
      await rejectsWith(backend.handle('training:start', { corpus: forged, hyperparameters: tinyHyperparameters() }), 'invalid-request', /not a file this window was given/);
      // through window.api as the page has it: a File a page script makes has no path, so nothing is registered
      const made = await api.openDroppedCorpus({ name: 'passwd' } as File).then(() => null, (e: unknown) => parseWireError(e));
      assert.equal(made?.code, 'invalid-request');
      assert.equal(access.paths.filter((p) => p.includes('passwd')).length, 0, `no file was touched: ${access.paths.join(', ')}`);
      assert.equal(forks, 0, 'no worker was started to read it either');

      // the recording does see reads: a file the user picked in the dialog is read
      dialogs.answers.push(corpusPath);
      const report = (await api.openCorpus())!;
      assert.ok(access.paths.includes(corpusPath), 'the recording sees main\'s reads');
      assert.match(report.token, /^file-[0-9a-f]{32}$/);
      assert.ok(!report.token.includes('story'), 'a token says nothing about the path');
    } finally {
      access.restore();
    }
  });

  test('dialog answers, drops registered by the preload and recent files are served by their token', async () => {
    dialogs.answers.push(corpusPath);
    const picked = (await api.openCorpus())!;
    assert.equal((await api.openCorpusFile(picked.token)).path, corpusPath);

    const other = writeCorpus(folder.path, 'dropped.txt');
    dropped['dropped.txt'] = other;
    const viaDrop = await api.openDroppedCorpus({ name: 'dropped.txt' } as File);
    assert.equal(viaDrop.path, other);

    const recent = (await api.getSettings()).recent.corpora;
    assert.deepEqual(recent.map((r) => r.path), [other, corpusPath]);
    assert.equal((await api.openCorpusFile(recent[1].token)).fileName, 'story.txt');
  });

  test('shell.openExternal opens only the project\'s own pages', () => {
    assert.equal(isAllowedExternalUrl('https://github.com/karpathy/char-rnn'), true);
    assert.equal(isAllowedExternalUrl('https://gist.github.com/karpathy/d4dee566867f8291f086'), true);
    for (const url of ['https://evil.example/', 'http://github.com/karpathy/char-rnn', 'file:///etc/passwd',
      'https://github.com.evil.example/', 'https://user@evil.example/', 'javascript:alert(1)', 'not a url']) {
      assert.equal(isAllowedExternalUrl(url), false, url);
    }
  });
});

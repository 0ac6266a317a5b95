// `npm start` without Electron's binary: one line saying what is missing and what to do, exit 1, no stack trace;
// with the binary, or once its installer has fetched it, it goes on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { tempFolder } from './shell-support.js';

const script = resolve(import.meta.dirname, '../../scripts/ensure-electron.mjs');

/** A stand-in for node_modules/electron whose install.js does what `installer` says. */
function fakeElectron(dir: string, installer: string, installed = false): string {
  const pkg = join(dir, 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), '{"name":"electron","version":"0.0.0"}');
  writeFileSync(join(pkg, 'install.js'), installer);
  if (installed) {
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    writeFileSync(join(pkg, 'dist', 'electron'), '');
  }
  return pkg;
}

function ensure(pkg: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, CHAR_RNN_ELECTRON_DIR: pkg };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  return spawnSync(process.execPath, [script], { env, encoding: 'utf8' });
}

// what Electron's installer does offline: a fetch that fails, with its stack
const OFFLINE = "console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:13502:13\\n    at async downloadArtifact'); process.exit(1);";
const FETCHES = "const fs = require('fs'); fs.writeFileSync('path.txt', 'electron'); fs.writeFileSync('dist/electron', '');";

test('offline, without the binary: one line on what is missing and what to do, exit 1, no stack trace', () => {
  const folder = tempFolder('electron-offline');
  try {
    const r = ensure(fakeElectron(folder.path, OFFLINE));
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);   // "Downloading…", then the one line that matters
    assert.match(lines[1], /^Electron's binary could not be downloaded \(no network\?\): `npm start` needs it once.*npm run -s char-rnn -- --help/);
    assert.doesNotMatch(r.stderr, /fetch failed|^\s+at /m);
  } finally {
    folder.remove();
  }
});

test('the binary fetched by its installer, or already there: goes on, exit 0', () => {
  const folder = tempFolder('electron-present');
  try {
    const fetched = ensure(fakeElectron(join(folder.path, 'a'), FETCHES));
    assert.equal(fetched.status, 0, fetched.stderr);
    const present = ensure(fakeElectron(join(folder.path, 'b'), OFFLINE, true));
    assert.equal(present.status, 0, present.stderr);
    assert.equal(present.stderr, '', 'nothing is fetched when the binary is there');
  } finally {
    folder.remove();
  }
});

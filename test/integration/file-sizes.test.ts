// The size rule (scripts/check-file-sizes.mjs): this tree keeps it, and a crafted checkout that breaks it fails,
// naming the file, while the kernels' folder and a file marked generated are left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tempFolder } from './shell-support.js';

const repo = resolve(import.meta.dirname, '../..');

function checkSizes(dir?: string) {
  const r = spawnSync(process.execPath, [join(repo, 'scripts/check-file-sizes.mjs'), ...(dir ? [dir] : [])], { encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const line${i} = ${i};`).join('\n') + '\n';

test('no tracked source file of this tree is over 300 lines', () => {
  const r = checkSizes();
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /no source file over 300 lines/);
});

test('a checkout with a file over 300 lines fails and names it; kernels, generated files and prose are left out', () => {
  const folder = tempFolder('sizes');
  const files: Record<string, string> = {
    'core/long.ts': lines(301),
    'renderer/src/Long.svelte': `<script lang="ts">\n${lines(300)}</script>\n`,
    'scripts/long.mjs': lines(320),
    'core/just-fits.ts': lines(300),
    'core/no-newline-at-end.ts': lines(300).trimEnd(),
    'wasm/assembly/index.ts': lines(900),
    'core/kernels/wasm-bytes.ts': lines(700),
    'docs/long.md': lines(400),
    'core/untracked.ts': lines(500),
    '.gitattributes': 'core/kernels/wasm-bytes.ts -diff linguist-generated\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder.path, path)), { recursive: true });
    writeFileSync(join(folder.path, path), text);
  }
  const git = (...args: string[]) => spawnSync('git', args, { cwd: folder.path, encoding: 'utf8' });
  git('init', '-q');
  git('add', ...Object.keys(files).filter((f) => f !== 'core/untracked.ts'));

  const r = checkSizes(folder.path);
  folder.remove();
  assert.equal(r.status, 1, r.output);
  const named = r.output.split('\n').filter((line) => line.includes(' lines (over 300')).map((line) => line.split(':')[0]);
  assert.deepEqual(named, ['scripts/long.mjs', 'renderer/src/Long.svelte', 'core/long.ts'], r.output);
  assert.match(r.output, /core\/long\.ts: 301 lines/);
  assert.match(r.output, /renderer\/src\/Long\.svelte: 302 lines/);
  assert.match(r.output, /3 source files over 300 lines/);
});

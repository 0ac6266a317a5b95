// The layer check itself: it passes on this tree (no circles either) and fails, naming rule and import, on a tree that
// breaks each rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tempFolder } from './shell-support.js';

const repo = resolve(import.meta.dirname, '../..');

function checkLayers(dir?: string) {
  const r = spawnSync(process.execPath, [join(repo, 'scripts/check-layers.mjs'), ...(dir ? [dir] : [])], { encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

test('this tree keeps its layers', () => {
  const r = checkLayers();
  assert.equal(r.status, 0, r.output);
  assert.match(r.output, /no dependency violations found/);
});

test('a crafted tree that breaks every rule fails, naming each rule and import', () => {
  const folder = tempFolder('layers');
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
    'core/ok.ts': 'export const one = 1;\n',
    'core/reads-files.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    'core/reaches-up.ts': "import { handler } from '../main/services/uses-electron.js';\nexport const h = handler;\n",
    'main/contract/api.ts': 'export interface Thing { size: number }\n',
    'main/contract/validate.ts': "import { isAbsolute } from 'node:path';\nexport const valid = isAbsolute;\n",
    'main/electron/window.ts': "import { app } from 'electron';\nexport const theApp = app;\n",
    'main/services/uses-electron.ts': "import { ipcMain } from 'electron';\nexport const handler = ipcMain;\n",
    'renderer/src/ok.ts': "import type { Thing } from '../../main/contract/api.js';\nimport { one } from '../../core/ok.js';\nexport const t: Thing = { size: one };\n",
    'renderer/src/validates.ts': "import { valid } from '../../main/contract/validate.js';\nexport const v = valid;\n",
    'renderer/src/services.ts': "import type { handler } from '../../main/services/uses-electron.js';\nexport type H = typeof handler;\n",
    'renderer/src/node.ts': "import { join } from 'node:path';\nexport const j = join;\n",
    'renderer/src/typo.ts': "import { gone } from './no-such-file.js';\nexport const g = gone;\n",
    // a circle made of type imports alone is still a circle
    'main/services/circle-a.ts': "import type { B } from './circle-b.js';\nexport interface A { b?: B }\n",
    'main/services/circle-b.ts': "import type { A } from './circle-a.js';\nexport interface B { a?: A }\n",
    // no folder is left out of the circle rule, the kernels included
    'core/kernels/kernels.ts': "import type { Arena } from './wasm.js';\nexport interface Kernels { arena?: Arena }\n",
    'core/kernels/wasm.ts': "import type { Kernels } from './kernels.js';\nexport interface Arena { kernels?: Kernels }\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder.path, path)), { recursive: true });
    writeFileSync(join(folder.path, path), text);
  }
  symlinkSync(join(repo, 'node_modules'), join(folder.path, 'node_modules'), 'dir');

  const r = checkLayers(folder.path);
  folder.remove();
  assert.notEqual(r.status, 0, 'the check fails');
  const broken: [rule: string, from: string][] = [
    ['core-imports-only-core', 'core/reads-files.ts'],
    ['core-imports-only-core', 'core/reaches-up.ts'],
    ['only-the-glue-imports-electron', 'main/services/uses-electron.ts'],
    ['renderer-imports-contract-types', 'renderer/src/validates.ts'],
    ['renderer-reaches-main-only-through-the-contract', 'renderer/src/services.ts'],
    ['renderer-no-node', 'renderer/src/node.ts'],
    ['imports-resolve', 'renderer/src/typo.ts'],
    ['no-circular', 'main/services/circle-a.ts'],
    ['no-circular', 'core/kernels/kernels.ts'],
  ];
  for (const [rule, from] of broken) {
    assert.ok(r.output.split('\n').some((line) => line.includes(rule) && line.includes(from)), `${rule} at ${from}:\n${r.output}`);
  }
  for (const fine of ['renderer/src/ok.ts', 'main/electron/window.ts', 'main/contract/validate.ts']) {
    assert.ok(!r.output.split('\n').some((line) => line.includes(`${fine} →`)), `${fine} breaks nothing:\n${r.output}`);
  }
});

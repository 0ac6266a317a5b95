// The layer check of `npm test`: dependency-cruiser over core/, main/ and renderer/src/ with the rules in
// .dependency-cruiser.cjs. Exits non-zero and names each broken rule and import when one is broken.
// `node scripts/check-layers.mjs [DIR]` checks the tree in DIR instead (the checker's own test does).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(process.argv[2] ?? repo);
const folders = ['core', 'main', 'renderer/src'].filter((f) => existsSync(join(root, f)));
const r = spawnSync(process.execPath, [
  join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
  ...folders, '--config', join(repo, '.dependency-cruiser.cjs'), '--output-type', 'err',
], { cwd: root, encoding: 'utf8' });
process.stdout.write(r.stdout ?? '');
process.stderr.write(r.stderr ?? '');
process.exit(r.status ?? 1);

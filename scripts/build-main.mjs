// Bundles the Electron side: main, preload and the training worker, each one CommonJS file in dist/.
// `electron` stays external (Electron provides it); everything else, zod included, is bundled, so the
// packaged app needs no node_modules. Pass --sourcemap for development builds.
import { build } from 'esbuild';
import { buildSharePageScript } from './build-share-page.mjs';
import { rmSync } from 'node:fs';

const entries = [
  { in: 'main/electron/index.ts', out: 'dist/main/index.cjs' },
  { in: 'main/preload/index.ts', out: 'dist/preload/index.cjs' },
  { in: 'main/worker/index.ts', out: 'dist/worker/index.cjs' },
];

const sourcemap = process.argv.includes('--sourcemap');
for (const dir of ['dist/main', 'dist/preload', 'dist/worker']) rmSync(dir, { recursive: true, force: true });
const started = performance.now();
const sharePageScript = await buildSharePageScript();
await Promise.all(entries.map((entry) => build({
  entryPoints: [entry.in],
  outfile: entry.out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',          // Electron 45's Node
  external: ['electron'],
  sourcemap,
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' }, // the training pool checks for a bundle before it reads import.meta
  legalComments: 'none',
  define: { __SHARE_PAGE_SCRIPT__: JSON.stringify(sharePageScript) }, // the worker's Export… as a web page inlines it
})));
console.log(`built ${entries.map((e) => e.out).join(', ')} in ${Math.round(performance.now() - started)} ms`);

// Bundles the CLI into dist/cli/char-rnn.cjs, which bin/char-rnn.js and `npm run char-rnn` run.
// The file is replaced atomically (a temporary file renamed over it) and only when its bytes change:
// `npm run char-rnn` rebuilds before every run, and another char-rnn starting at that moment must
// never load a half-written (or, mid-truncation, empty) bundle.
import { build } from 'esbuild';
import { buildSharePageScript } from './build-share-page.mjs';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const outfile = 'dist/cli/char-rnn.cjs';
const sharePageScript = await buildSharePageScript();
const result = await build({
  entryPoints: ['main/cli/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' }, // the training pool checks for a bundle before it reads import.meta
  define: { __SHARE_PAGE_SCRIPT__: JSON.stringify(sharePageScript) }, // `export … .html` inlines it
});
const bytes = result.outputFiles[0].contents;
let current = null;
try {
  current = readFileSync(outfile);
} catch {
  // first build
}
if (!current || !Buffer.from(bytes).equals(current)) {
  mkdirSync(dirname(outfile), { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, outfile);
}

// Run by `npm start` before anything else: Electron's npm package fetches its binary on first use, and where
// that cannot happen (no network) the user would get a fetch error and a stack trace. Here: the binary is there
// (go on), or its own installer fetches it now (go on), or one line says what is missing and what to do (exit 1).
// CHAR_RNN_ELECTRON_DIR names another Electron package folder (the test's stand-in).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const WHY = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? 'was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set)' : 'could not be downloaded (no network?)';
const MISSING = `Electron's binary ${WHY}: \`npm start\` needs it once, then works offline. ` +
  'The CLI works offline now: `npm run -s char-rnn -- --help`';

const packageDir = process.env.CHAR_RNN_ELECTRON_DIR ?? dirname(createRequire(import.meta.url).resolve('electron/package.json'));

/** Electron's own rule (its index.js): path.txt names the executable under dist/; an override folder replaces dist/. */
function binaryPresent() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return true;
  const pathFile = join(packageDir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

if (!binaryPresent()) {
  console.error('Downloading Electron\'s binary (once)…');
  // its output (a fetch error and its stack, when offline) is kept back: the line below says what matters
  spawnSync(process.execPath, [join(packageDir, 'install.js')], { cwd: packageDir, stdio: ['ignore', 'ignore', 'ignore'], timeout: 10 * 60_000 });
  if (!binaryPresent()) {
    console.error(MISSING);
    process.exit(1);
  }
}

// Is there an Electron binary to run? Found the way the electron package finds it (path.txt, then dist/),
// but without require('electron'), which would try to download one. Without it the suite is skipped, saying why.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export function findElectronBinary(): ElectronBinary {
  const override = process.env.CHAR_RNN_ELECTRON;
  if (override) {
    return existsSync(override) ? { found: true, path: override } : { found: false, reason: `CHAR_RNN_ELECTRON=${override} does not exist` };
  }
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { found: false, reason: `no Electron binary was downloaded (${pathFile} is missing: installed offline or with ELECTRON_SKIP_BINARY_DOWNLOAD)` };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const path = join(distDir, relative);
  return existsSync(path) ? { found: true, path } : { found: false, reason: `the Electron binary ${path} is missing` };
}

export const SKIP_NOTICE = (reason: string) =>
  `\n*** Electron app tests SKIPPED: ${reason}.\n*** They run where the electron package has its binary (or set CHAR_RNN_ELECTRON to one).\n`;

// Where the CLI's paths point: relative to the folder the user ran the command in, also through
// `npm run` (which runs scripts from the package root and keeps the user's folder in INIT_CWD).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** The folder relative paths are taken from: INIT_CWD under an npm script, else the working directory. */
export function userFolder(env: NodeJS.ProcessEnv = process.env): string {
  const initCwd = env.INIT_CWD;
  if (env.npm_lifecycle_event !== undefined && initCwd && isAbsolute(initCwd)) return initCwd;
  return process.cwd();
}

/** A path as the user meant it, absolute (messages then say exactly which file). */
export function userPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(userFolder(env), path);
}

/**
 * The app's data folder names: Electron names it after the app, which is electron-builder's productName
 * in the packaged app and package.json's "name" when run from the repository (npm start).
 */
export const APP_DATA_NAMES = ['Char-RNN Studio', 'char-rnn-studio'] as const;

/**
 * Where a run is saved when its --out cannot be written any more (disk full, folder gone): the rescue
 * folder beside the app's autosave folder — the installed app's if it has run here, else the one
 * `npm start` uses, else the installed app's name (CHAR_RNN_RESCUE_DIR overrides it).
 */
export function rescueFolder(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string {
  if (env.CHAR_RNN_RESCUE_DIR) return resolve(env.CHAR_RNN_RESCUE_DIR);
  const appData = process.platform === 'win32' ? env.APPDATA ?? join(homedir(), 'AppData', 'Roaming')
    : process.platform === 'darwin' ? join(homedir(), 'Library', 'Application Support')
    : env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  const name = APP_DATA_NAMES.find((n) => exists(join(appData, n))) ?? APP_DATA_NAMES[0];
  return join(appData, name, 'rescue');
}

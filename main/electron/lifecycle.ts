// One instance, windows that come and go, and a quit that autosaves and stops the worker first.
import { app } from 'electron';
import type { Backend } from '../backend.js';

/** Development and the _electron tests only: a userData folder of their own (ignored in a packaged app). */
export function userDataFromEnvironment(): void {
  const folder = process.env.CHAR_RNN_USER_DATA;
  if (folder && !app.isPackaged) app.setPath('userData', folder);
}

/** One instance: a second launch focuses the first and hands it its argv (a .ckpt opened from the file manager). */
export function enforceSingleInstance(focus: (argv: string[]) => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', (_event, argv) => focus(argv));
  return true;
}

/** Closing the last window quits (also on macOS: a training app without its window has nothing to show). */
export function quitWithLastWindow(): void {
  app.on('window-all-closed', () => app.quit());
}

/** Before quitting: autosave and stop the worker (it is killed if it takes longer than the timeout). */
export function stopWorkerOnQuit(backend: Backend, timeoutMs = 5000): void {
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    backend.dispose(timeoutMs).catch((e: unknown) => console.error(`[quit] ${(e as Error).message}`)).finally(() => app.quit());
  });
}

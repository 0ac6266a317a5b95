// The Electron main process, as a table of contents: each line one named setup step.
import { app, type BrowserWindow } from 'electron';
import { createBackend } from '../backend.js';
import { electronDialogs } from './dialogs.js';
import { forwardEvents, registerRequestHandlers } from './ipc.js';
import { enforceSingleInstance, quitWithLastWindow, stopWorkerOnQuit, userDataFromEnvironment } from './lifecycle.js';
import { followTraining, installDesktopMenu, openCheckpointsFromShell } from './desktop.js';
import { appPaths } from './paths.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { lockDownWebContents } from './security.js';
import { createMainWindow } from './window.js';
import { utilityForkWorker } from './worker-fork.js';

let mainWindow: BrowserWindow | null = null;
const currentWindow = () => mainWindow;
const shellFiles = openCheckpointsFromShell();

function focusMainWindow(argv: string[]): void {
  shellFiles.fromSecondInstance(argv);
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function onReady(): Promise<void> {
  const paths = appPaths();
  lockDownWebContents();
  serveRenderer(paths.renderer);
  const backend = createBackend({
    userDataDir: app.getPath('userData'),
    dialogs: electronDialogs(currentWindow),
    forkWorker: utilityForkWorker(paths.worker),
  });
  registerRequestHandlers(backend);
  forwardEvents(backend, currentWindow);
  installDesktopMenu(backend, currentWindow);
  followTraining(backend, currentWindow);
  stopWorkerOnQuit(backend);
  quitWithLastWindow();
  mainWindow = await createMainWindow(paths.preload, backend);
  mainWindow.on('closed', () => { mainWindow = null; });
  shellFiles.attach(backend); // after the page has loaded and subscribed
}

userDataFromEnvironment();
if (enforceSingleInstance(focusMainWindow)) {
  registerAppScheme();
  app.whenReady().then(onReady).catch((e: unknown) => {
    console.error('Char-RNN Studio could not start:', e);
    app.exit(1);
  });
}

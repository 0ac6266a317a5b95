// The main window, locked down: isolated, sandboxed, no Node, shown once painted, bounds remembered.
import { app, BrowserWindow, screen } from 'electron';
import type { Backend } from '../backend.js';
import type { WindowBounds } from '../services/settings.js';
import { APP_ENTRY_URL } from './protocol.js';

export async function createMainWindow(preload: string, backend: Backend): Promise<BrowserWindow> {
  const bounds = visibleBounds(await backend.windowBounds());
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Char-RNN Studio',
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !app.isPackaged,   // DevTools in development only
    },
  });
  window.once('ready-to-show', () => {
    if (bounds.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    const b = window.getNormalBounds();
    void backend.saveWindowBounds({ ...b, maximized: window.isMaximized() });
  });
  await window.loadURL(APP_ENTRY_URL);
  return window;
}

/** The saved bounds if they still fit on a screen (a monitor may have gone), else a default size. */
function visibleBounds(saved: WindowBounds | null): WindowBounds {
  const fallback = { width: 1280, height: 820 };
  if (!saved) return fallback;
  if (saved.x === undefined || saved.y === undefined) return { width: saved.width, height: saved.height, maximized: saved.maximized };
  const onScreen = screen.getAllDisplays().some(({ workArea: a }) =>
    saved.x! >= a.x - 50 && saved.y! >= a.y - 50 && saved.x! + 100 <= a.x + a.width && saved.y! + 100 <= a.y + a.height);
  return onScreen ? saved : { width: saved.width, height: saved.height, maximized: saved.maximized };
}

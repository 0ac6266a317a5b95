// The desktop citizen, applied: menu with Help and Open Recent, taskbar progress, notifications, no sleep while
// training, and .ckpt files from the OS. Every decision is main/services/desktop.ts's (unit-tested in Node);
// this file only hands the answers to Electron.
import { app, dialog, Menu, Notification, powerSaveBlocker, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { Backend } from '../backend.js';
import type { ProgressEvent, TrainingPhase, TrainingStatus } from '../contract/api.js';
import {
  aboutDetail, checkpointFromArgv, HOMEPAGE, menuTemplate, runEndNotice, SHORTCUTS, shouldBlockSleep, taskbarProgress,
  type MenuSpec, type ShellAction,
} from '../services/desktop.js';
import { isAllowedExternalUrl } from '../services/external-links.js';


function toElectron(items: MenuSpec[], act: (a: ShellAction) => void): MenuItemConstructorOptions[] {
  return items.map((i) => {
    const item: MenuItemConstructorOptions = {};
    if (i.label !== undefined) item.label = i.label;
    if (i.accelerator !== undefined) item.accelerator = i.accelerator;
    if (i.role !== undefined) item.role = i.role as MenuItemConstructorOptions['role'];
    if (i.type !== undefined) item.type = i.type;
    if (i.enabled !== undefined) item.enabled = i.enabled;
    if (i.action) { const a = i.action; item.click = () => act(a); }
    if (i.submenu) item.submenu = toElectron(i.submenu, act);
    return item;
  });
}

/** The application menu; rebuilt when the recent checkpoints change. */
export function installDesktopMenu(backend: Backend, window: () => BrowserWindow | null): () => Promise<void> {
  const act = (a: ShellAction): void => {
    switch (a.kind) {
      case 'command': backend.sendMenuCommand(a.command); return;
      case 'open-recent': backend.openCheckpointFromShell(a.path); return;
      case 'clear-recent': void backend.clearRecent().then(rebuild); return;
      case 'about': void showAbout(window()); return;
      case 'shortcuts': void showShortcuts(window()); return;
      case 'readme': if (isAllowedExternalUrl(HOMEPAGE)) void shell.openExternal(HOMEPAGE); return;
    }
  };
  const rebuild = async () => {
    const recentCheckpoints = await backend.recentCheckpoints().catch(() => []);
    const template = menuTemplate({ isMac: process.platform === 'darwin', isDev: !app.isPackaged, recentCheckpoints });
    Menu.setApplicationMenu(Menu.buildFromTemplate(toElectron(template, act)));
  };
  app.setAboutPanelOptions({ applicationName: 'Char-RNN Studio', applicationVersion: app.getVersion(), copyright: 'MIT licence' });
  void rebuild();
  // a checkpoint opened or saved joins the recent list: the menu follows
  backend.on('training:status', () => { void rebuild(); });
  return rebuild;
}

function showAbout(parent: BrowserWindow | null): Promise<unknown> {
  const options = { type: 'info' as const, title: 'About Char-RNN Studio', message: 'Char-RNN Studio',
    detail: aboutDetail(app.getVersion(), process.versions, 'MIT'), buttons: ['OK'] };
  return parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options);
}

function showShortcuts(parent: BrowserWindow | null): Promise<unknown> {
  const options = { type: 'info' as const, title: 'Keyboard shortcuts', message: 'Keyboard shortcuts',
    detail: SHORTCUTS.map(([keys, what]) => `${keys}\t${what}`).join('\n'), buttons: ['OK'] };
  return parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options);
}

/** Taskbar/dock progress, a notification when a run ends by itself, and no system sleep while training. */
export function followTraining(backend: Backend, window: () => BrowserWindow | null): void {
  let status: TrainingStatus | null = null;
  let progress: ProgressEvent | null = null;
  let phase: TrainingPhase = 'idle';
  let blocker: number | null = null;
  const apply = () => {
    const w = window();
    if (status && w && !w.isDestroyed()) {
      const p = taskbarProgress(status, progress);
      w.setProgressBar(p.value, { mode: p.mode });
    }
  };
  backend.on('training:progress', (p) => { progress = p; apply(); });
  backend.on('training:status', (s) => {
    const notice = runEndNotice(phase, s);
    if (notice && Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
    phase = s.phase;
    status = s;
    if (shouldBlockSleep(s.phase) && blocker === null) blocker = powerSaveBlocker.start('prevent-app-suspension');
    if (!shouldBlockSleep(s.phase) && blocker !== null) {
      powerSaveBlocker.stop(blocker);
      blocker = null;
    }
    apply();
  });
}

/**
 * .ckpt files from the OS: macOS sends 'open-file' (also before the app is ready), Windows and Linux put the
 * path in argv, and a second launch's argv arrives through the single-instance lock ('second-instance').
 */
export function openCheckpointsFromShell(): { attach(backend: Backend): void; fromSecondInstance(argv: string[]): void } {
  let backend: Backend | null = null;
  const waiting: string[] = [];
  const open = (path: string) => (backend ? backend.openCheckpointFromShell(path) : waiting.push(path));
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (/\.ckpt$/i.test(path)) open(path);
  });
  const first = checkpointFromArgv(process.argv, app.isPackaged);
  if (first) waiting.push(first);
  return {
    attach(b) {
      backend = b;
      // called once the page has loaded (and subscribed): hand over what came before
      for (const path of waiting.splice(0)) b.openCheckpointFromShell(path);
    },
    fromSecondInstance(argv) {
      const path = checkpointFromArgv(argv, app.isPackaged);
      if (path) open(path);
    },
  };
}

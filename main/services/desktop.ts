// What the desktop shell shows, decided without Electron (main/electron only applies it): the menu's
// layout, the taskbar/dock progress, when a run's end deserves a notification, when the OS must not
// sleep, and which .ckpt a launch was asked to open. Node's unit tests cover all of it.
import type { MenuCommand, ProgressEvent, TrainingPhase, TrainingStatus } from '../contract/api.js';

// ---- the application menu ----

/** package.json's homepage, which Help › README opens (on external-links.ts's list of pages the app may open). */
export const HOMEPAGE = 'https://github.com/char-rnn-studio/char-rnn-studio#readme';

/** What a menu item does beyond the renderer's MenuCommands: shell actions main performs itself. */
export type ShellAction =
  | { kind: 'command'; command: MenuCommand }
  | { kind: 'open-recent'; path: string }
  | { kind: 'clear-recent' }
  | { kind: 'about' }
  | { kind: 'shortcuts' }
  | { kind: 'readme' };

export interface MenuSpec {
  label?: string;
  accelerator?: string;
  role?: string;                 // an Electron role ('quit', 'editMenu', 'toggleDevTools', …)
  type?: 'separator';
  enabled?: boolean;
  action?: ShellAction;
  submenu?: MenuSpec[];
}

export interface RecentEntry {
  path: string;
  fileName: string;
  iteration?: number;
}

export interface MenuOptions {
  isMac: boolean;
  /** DevTools only in development (an unpackaged app). */
  isDev: boolean;
  recentCheckpoints: readonly RecentEntry[];
}

/** The keyboard shortcuts, as the Help menu lists them (the renderer binds the same keys, shortcuts.ts). */
export const SHORTCUTS: readonly [keys: string, what: string][] = [
  ['Ctrl+Enter', 'Start or continue training (in the prime: Generate)'],
  ['Space or Ctrl+P', 'Pause'],
  ['Space or Ctrl+Shift+P', 'Resume'],
  ['Ctrl+.', 'Stop'],
  ['Esc', 'Ask to stop (Keep training is the default answer)'],
  ['Ctrl+G', 'Generate a sample'],
  ['Ctrl+O / Ctrl+Shift+O', 'Open a corpus / a checkpoint'],
  ['Ctrl+S / Ctrl+E', 'Save / export the checkpoint'],
];

export function menuTemplate(o: MenuOptions): MenuSpec[] {
  const cmd = (label: string, accelerator: string, command: MenuCommand): MenuSpec =>
    ({ label, accelerator, action: { kind: 'command', command } });
  const recent: MenuSpec[] = o.recentCheckpoints.length === 0
    ? [{ label: 'No recent checkpoints', enabled: false }]
    : o.recentCheckpoints.map((r) => ({
      label: r.iteration === undefined ? r.fileName : `${r.fileName} (iteration ${r.iteration.toLocaleString('en-US')})`,
      action: { kind: 'open-recent', path: r.path },
    }));
  const view: MenuSpec[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (o.isDev) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  return [
    ...(o.isMac ? [{ role: 'appMenu' }] : []),
    {
      label: '&File',
      submenu: [
        cmd('Open Corpus…', 'CmdOrCtrl+O', 'open-corpus'),
        cmd('Open Checkpoint…', 'CmdOrCtrl+Shift+O', 'open-checkpoint'),
        {
          label: 'Open Recent',
          submenu: [...recent, { type: 'separator' }, { label: 'Clear Recent', enabled: o.recentCheckpoints.length > 0, action: { kind: 'clear-recent' } }],
        },
        { type: 'separator' },
        cmd('Save Checkpoint…', 'CmdOrCtrl+S', 'save-checkpoint'),
        cmd('Export Checkpoint…', 'CmdOrCtrl+E', 'export-checkpoint'),
        { type: 'separator' },
        o.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Training',
      submenu: [
        cmd('Start', 'CmdOrCtrl+Enter', 'start'),
        cmd('Pause', 'CmdOrCtrl+P', 'pause'),
        cmd('Resume', 'CmdOrCtrl+Shift+P', 'resume'),
        cmd('Stop', 'CmdOrCtrl+.', 'stop'),
        { type: 'separator' },
        cmd('Sample', 'CmdOrCtrl+G', 'sample'),
      ],
    },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    {
      label: '&Help',
      submenu: [
        { label: 'Keyboard Shortcuts', action: { kind: 'shortcuts' } },
        { label: 'README', action: { kind: 'readme' } },
        ...(o.isMac ? [] : [{ type: 'separator' } as MenuSpec, { label: 'About Char-RNN Studio', action: { kind: 'about' } } as MenuSpec]),
      ],
    },
  ];
}

/** The About box's text: version, engine and licence. */
export function aboutDetail(version: string, versions: { electron?: string; node?: string; chrome?: string }, licence: string): string {
  return [
    `Version ${version}`,
    'Engine: character-level RNN, LSTM and GRU in TypeScript with WebAssembly kernels (from Karpathy\'s min-char-rnn)',
    `Electron ${versions.electron ?? '?'} · Chromium ${versions.chrome ?? '?'} · Node ${versions.node ?? '?'}`,
    `Licence: ${licence}`,
  ].join('\n');
}

// ---- taskbar / dock progress ----

export interface TaskbarProgress {
  /** setProgressBar's value: 0…1, or -1 to remove the bar. */
  value: number;
  mode: 'normal' | 'paused' | 'none';
}

/** How far the run is toward its stopping point, or null when it has none ("never") or cannot tell yet. */
export function runFraction(status: TrainingStatus, progress: ProgressEvent | null): number | null {
  const stop = status.hyperparameters?.run.stopAfter;
  if (!stop || stop.kind === 'never' || !progress) return null;
  if (stop.kind === 'iterations') return stop.value > 0 ? Math.min(1, progress.iteration / stop.value) : null;
  const total = stop.value * 60_000;
  return total > 0 ? Math.min(1, progress.elapsedMs / total) : null;
}

export function taskbarProgress(status: TrainingStatus, progress: ProgressEvent | null): TaskbarProgress {
  const fraction = runFraction(status, progress);
  if (fraction === null || !(status.phase === 'running' || status.phase === 'paused')) return { value: -1, mode: 'none' };
  return { value: fraction, mode: status.phase === 'paused' ? 'paused' : 'normal' };
}

// ---- notifications ----

export interface Notice { title: string; body: string }

/**
 * A notification when a run ends by itself — its stop condition, divergence or a crash — while it was
 * training; none for a stop or pause the user asked for (those carry no message).
 */
export function runEndNotice(before: TrainingPhase, status: TrainingStatus): Notice | null {
  if (before !== 'running') return null;
  const message = status.message;
  if (status.phase === 'crashed') return { title: 'Training crashed', body: message ?? 'The training process ended unexpectedly.' };
  if (!message || (status.phase !== 'stopped' && status.phase !== 'paused')) return null;
  if (/diverged|exploded|no longer a number/i.test(message)) return { title: 'Training stopped: the loss diverged', body: message };
  if (status.phase === 'stopped') return { title: 'Training finished', body: message };
  return null;
}

// ---- sleep ----

/** Keep the computer awake while a run trains (a paused or stopped run may let it sleep). */
export function shouldBlockSleep(phase: TrainingPhase): boolean {
  return phase === 'running' || phase === 'starting';
}

// ---- files handed to the app by the OS ----

/**
 * The .ckpt a launch names (Windows and Linux pass the file as an argument; a second launch's argv comes
 * through 'second-instance'). argv[0] is the executable; in development argv[1] is the app's folder.
 */
export function checkpointFromArgv(argv: readonly string[], isPackaged: boolean): string | null {
  const args = argv.slice(isPackaged ? 1 : 2);
  return args.find((a) => !a.startsWith('-') && /\.ckpt$/i.test(a)) ?? null;
}

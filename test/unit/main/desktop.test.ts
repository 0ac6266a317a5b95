// The desktop shell's decisions, without Electron: menus (Help, Open Recent, DevTools only in development),
// taskbar progress, notifications at a run's end, sleep blocking and .ckpt files from the OS.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProgressEvent, StopAfter, TrainingStatus } from '../../../main/contract/api.js';
import { DEFAULT_HYPERPARAMETERS } from '../../../main/contract/defaults.js';
import {
  aboutDetail, checkpointFromArgv, HOMEPAGE, menuTemplate, runEndNotice, shouldBlockSleep, taskbarProgress, type MenuSpec,
} from '../../../main/services/desktop.js';

function find(items: MenuSpec[], label: string): MenuSpec | undefined {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu && find(item.submenu, label);
    if (inner) return inner;
  }
  return undefined;
}
const roles = (items: MenuSpec[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...(i.submenu ? roles(i.submenu) : [])]);

describe('menu', () => {
  const recent = [{ path: '/m/a.ckpt', fileName: 'a.ckpt', iteration: 12_000 }, { path: '/m/b.ckpt', fileName: 'b.ckpt' }];

  test('Help: shortcuts, README and About (in the app menu on macOS)', () => {
    const win = menuTemplate({ isMac: false, isDev: false, recentCheckpoints: [] });
    assert.deepEqual(find(win, '&Help')!.submenu!.filter((i) => i.label).map((i) => i.label), ['Keyboard Shortcuts', 'README', 'About Char-RNN Studio']);
    assert.deepEqual(find(win, 'About Char-RNN Studio')!.action, { kind: 'about' });
    const mac = menuTemplate({ isMac: true, isDev: false, recentCheckpoints: [] });
    assert.equal(find(mac, 'About Char-RNN Studio'), undefined);
    assert.ok(roles(mac).includes('appMenu'));
  });

  test('File › Open Recent lists the checkpoints and clears them; empty, it says so', () => {
    const m = menuTemplate({ isMac: false, isDev: false, recentCheckpoints: recent });
    const items = find(m, 'Open Recent')!.submenu!;
    assert.deepEqual(items.map((i) => i.label ?? i.type), ['a.ckpt (iteration 12,000)', 'b.ckpt', 'separator', 'Clear Recent']);
    assert.deepEqual(items[0].action, { kind: 'open-recent', path: '/m/a.ckpt' });
    assert.deepEqual(items.at(-1)!.action, { kind: 'clear-recent' });
    const empty = find(menuTemplate({ isMac: false, isDev: false, recentCheckpoints: [] }), 'Open Recent')!.submenu!;
    assert.equal(empty[0].label, 'No recent checkpoints');
    assert.equal(empty[0].enabled, false);
    assert.equal(empty.at(-1)!.enabled, false);
  });

  test('Help › README opens the homepage package.json names, which the app is allowed to open', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { homepage: string };
    assert.equal(HOMEPAGE, pkg.homepage);
    const { isAllowedExternalUrl } = await import('../../../main/services/external-links.js');
    assert.equal(isAllowedExternalUrl(HOMEPAGE), true);
  });

  test('DevTools only in development', () => {
    assert.ok(!roles(menuTemplate({ isMac: false, isDev: false, recentCheckpoints: [] })).includes('toggleDevTools'));
    assert.ok(roles(menuTemplate({ isMac: false, isDev: true, recentCheckpoints: [] })).includes('toggleDevTools'));
  });

  test('About names the version, the engine and the licence', () => {
    const text = aboutDetail('1.2.3', { electron: '45.0.0', node: '22.1.0', chrome: '140' }, 'MIT');
    assert.match(text, /Version 1\.2\.3/);
    assert.match(text, /Engine: .*RNN/);
    assert.match(text, /Licence: MIT/);
  });
});

describe('taskbar progress, notifications, sleep', () => {
  const status = (phase: TrainingStatus['phase'], stopAfter: StopAfter, message?: string): TrainingStatus => ({
    phase, corpusPath: '/c.txt', checkpointPath: null, iteration: 0, ...(message ? { message } : {}),
    hyperparameters: { ...structuredClone(DEFAULT_HYPERPARAMETERS), run: { ...DEFAULT_HYPERPARAMETERS.run, stopAfter } },
  } as TrainingStatus);
  const progress = (iteration: number, elapsedMs = 0) => ({ iteration, elapsedMs } as ProgressEvent);

  test('a bar toward the stopping point while running or paused; none without a stop', () => {
    assert.deepEqual(taskbarProgress(status('running', { kind: 'iterations', value: 1000 }), progress(250)), { value: 0.25, mode: 'normal' });
    assert.deepEqual(taskbarProgress(status('paused', { kind: 'minutes', value: 2 }), progress(5, 30_000)), { value: 0.25, mode: 'paused' });
    assert.deepEqual(taskbarProgress(status('running', { kind: 'never' }), progress(250)), { value: -1, mode: 'none' });
    assert.deepEqual(taskbarProgress(status('stopped', { kind: 'iterations', value: 1000 }), progress(1000)), { value: -1, mode: 'none' });
    assert.deepEqual(taskbarProgress(status('running', { kind: 'iterations', value: 1000 }), null), { value: -1, mode: 'none' });
  });

  test('a notification when a run ends by itself, not when the user stops or pauses it', () => {
    const stop = { kind: 'iterations', value: 100 } as const;
    assert.deepEqual(runEndNotice('running', status('stopped', stop, 'Stopped at iteration 100, as set.')),
      { title: 'Training finished', body: 'Stopped at iteration 100, as set.' });
    assert.equal(runEndNotice('running', status('stopped', stop, 'Training diverged at iteration 40: the loss is no longer a number.'))!.title,
      'Training stopped: the loss diverged');
    assert.equal(runEndNotice('running', status('paused', stop, 'The loss exploded at iteration 90; rolled back.'))!.title, 'Training stopped: the loss diverged');
    assert.equal(runEndNotice('running', status('crashed', stop))!.title, 'Training crashed');
    assert.equal(runEndNotice('running', status('stopped', stop)), null, 'the user stopped it');
    assert.equal(runEndNotice('running', status('paused', stop)), null, 'the user paused it');
    assert.equal(runEndNotice('paused', status('stopped', stop, 'Stopped at iteration 100, as set.')), null, 'it was not training');
  });

  test('the computer stays awake only while training', () => {
    assert.deepEqual((['idle', 'starting', 'running', 'paused', 'stopping', 'stopped', 'crashed'] as const).filter(shouldBlockSleep), ['starting', 'running']);
  });
});

test('a .ckpt named on the command line (packaged, and in development after the app folder)', () => {
  assert.equal(checkpointFromArgv(['/opt/studio/char-rnn-studio', '/home/a/model.ckpt'], true), '/home/a/model.ckpt');
  assert.equal(checkpointFromArgv(['/opt/studio/char-rnn-studio', '--no-sandbox', 'C:\\runs\\M.CKPT'], true), 'C:\\runs\\M.CKPT');
  assert.equal(checkpointFromArgv(['electron', '/repo', 'x.ckpt'], false), 'x.ckpt');
  assert.equal(checkpointFromArgv(['electron', 'app.ckpt'], false), null, 'in development argv[1] is the app');
  assert.equal(checkpointFromArgv(['/opt/studio/char-rnn-studio', 'notes.txt'], true), null);
});

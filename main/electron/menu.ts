// The application menu: file and training commands with accelerators, sent to the renderer as 'menu:command'.
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../contract/api.js';

export function installApplicationMenu(send: (command: MenuCommand) => void): void {
  const item = (label: string, accelerator: string, command: MenuCommand): MenuItemConstructorOptions =>
    ({ label, accelerator, click: () => send(command) });
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        item('Open Corpus…', 'CmdOrCtrl+O', 'open-corpus'),
        item('Open Checkpoint…', 'CmdOrCtrl+Shift+O', 'open-checkpoint'),
        { type: 'separator' },
        item('Save Checkpoint…', 'CmdOrCtrl+S', 'save-checkpoint'),
        item('Export Checkpoint…', 'CmdOrCtrl+E', 'export-checkpoint'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Training',
      submenu: [
        item('Start', 'CmdOrCtrl+Enter', 'start'),
        item('Pause', 'CmdOrCtrl+P', 'pause'),
        item('Resume', 'CmdOrCtrl+Shift+P', 'resume'),
        item('Stop', 'CmdOrCtrl+.', 'stop'),
        { type: 'separator' },
        item('Sample', 'CmdOrCtrl+G', 'sample'),
      ],
    },
    {
      label: '&View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, { role: 'toggleDevTools' }],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

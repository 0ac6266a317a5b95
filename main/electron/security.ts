// Lock-downs for every web contents: no new windows, no navigation away, no permissions, no <webview>.
import { app, session, shell } from 'electron';
import { isAllowedExternalUrl } from '../services/external-links.js';
import { isAppUrl } from './protocol.js';

export function lockDownWebContents(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // the project's own pages open in the browser, never in the app; any other URL is dropped
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** True when an IPC message comes from our page (the top frame at app://studio), not from anything else. */
export function isTrustedSender(frame: Electron.WebFrameMain | null): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

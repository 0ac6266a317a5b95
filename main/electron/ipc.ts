// Requests from the renderer: one ipcMain.handle per channel, all through handle(), which refuses other
// senders and lets the backend validate the argument. Events go out to the window the same way.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Backend } from '../backend.js';
import type { RequestChannel } from '../contract/api.js';
import { toWireError } from '../contract/api-error.js';
import { requestSchemas } from '../contract/validate.js';
import { isTrustedSender } from './security.js';

export function registerRequestHandlers(backend: Backend): void {
  for (const channel of Object.keys(requestSchemas) as RequestChannel[]) handle(backend, channel);
}

function handle(backend: Backend, channel: RequestChannel): void {
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, arg: unknown) => {
    if (!isTrustedSender(event.senderFrame)) {
      throw toWireError({ code: 'invalid-request', message: `Refused ${channel} from an untrusted page.` });
    }
    return backend.invoke(channel, arg); // validates, and rejects with the ApiErrorPayload JSON
  });
}

/** Every backend event to the window while it is open. */
export function forwardEvents(backend: Backend, window: () => BrowserWindow | null): void {
  backend.onAny((channel, payload) => {
    const w = window();
    if (w && !w.isDestroyed()) w.webContents.send(channel, payload);
  });
}

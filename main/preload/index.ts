// The preload (sandboxed): window.api and nothing else; ipcRenderer itself never reaches the page.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApi } from './api.js';

const api = createApi(
  (channel, arg) => ipcRenderer.invoke(channel, arg),
  (channel, listener) => {
    const forward = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => { ipcRenderer.removeListener(channel, forward); };
  },
  (file) => webUtils.getPathForFile(file),
);

contextBridge.exposeInMainWorld('api', api);

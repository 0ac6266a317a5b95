// window.api built from two functions: invoke(channel, arg) and subscribe(channel, cb). No Electron here,
// so the Electron preload and the end-to-end harness's page bundle expose exactly the same object.
import type { EventChannel, Events, RequestChannel, Requests, StudioApi, Unsubscribe } from '../contract/api.js';
import { toWireError } from '../contract/api-error.js';

export type Invoke = (channel: RequestChannel, arg: unknown) => Promise<unknown>;
export type Subscribe = (channel: EventChannel, listener: (payload: unknown) => void) => Unsubscribe;

function noPathForFile(): string {
  return ''; // outside the desktop app nothing can tell where a dropped file is
}

export function createApi(invoke: Invoke, subscribe: Subscribe, pathForFile: (file: File) => string = noPathForFile): StudioApi {
  /** One call. A failure passes through as it came (an Error with the ApiErrorPayload JSON in its message): the renderer reads it once. */
  const call = <C extends RequestChannel>(channel: C, arg: Requests[C]['arg']): Promise<Requests[C]['result']> =>
    invoke(channel, arg) as Promise<Requests[C]['result']>;
  const on = <E extends EventChannel>(channel: E) => (cb: (payload: Events[E]) => void): Unsubscribe =>
    subscribe(channel, (payload) => cb(payload as Events[E]));

  return Object.freeze({
    openCorpus: () => call('corpus:open-dialog', null),
    openCorpusFile: (token) => call('corpus:open-file', { token }),
    openDroppedCorpus: async (file: File) => {
      // only a File the user dropped has a path (a File made by a page script has none): that path is
      // registered with main here, in the preload, and the page gets the report with its token
      const path = pathForFile(file);
      if (!path) {
        throw toWireError({ code: 'invalid-request', message: `Cannot open “${file.name}”: the app could not tell where the file is. Use Open… instead.` });
      }
      const token = await call('file:register-drop', { path });
      return call('corpus:open-file', { token });
    },
    getSettings: () => call('settings:get', null),
    setHyperparameters: (h) => call('settings:set-hyperparameters', h),
    startTraining: (corpus, hyperparameters, options) =>
      call('training:start', options?.resume === undefined ? { corpus, hyperparameters } : { corpus, hyperparameters, resume: options.resume }),
    autoPreset: (request) => call('preset:auto', request),
    pause: () => call('training:pause', null),
    resume: () => call('training:resume', null),
    stop: () => call('training:stop', null),
    status: () => call('training:status', null),
    restoreAutosave: () => call('training:restore-autosave', null),
    history: () => call('training:history', null),
    sample: (request) => call('sampler:sample', request),
    saveCheckpoint: () => call('checkpoint:save-as', null),
    saveBestCheckpoint: () => call('checkpoint:save-best-as', null),
    openCheckpoint: () => call('checkpoint:open-dialog', null),
    openCheckpointFile: (token) => call('checkpoint:open-file', { token }),
    compareCheckpoint: () => call('checkpoint:compare-dialog', null),
    exportCheckpoint: (format) => call('checkpoint:export', { format }),
    saveText: (suggestedName: string, text: string) => call('file:save-text', { suggestedName, text }),
    savePng: (suggestedName: string, dataUrl: string) => call('file:save-png', { suggestedName, dataUrl }),
    inspectSurprisal: (request) => call('inspect:surprisal', request),
    inspectUnits: (request) => call('inspect:units', request),
    inspectCopies: (request) => call('inspect:copies', request),
    temperatureStrip: (request) => call('inspect:temperatures', request),
    onProgress: on('training:progress'),
    onLiveSample: on('training:sample'),
    onStatus: on('training:status'),
    onSampleChunk: on('sampler:chunk'),
    onCorpusProgress: on('corpus:progress'),
    onMenuCommand: on('menu:command'),
    onOpenCheckpoint: on('app:open-checkpoint'),
  } satisfies StudioApi);
}

// window.api built from two functions: invoke(channel, arg) and subscribe(channel, cb). No Electron here,
// so the Electron preload and the end-to-end harness's page bundle expose exactly the same object.
import type { EventChannel, Events, RequestChannel, Requests, StudioApi, Unsubscribe } from '../contract/api.js';

export type Invoke = (channel: RequestChannel, arg: unknown) => Promise<unknown>;
export type Subscribe = (channel: EventChannel, listener: (payload: unknown) => void) => Unsubscribe;

function noPathForFile(): string {
  throw new Error('pathForFile is only available in the desktop app.');
}

export function createApi(invoke: Invoke, subscribe: Subscribe, pathForFile: (file: File) => string = noPathForFile): StudioApi {
  /** One call. A failure passes through as it came (an Error with the ApiErrorPayload JSON in its message): the renderer reads it once. */
  const call = <C extends RequestChannel>(channel: C, arg: Requests[C]['arg']): Promise<Requests[C]['result']> =>
    invoke(channel, arg) as Promise<Requests[C]['result']>;
  const on = <E extends EventChannel>(channel: E) => (cb: (payload: Events[E]) => void): Unsubscribe =>
    subscribe(channel, (payload) => cb(payload as Events[E]));

  return Object.freeze({
    openCorpus: () => call('corpus:open-dialog', null),
    openCorpusPath: (path: string) => call('corpus:open-path', { path }),
    pathForFile: (file: File) => pathForFile(file),
    getSettings: () => call('settings:get', null),
    setHyperparameters: (h) => call('settings:set-hyperparameters', h),
    startTraining: (corpusPath, hyperparameters, options) =>
      call('training:start', options?.resume === undefined ? { corpusPath, hyperparameters } : { corpusPath, hyperparameters, resume: options.resume }),
    pause: () => call('training:pause', null),
    resume: () => call('training:resume', null),
    stop: () => call('training:stop', null),
    status: () => call('training:status', null),
    restoreAutosave: () => call('training:restore-autosave', null),
    history: () => call('training:history', null),
    sample: (request) => call('sampler:sample', request),
    saveCheckpoint: () => call('checkpoint:save-as', null),
    openCheckpoint: () => call('checkpoint:open-dialog', null),
    openCheckpointPath: (path: string) => call('checkpoint:open-path', { path }),
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
    onMenuCommand: on('menu:command'),
  } satisfies StudioApi);
}

// Everything behind window.api, without Electron: each Requests channel handled after validation, and
// the Events channels from one emitter. Electron's ipcMain handlers call it, and so does the end-to-end
// harness through Playwright's page.exposeBinding; dialogs and the worker fork are passed in.
import { join } from 'node:path';
import type { CorpusReport, EventChannel, Events, MenuCommand, RequestChannel, Requests, SettingsView, Unsubscribe } from './contract/api.js';
import { ApiError, toApiError, toWireError } from './contract/api-error.js';
import { validateRequest } from './contract/validate.js';
import { AutoPresetService } from './services/auto-preset.js';
import { AutosaveStore } from './services/autosave-store.js';
import { CheckpointService } from './services/checkpoints.js';
import { FileGrants } from './services/file-grants.js';
import { corpusReport } from './services/corpus.js';
import { CORPUS_FILTERS, type Dialogs } from './services/dialogs.js';
import { savePngFile, saveTextFile } from './services/file-exports.js';
import { SettingsService, type WindowBounds } from './services/settings.js';
import { TrainingSession } from './services/training-session.js';
import type { ForkWorker } from './services/worker-host.js';

export interface BackendOptions {
  userDataDir: string;             // settings.json and autosave/ live here
  dialogs: Dialogs;
  forkWorker: ForkWorker;          // utilityProcess.fork in the app, child_process.fork elsewhere
  autosaveDir?: string;            // default: <userDataDir>/autosave
  log?: (message: string) => void; // default: console.warn
}

export type EventListener = <E extends EventChannel>(channel: E, payload: Events[E]) => void;

export interface Backend {
  /** A request, validated; rejects with an ApiError (code + message for people). */
  handle<C extends RequestChannel>(channel: C, arg: Requests[C]['arg']): Promise<Requests[C]['result']>;
  handle(channel: string, arg: unknown): Promise<unknown>;
  /** handle() for a process boundary: rejects with an Error whose message is the ApiErrorPayload JSON. */
  invoke(channel: string, arg: unknown): Promise<unknown>;
  on<E extends EventChannel>(channel: E, listener: (payload: Events[E]) => void): Unsubscribe;
  /** Every event, for forwarding to a window or a page. */
  onAny(listener: EventListener): Unsubscribe;
  /** The application menu's commands travel as 'menu:command' events, like everything else. */
  sendMenuCommand(command: MenuCommand): void;
  /** A checkpoint the OS handed to the app (file manager, argv, a second launch, Open Recent): the page opens it by token. */
  openCheckpointFromShell(path: string): void;
  /** The recent checkpoints, newest first, for File › Open Recent. */
  recentCheckpoints(): Promise<{ path: string; fileName: string; iteration: number }[]>;
  clearRecent(): Promise<void>;
  /** Settings loaded and the last autosave looked up. handle() waits for it by itself. */
  readonly ready: Promise<void>;
  windowBounds(): Promise<WindowBounds | null>;
  saveWindowBounds(bounds: WindowBounds): Promise<void>;
  /** Quitting: autosave, then stop the worker (killed after timeoutMs). */
  dispose(timeoutMs?: number): Promise<void>;
  /** For tests and diagnostics. */
  readonly session: TrainingSession;
}

type Handlers = { [C in RequestChannel]: (arg: Requests[C]['arg']) => Promise<Requests[C]['result']> };

export function createBackend(options: BackendOptions): Backend {
  const { dialogs } = options;
  const log = options.log ?? ((message: string) => console.warn(`[backend] ${message}`));
  const grants = new FileGrants();
  const session = new TrainingSession(options.forkWorker, new AutosaveStore(options.autosaveDir ?? join(options.userDataDir, 'autosave')),
    (path) => grants.grant(path));
  const auto = new AutoPresetService({ describe: corpusReport, measureSpeed: (threads) => session.measureSpeed(threads) });
  const settingsLoaded = SettingsService.open(options.userDataDir);
  const ready = Promise.all([settingsLoaded, session.whenLoaded()]).then(([settings]) => {
    if (settings.problem) log(settings.problem);
  });
  ready.catch(() => {}); // reported by the first request

  const listeners = new Set<EventListener>();
  const emit: EventListener = (channel, payload) => {
    for (const listener of listeners) {
      try {
        listener(channel, payload);
      } catch (e) {
        log(`an event listener for ${channel} failed: ${(e as Error).message}`);
      }
    }
  };
  session.on('status', (s) => emit('training:status', s));
  session.on('progress', (p) => emit('training:progress', p));
  session.on('liveSample', (s) => emit('training:sample', s));
  session.on('sampleChunk', (c) => emit('sampler:chunk', c));
  session.on('corpusProgress', (p) => emit('corpus:progress', p));

  /** Remembering is a convenience: a settings file that cannot be written must not fail the request. */
  const remember = (write: Promise<void>) => write.catch((e: unknown) => log(`could not save settings: ${(e as Error).message}`));

  const handlers = (settings: SettingsService): Handlers => {
    const checkpoints = new CheckpointService(session, settings, dialogs, grants);
    const openCorpus = async (path: string): Promise<CorpusReport> => {
      const report = await corpusReport(path, settings.get().hyperparameters.training);
      await remember(settings.addRecentCorpus(path));
      return { ...report, token: grants.grant(path) };
    };
    /** Settings with a token for each recent file: main stored those paths, so it may hand them out. */
    const settingsView = (): SettingsView => {
      const { hyperparameters, recent } = settings.get();
      return {
        hyperparameters,
        hyperparametersChosen: settings.hyperparametersChosen,
        recent: {
          corpora: recent.corpora.map((path) => ({ path, token: grants.grant(path) })),
          checkpoints: recent.checkpoints.map((c) => ({ ...c, token: grants.grant(c.path) })),
        },
      };
    };
    return {
      'corpus:open-dialog': async () => {
        const path = await dialogs.openFile({ title: 'Open corpus', filters: CORPUS_FILTERS });
        return path === null ? null : openCorpus(path);
      },
      'corpus:open-file': ({ token }) => openCorpus(grants.resolve(token, 'corpus:open-file')),
      'file:register-drop': async ({ path }) => grants.grant(path),
      'settings:get': async () => settingsView(),
      'settings:set-hyperparameters': async (h) => {
        await settings.setHyperparameters(h).catch((e: unknown) => { throw toApiError(e); });
        return null;
      },
      'training:start': async ({ corpus, hyperparameters, resume }) => {
        const corpusPath = grants.resolve(corpus, 'training:start');
        const status = await session.start(corpusPath, hyperparameters, resume);
        await remember(settings.setHyperparameters(hyperparameters));
        await remember(settings.addRecentCorpus(corpusPath));
        return status;
      },
      'preset:auto': ({ corpus, ...request }) => auto.choose(grants.resolve(corpus, 'preset:auto'), request),
      'training:pause': () => session.pause(),
      'training:resume': () => session.resume(),
      'training:stop': () => session.stop(),
      'training:status': async () => session.status(),
      'training:restore-autosave': () => session.restoreAutosave(),
      'training:history': () => session.history(),
      'sampler:sample': (request) => session.sample(request),
      'checkpoint:save-as': () => checkpoints.saveAs(),
      'checkpoint:save-best-as': () => checkpoints.saveBestAs(),
      'checkpoint:open-dialog': () => checkpoints.openDialog(),
      'checkpoint:open-file': ({ token }) => checkpoints.openPath(grants.resolve(token, 'checkpoint:open-file')),
      'checkpoint:compare-dialog': () => checkpoints.compareDialog(),
      'checkpoint:export': ({ format }) => checkpoints.exportDialog(format),
      'file:save-text': ({ suggestedName, text }) => saveTextFile(dialogs, suggestedName, text),
      'file:save-png': ({ suggestedName, dataUrl }) => savePngFile(dialogs, suggestedName, dataUrl),
      'inspect:surprisal': ({ corpus, ...request }) => session.inspect('inspect-surprisal',
        { ...request, corpusPath: corpus === null ? null : grants.resolve(corpus, 'inspect:surprisal') }),
      'inspect:units': (request) => session.inspect('inspect-units', request),
      'inspect:copies': ({ corpus, ...request }) => session.inspect('inspect-copies',
        { ...request, corpusPath: corpus === null ? null : grants.resolve(corpus, 'inspect:copies') }),
      'inspect:temperatures': (request) => session.inspect('inspect-temperatures', request),
    };
  };
  const handlersReady = settingsLoaded.then(handlers);
  handlersReady.catch(() => {});

  async function handle(channel: string, arg: unknown): Promise<unknown> {
    try {
      const valid = validateRequest(channel, arg);
      await ready;
      const table = await handlersReady;
      return await (table[channel as RequestChannel] as (a: unknown) => Promise<unknown>)(valid);
    } catch (e) {
      throw toApiError(e);
    }
  }

  return {
    handle: handle as Backend['handle'],
    invoke: (channel, arg) => handle(channel, arg).catch((e: ApiError) => { throw toWireError(e.toPayload()); }),
    on: (channel, listener) => {
      const forward: EventListener = (c, payload) => { if ((c as EventChannel) === channel) (listener as (p: unknown) => void)(payload); };
      listeners.add(forward);
      return () => { listeners.delete(forward); };
    },
    onAny: (listener) => {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    sendMenuCommand: (command) => emit('menu:command', command),
    openCheckpointFromShell: (path) => emit('app:open-checkpoint', { token: grants.grant(path) }),
    recentCheckpoints: async () => (await settingsLoaded).get().recent.checkpoints
      .map((c) => ({ path: c.path, fileName: c.fileName, iteration: c.iteration })),
    clearRecent: async () => { await remember((await settingsLoaded).clearRecent()); },
    ready,
    windowBounds: async () => (await settingsLoaded).windowBounds,
    saveWindowBounds: async (bounds) => { await remember((await settingsLoaded).setWindowBounds(bounds)); },
    dispose: (timeoutMs) => session.shutdown(timeoutMs),
    session,
  };
}

// Runs in the page before the app (bundled as an IIFE, added with page.addInitScript): window.api is the
// preload's own createApi, whose invoke goes through a Playwright binding to the real backend in the test,
// and whose events arrive from the test through __studioEmit.
import { createApi } from '../../../main/preload/api.js';

type Listener = (payload: unknown) => void;

interface BridgeGlobals {
  api: unknown;
  /** Installed by page.exposeBinding in the test. */
  __studioInvoke(channel: string, arg: unknown): Promise<unknown>;
  /** Called by the test (page.evaluate) with the backend's events since its last call, in order. */
  __studioEmit(events: [channel: string, payload: unknown][]): void;
  /** What webUtils.getPathForFile would answer for a dropped file, by file name (set by the test). */
  __studioDroppedPaths: Record<string, string>;
  __studioLongTasks: { start: number; duration: number }[];
}

const g = globalThis as unknown as BridgeGlobals;
const listeners = new Map<string, Set<Listener>>();

g.__studioDroppedPaths = {};
g.__studioEmit = (events) => {
  for (const [channel, payload] of events) {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  }
};

g.api = createApi(
  (channel, arg) => g.__studioInvoke(channel, arg),
  (channel, listener) => {
    const set = listeners.get(channel) ?? new Set<Listener>();
    listeners.set(channel, set);
    set.add(listener);
    return () => { set.delete(listener); };
  },
  (file) => g.__studioDroppedPaths[file.name] ?? '',
);

// Long tasks on the renderer's main thread, from the first moment (the training test reads them).
g.__studioLongTasks = [];
try {
  // 'longtask' is a browser entry type that Node's typings (this file compiles with them) do not list
  const longTasks = { type: 'longtask', buffered: true } as unknown as Parameters<InstanceType<typeof PerformanceObserver>['observe']>[0];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) g.__studioLongTasks.push({ start: e.startTime, duration: e.duration });
  }).observe(longTasks);
} catch {
  // no longtask support: the measurement reports none
}

// Typed access to window.api (the preload's StudioApi) and one way to read its failures (the contract's
// parseWireError, once). The renderer talks to nothing else: no Node, no Electron.
import type { ApiErrorPayload, StudioApi } from '../../../main/contract/api';
import { parseWireError } from '../../../main/contract/api-error';

declare global {
  interface Window {
    api: StudioApi;
  }
}

export function api(): StudioApi {
  if (!window.api) throw new Error('window.api is missing: the preload script did not run.');
  return window.api;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiErrorPayload };

/** Run a request and return its result or its error, never a rejection: stores decide what to show. */
export async function attempt<T>(request: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await request() };
  } catch (e) {
    return { ok: false, error: parseWireError(e) }; // the one place a failure's payload is read
  }
}

// Typed access to window.api (the preload's StudioApi) and one way to read its failures.
// The renderer talks to nothing else: no Node, no Electron.
import type { ApiErrorPayload, StudioApi } from '../../../main/contract/api';

declare global {
  interface Window {
    api: StudioApi;
  }
}

export function api(): StudioApi {
  if (!window.api) throw new Error('window.api is missing: the preload script did not run.');
  return window.api;
}

/**
 * A rejected request carries ApiErrorPayload as JSON in Error.message; Electron may wrap it
 * ("Error invoking remote method 'x': Error: {...}"), so the JSON is looked for, not assumed.
 */
export function toApiError(e: unknown): ApiErrorPayload {
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : String(e);
  const start = message.indexOf('{');
  const end = message.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      const parsed: unknown = JSON.parse(message.slice(start, end + 1));
      if (isPayload(parsed)) return { code: parsed.code, message: parsed.message };
    } catch {
      // not JSON after all: fall through to the plain message
    }
  }
  return { code: 'unknown', message: message || 'Something went wrong.' };
}

function isPayload(v: unknown): v is ApiErrorPayload {
  return typeof v === 'object' && v !== null
    && typeof (v as ApiErrorPayload).code === 'string'
    && typeof (v as ApiErrorPayload).message === 'string';
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiErrorPayload };

/** Run a request and return its result or its error, never a rejection: stores decide what to show. */
export async function attempt<T>(request: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await request() };
  } catch (e) {
    return { ok: false, error: toApiError(e) };
  }
}

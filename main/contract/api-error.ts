// The one error a request can fail with, and its wire form: an Error whose message is the JSON
// ApiErrorPayload, so the code survives Electron's IPC (which keeps only the message) and Playwright bindings.
import type { ErrorCode } from '../../core/errors.js';
import type { ApiErrorPayload } from './api.js';

/** The engine's error codes, plus the shell's own. */
export type ApiErrorCode = ErrorCode | 'invalid-request' | 'no-model' | 'busy' | 'worker-crashed' | 'io' | 'internal';

export class ApiError extends Error {
  readonly code: string;
  constructor(code: ApiErrorCode | (string & {}), message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }

  toPayload(): ApiErrorPayload {
    return { code: this.code, message: this.message };
  }

  static fromPayload(p: ApiErrorPayload): ApiError {
    return new ApiError(p.code, p.message);
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** The wire form: what an IPC handler or a page binding throws. */
export function toWireError(p: ApiErrorPayload): Error {
  return new Error(JSON.stringify({ code: p.code, message: p.message }));
}

/**
 * Read the payload back out of whatever arrived. Electron prefixes the message
 * ("Error invoking remote method 'x': Error: {...}"), so the JSON is found from its first brace.
 */
export function parseWireError(e: unknown): ApiErrorPayload | null {
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  const start = message.indexOf('{"code"');
  if (start < 0) return null;
  try {
    const p = JSON.parse(message.slice(start)) as unknown;
    if (p && typeof p === 'object' && typeof (p as ApiErrorPayload).code === 'string' && typeof (p as ApiErrorPayload).message === 'string') {
      return { code: (p as ApiErrorPayload).code, message: (p as ApiErrorPayload).message };
    }
  } catch {
    // not ours: fall through
  }
  return null;
}

// The one error a request can fail with: its codes (a union the renderer's headlines are a Record over),
// toApiError for any failure, and its wire form — an Error whose message is the JSON ApiErrorPayload,
// so the code survives Electron's IPC (which keeps only the message) and Playwright bindings.
// No Node and no main/ imports: the renderer reads the wire form with parseWireError from here.
import { CodedError, ERROR_CODES } from '../../core/errors.js';

/** What is wrong with a file itself (main/files): missing, a folder, not a regular file, no permission, too large, I/O. */
export const FILE_ERROR_CODES = ['file-not-found', 'file-is-directory', 'file-not-regular', 'file-permission', 'file-too-large', 'file-io', 'output-refused'] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

/** The shell's own failures. A new code goes in one of these lists; the typecheck then asks for its headline. */
export const SHELL_ERROR_CODES = ['invalid-request', 'no-model', 'busy', 'worker-crashed', 'io', 'internal'] as const;

export const API_ERROR_CODES = [...ERROR_CODES, ...FILE_ERROR_CODES, ...SHELL_ERROR_CODES] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** A failed request reaches the renderer as an Error whose message holds this JSON (Electron may prefix it): parseWireError reads it. */
export interface ApiErrorPayload {
  code: ApiErrorCode;          // core's codes, the file codes and the shell's: API_ERROR_CODES above
  message: string;
}

export function isApiErrorCode(v: unknown): v is ApiErrorCode {
  return typeof v === 'string' && (API_ERROR_CODES as readonly string[]).includes(v);
}

export class ApiError extends CodedError<ApiErrorCode> {
  constructor(code: ApiErrorCode, message: string) {
    super(code, message, 'ApiError');
  }

  toPayload(): ApiErrorPayload {
    return { code: this.code, message: this.message };
  }

  static fromPayload(p: ApiErrorPayload): ApiError {
    return new ApiError(p.code, p.message);
  }
}

/**
 * Any failure as an ApiError. An error that carries one of the codes keeps it (a CharRnnError from core,
 * a FileError from main/files); another Node error with an errno code is 'io'; anything else 'internal'.
 */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (e instanceof Error && isApiErrorCode(code)) return new ApiError(code, e.message);
  if (e instanceof Error && typeof code === 'string') return new ApiError('io', e.message);
  const detail = e instanceof Error ? e.message : String(e);
  return new ApiError('internal', `Something went wrong inside the app: ${detail}`);
}

/** The wire form: what an IPC handler or a page binding throws. */
export function toWireError(p: ApiErrorPayload): Error {
  return new Error(JSON.stringify({ code: p.code, message: p.message }));
}

/**
 * The payload of whatever a failed request rejected with: read once, where the renderer receives it.
 * Electron prefixes the message ("Error invoking remote method 'x': Error: {...}"), so the JSON is found
 * from its first brace; anything else is 'internal' with its own message.
 */
export function parseWireError(e: unknown): ApiErrorPayload {
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : String(e);
  const start = message.indexOf('{"code"');
  if (start >= 0) {
    try {
      const p = JSON.parse(message.slice(start)) as { code?: unknown; message?: unknown };
      if (isApiErrorCode(p.code) && typeof p.message === 'string') return { code: p.code, message: p.message };
    } catch {
      // not ours: fall through
    }
  }
  return { code: 'internal', message: message || 'Something went wrong.' };
}

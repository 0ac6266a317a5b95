// Any failure as an ApiError: a CharRnnError keeps its code, a file problem is 'io', anything else 'internal'.
import { CharRnnError } from '../../core/errors.js';
import { ApiError } from '../contract/api-error.js';
import { FileError } from '../files/errors.js';

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof CharRnnError) return new ApiError(e.code, e.message);
  if (e instanceof FileError) return new ApiError('io', e.message);
  const errno = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof errno === 'string' && e instanceof Error) return new ApiError('io', e.message);
  const detail = e instanceof Error ? e.message : String(e);
  return new ApiError('internal', `Something went wrong inside the app: ${detail}`);
}

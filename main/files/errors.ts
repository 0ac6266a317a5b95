// Errors about files themselves (missing, a folder, no permission, too large, I/O), each naming the file.
// What is wrong with a file's content is a CharRnnError from core/ instead.
import { CharRnnError, CodedError } from '../../core/errors.js';
import { formatBytes } from '../../core/text.js';
import type { FileErrorCode } from '../contract/api-error.js';

export type { FileErrorCode };

export class FileError extends CodedError<FileErrorCode> {
  readonly path: string;
  constructor(code: FileErrorCode, path: string, message: string) {
    super(code, message, 'FileError');
    this.path = path;
  }
}

export function isFileError(e: unknown): e is FileError {
  return e instanceof FileError;
}

/** What a Node fs error means for someone who asked to read or write `path`, as a FileError. */
export function fileErrorFrom(e: unknown, path: string, action: 'read' | 'write'): FileError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const shown = JSON.stringify(path);
  switch (code) {
    case 'ENOENT':
      return action === 'read'
        ? new FileError('file-not-found', path, `${shown} does not exist.`)
        : new FileError('file-not-found', path, `Cannot write ${shown}: its folder does not exist.`);
    case 'ENOTDIR':
      return new FileError('file-not-found', path, `Cannot ${action} ${shown}: a part of the path is not a folder.`);
    case 'EISDIR':
      return new FileError('file-is-directory', path, `${shown} is a folder, not a file.`);
    case 'EACCES':
    case 'EPERM':
      return new FileError('file-permission', path, `Permission denied: cannot ${action} ${shown}.`);
    case 'EROFS':
      return new FileError('file-permission', path, `Cannot write ${shown}: the file system is read-only.`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new FileError('file-io', path, `Cannot write ${shown}: the disk is full.`);
    case 'ERR_FS_FILE_TOO_LARGE':
      return new FileError('file-too-large', path, `${shown} is too large to read into memory.`);
    default: {
      const detail = e instanceof Error ? e.message : String(e);
      return new FileError('file-io', path, `Cannot ${action} ${shown}: ${detail}`);
    }
  }
}

export function tooLarge(path: string, size: number, maxBytes: number, what: string): FileError {
  return new FileError('file-too-large', path,
    `${JSON.stringify(path)} is ${formatBytes(size)}; the largest ${what} supported is ${formatBytes(maxBytes)}.`);
}

/** Run a decoder of a file's content; a CharRnnError it throws gets the file's name in front of its message. */
export function naming<T>(path: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof CharRnnError) {
      const message = /^[A-Z][a-z]/.test(e.message) ? e.message[0].toLowerCase() + e.message.slice(1) : e.message;
      throw new CharRnnError(e.code, `${JSON.stringify(path)}: ${message}`);
    }
    throw e;
  }
}

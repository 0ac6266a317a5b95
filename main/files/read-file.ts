// Reading a whole file with clear errors: missing, a folder, not a regular file, permission, too large.
import { readFile, stat } from 'node:fs/promises';
import { FileError, fileErrorFrom, tooLarge } from './errors.js';

/**
 * Read a regular file whole. What it is and its size are checked with stat before it is opened
 * (so a FIFO is never opened, which could block, and a huge file is never read); the length is
 * checked again after reading, in case the file grew in between. `what` names the file's role in
 * messages ("corpus", "checkpoint").
 */
export async function readFileChecked(path: string, maxBytes: number, what: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new FileError('file-is-directory', path, `${JSON.stringify(path)} is a folder, not a ${what} file.`);
    if (!info.isFile()) {
      throw new FileError('file-not-regular', path,
        `${JSON.stringify(path)} is not a regular file (a device, pipe or socket); give the path of a ${what} file.`);
    }
    if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes, what);
    const bytes = await readFile(path);
    if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes, what);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  } catch (e) {
    throw e instanceof FileError ? e : fileErrorFrom(e, path, 'read');
  }
}

// Reading a whole file with clear errors: missing, a folder, not a regular file, permission, too large.
import { open, readFile, stat } from 'node:fs/promises';
import { FileError, fileErrorFrom, tooLarge } from './errors.js';

/**
 * Read a regular file whole. What it is and its size are checked with stat before it is opened
 * (so a FIFO is never opened, which could block, and a huge file is never read); the length is
 * checked again after reading, in case the file grew in between. `what` names the file's role in
 * messages ("corpus", "checkpoint").
 */
export async function readFileChecked(path: string, maxBytes: number, what: string,
                                      onProgress?: (bytesRead: number, total: number) => void): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new FileError('file-is-directory', path, `${JSON.stringify(path)} is a folder, not a ${what} file.`);
    if (!info.isFile()) {
      throw new FileError('file-not-regular', path,
        `${JSON.stringify(path)} is not a regular file (a device, pipe or socket); give the path of a ${what} file.`);
    }
    if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes, what);
    const bytes = onProgress ? await readInChunks(path, info.size, maxBytes, onProgress) : await readFile(path);
    if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes, what);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  } catch (e) {
    throw e instanceof FileError ? e : fileErrorFrom(e, path, 'read');
  }
}

/** Bytes read per chunk when the caller follows the progress of a read. */
const CHUNK_BYTES = 8 * 1024 * 1024;

/** Read a file of (about) `size` bytes in chunks, reporting each; reads on past `size` if the file grew, up to maxBytes + 1. */
async function readInChunks(path: string, size: number, maxBytes: number,
                            onProgress: (bytesRead: number, total: number) => void): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    let buffer = new Uint8Array(size);
    let n = 0;
    onProgress(0, size);
    for (;;) {
      if (n === buffer.length) {
        // the size stat gave is read: look for more (the file grew) without doubling the buffer for nothing
        const probe = new Uint8Array(CHUNK_BYTES);
        const { bytesRead } = await file.read(probe, 0, probe.length, n);
        if (bytesRead === 0) break;
        const grown = new Uint8Array(Math.min(n + Math.max(n, CHUNK_BYTES), maxBytes + CHUNK_BYTES));
        grown.set(buffer);
        grown.set(probe.subarray(0, bytesRead), n);
        buffer = grown;
        n += bytesRead;
        if (n > maxBytes) break; // too large: the caller says so
        continue;
      }
      const { bytesRead } = await file.read(buffer, n, Math.min(CHUNK_BYTES, buffer.length - n), n);
      if (bytesRead === 0) break;
      n += bytesRead;
      onProgress(n, Math.max(size, n));
    }
    return buffer.subarray(0, n);
  } finally {
    await file.close();
  }
}

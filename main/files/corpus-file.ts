// Reading a corpus file: file checks first (missing, folder, permission, size), then strict UTF-8 decoding.
import { decodeCorpus, MAX_CORPUS_BYTES, type DecodedCorpus } from '../../core/text.js';
import { naming } from './errors.js';
import { readFileChecked } from './read-file.js';

export interface CorpusFile extends DecodedCorpus {
  path: string;
  bytes: number; // size on disk
}

/** How far opening a corpus has got: reading its bytes (done/total), then checking and decoding them. */
export type CorpusProgress =
  | { stage: 'reading'; done: number; total: number }
  | { stage: 'decoding'; done: number; total: number };

/**
 * Read and decode a corpus. Errors name the file: FileError for the file, CharRnnError for its content.
 * With onProgress, the file is read in chunks and each is reported (a large corpus takes seconds).
 */
export async function readCorpusFile(path: string, maxBytes = MAX_CORPUS_BYTES,
                                     onProgress?: (p: CorpusProgress) => void): Promise<CorpusFile> {
  const bytes = await readFileChecked(path, maxBytes, 'corpus',
    onProgress && ((done, total) => onProgress({ stage: 'reading', done, total })));
  onProgress?.({ stage: 'decoding', done: 0, total: bytes.length });
  return naming(path, () => ({ ...decodeCorpus(bytes, maxBytes), path, bytes: bytes.length }));
}

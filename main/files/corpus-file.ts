// Reading a corpus file: file checks first (missing, folder, permission, size), then strict UTF-8 decoding.
import { decodeCorpus, MAX_CORPUS_BYTES, type DecodedCorpus } from '../../core/text.js';
import { naming } from './errors.js';
import { readFileChecked } from './read-file.js';

export interface CorpusFile extends DecodedCorpus {
  path: string;
  bytes: number; // size on disk
}

/** Read and decode a corpus. Errors name the file: FileError for the file, CharRnnError for its content. */
export async function readCorpusFile(path: string, maxBytes = MAX_CORPUS_BYTES): Promise<CorpusFile> {
  const bytes = await readFileChecked(path, maxBytes, 'corpus');
  return naming(path, () => ({ ...decodeCorpus(bytes, maxBytes), path, bytes: bytes.length }));
}

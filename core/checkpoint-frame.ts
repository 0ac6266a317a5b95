// A checkpoint's frame: the magic, the format version and the header's length before the header; after the data,
// the CRC-32 of all before it. Written around the header and buffers (core/checkpoint.ts), and checked before anything
// inside is believed; docs/checkpoint-format.md has the layout, byte by byte.
import { dataView } from './bytes.js';
import { crc32 } from './crc32.js';
import { CharRnnError } from './errors.js';

export const CHECKPOINT_MAGIC = 'CHARRNN\0';
/**
 * 2: no rngState (version 1 saved the generator's state after initialisation, which nothing drew from again).
 * 3: an optional emaParams buffer. A file without one is still written as version 2, so older readers open it.
 */
export const CHECKPOINT_VERSION = 3;
export const VERSION_WITHOUT_EMA = 2;

const MAGIC_BYTES = new TextEncoder().encode(CHECKPOINT_MAGIC);
export const PREAMBLE_BYTES = 16; // magic (8), format version (u32), header length (u32)
export const CHECKSUM_BYTES = 4;  // CRC-32 of everything before it

export function badCheckpoint(message: string): never {
  throw new CharRnnError('bad-checkpoint', message);
}

/** The preamble: magic, format version, header length. */
export function writePreamble(out: Uint8Array, version: number, headerLength: number): void {
  const view = dataView(out);
  out.set(MAGIC_BYTES, 0);
  view.setUint32(8, version, true);
  view.setUint32(12, headerLength, true);
}

/** The last 4 bytes: the CRC-32 of all before them. */
export function writeChecksum(out: Uint8Array): void {
  const end = out.length - CHECKSUM_BYTES;
  dataView(out).setUint32(end, crc32(out.subarray(0, end)), true);
}

/** Whether bytes start like a safetensors file: a u64 header length that fits, then '{'. */
function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10 || bytes[8] !== 0x7b) return false;
  const view = dataView(bytes);
  return view.getUint32(4, true) === 0 && view.getUint32(0, true) <= bytes.length - 8;
}

export function truncated(at: number, expected: string): never {
  badCheckpoint(`The checkpoint is truncated at byte ${at} (expected ${expected}): the file was cut short, ` +
    'for example by an interrupted save or copy; use a complete copy or an earlier checkpoint.');
}

/** Magic, version and header length: returns the header's byte range. */
export function readPreamble(bytes: Uint8Array): { headerEnd: number } {
  if (bytes.length === 0) badCheckpoint('The checkpoint file is empty (0 bytes): it was never written completely; use an earlier checkpoint.');
  const prefix = Math.min(bytes.length, MAGIC_BYTES.length);
  const magicOk = MAGIC_BYTES.subarray(0, prefix).every((b, i) => bytes[i] === b);
  if (!magicOk) {
    if (looksLikeSafetensors(bytes)) {
      badCheckpoint('This is a safetensors weights file, not a checkpoint: import it instead, ' +
        'which starts a new training run from its weights and vocabulary.');
    }
    badCheckpoint('Not a Char-RNN Studio checkpoint: the file does not start with the "CHARRNN" signature; ' +
      'choose a checkpoint saved by Char-RNN Studio.');
  }
  if (bytes.length < PREAMBLE_BYTES) truncated(bytes.length, `at least ${PREAMBLE_BYTES} bytes`);
  const view = dataView(bytes);
  const version = view.getUint32(8, true);
  if (version > CHECKPOINT_VERSION) {
    badCheckpoint(`This checkpoint uses format version ${version}, newer than this app supports (version ${CHECKPOINT_VERSION}); ` +
      'update Char-RNN Studio to open it.');
  }
  if (version < 1) badCheckpoint('The checkpoint has format version 0, which does not exist: the file is damaged; use an intact copy.');
  const headerEnd = PREAMBLE_BYTES + view.getUint32(12, true);
  if (bytes.length < headerEnd + CHECKSUM_BYTES) truncated(bytes.length, `at least ${headerEnd + CHECKSUM_BYTES} bytes`);
  return { headerEnd };
}

export type HeaderParse = { ok: true; value: unknown } | { ok: false; message: string };

export function parseHeaderJson(bytes: Uint8Array): HeaderParse {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: 'The checkpoint header is not valid UTF-8 text; the file is damaged; use an intact copy.' };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { ok: false, message: `The checkpoint header is not valid JSON (${detail}); the file is damaged; use an intact copy.` };
  }
}

/**
 * The file's length against where its buffer table says the data ends (null: the table was unreadable), then the
 * checksum. With the table, a short file is reported as cut short rather than as corrupted; without it (a damaged
 * header), the checksum decides what to say.
 */
export function checkLengthAndChecksum(bytes: Uint8Array, dataEnd: number | null): void {
  const end = dataEnd ?? bytes.length - CHECKSUM_BYTES;
  if (dataEnd !== null) {
    const expected = end + CHECKSUM_BYTES;
    if (bytes.length < expected) truncated(bytes.length, `${expected} bytes`);
    if (bytes.length > expected) {
      badCheckpoint(`The checkpoint has ${bytes.length - expected} unexpected bytes after its end at byte ${expected}: ` +
        'the file is damaged; use an intact copy.');
    }
  }
  const stored = dataView(bytes).getUint32(end, true);
  const actual = crc32(bytes.subarray(0, end));
  if (stored !== actual) {
    badCheckpoint(`The checkpoint's checksum does not match (stored ${hex(stored)}, computed ${hex(actual)}): ` +
      'the file is corrupted; use an intact copy or an earlier checkpoint.');
  }
}

function hex(x: number): string {
  return '0x' + x.toString(16).padStart(8, '0');
}

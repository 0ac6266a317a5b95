// The safetensors container (Hugging Face's): a strictly validating reader and a writer for F32/F64 tensors.
//
//   u64 LE N | N bytes of UTF-8 JSON header, padded with spaces | data
//   header: { "__metadata__"?: {string: string}, name: {dtype, shape, data_offsets: [begin, end]} ... }
//
// data_offsets are relative to the start of the data; like the reference implementation we require the
// tensors to cover the data exactly, without gaps or overlaps. A model's weights in and out of it: safetensors.ts.
import { align8, dataView, readFloatsLE, writeFloatsLE } from './bytes.js';
import { CharRnnError } from './errors.js';

export type SafetensorsDtype = 'F32' | 'F64';

export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Float32Array | Float64Array;
}

export interface NamedTensor extends SafetensorsTensor {
  name: string;
}

export interface DecodedSafetensors {
  tensors: Map<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

/** The dtypes the format defines, so a file using one we cannot read is told apart from a damaged one. */
const KNOWN_DTYPES = new Set([
  'BOOL', 'U8', 'I8', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2',
  'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'I64', 'U64', 'F64',
]);

/** The reference implementation's limit: larger headers are refused before parsing. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';

function bad(message: string): never {
  throw new CharRnnError('bad-safetensors', message);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function encodeSafetensors(tensors: NamedTensor[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') bad(`Cannot write safetensors: metadata "${key}" is not a string.`);
    }
    header[METADATA_KEY] = metadata;
  }
  let offset = 0;
  for (const t of tensors) {
    if (t.name === METADATA_KEY || Object.hasOwn(header, t.name)) bad(`Cannot write safetensors: tensor name "${t.name}" is reserved or used twice.`);
    const wantType = t.dtype === 'F64' ? Float64Array : Float32Array;
    if (!(t.data instanceof wantType)) bad(`Cannot write safetensors: tensor "${t.name}" is declared ${t.dtype} but its data is a ${t.data.constructor.name}.`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) bad(`Cannot write safetensors: tensor "${t.name}" has shape ${shapeText(t.shape)} (${count} values) but ${t.data.length} values.`);
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header with spaces so the data starts 8-aligned, as the reference writer does.
  const headerLength = align8(8 + json.length) - 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = dataView(out);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of tensors) {
    writeFloatsLE(out, at, t.data);
    at += t.data.byteLength;
  }
  return out;
}

const INVALID = 'Not a valid safetensors file';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readHeader(bytes: Uint8Array): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) {
    bad(`${INVALID}: it is truncated at byte ${bytes.length} (expected at least 8 bytes for the header length); re-export it.`);
  }
  if (new TextDecoder().decode(bytes.subarray(0, 8)) === 'CHARRNN\0') {
    bad('This is a Char-RNN Studio checkpoint, not a safetensors file: open it as a checkpoint instead.');
  }
  const view = dataView(bytes);
  const high = view.getUint32(4, true), low = view.getUint32(0, true);
  const headerLength = high * 2 ** 32 + low;
  if (headerLength > MAX_SAFETENSORS_HEADER_BYTES) {
    const exact = ((BigInt(high) << 32n) | BigInt(low)).toString(); // above 2^53 a double would print a rounded figure
    bad(`${INVALID}: its header length field says ${exact} bytes, more than the format's limit of ${MAX_SAFETENSORS_HEADER_BYTES}; ` +
      'the file is damaged or is not safetensors.');
  }
  if (8 + headerLength > bytes.length) {
    bad(`${INVALID}: it is truncated at byte ${bytes.length} (the header alone needs ${8 + headerLength} bytes); ` +
      'use a complete copy or re-export it.');
  }
  if (headerLength < 2 || bytes[8] !== 0x7b) {
    bad(`${INVALID}: the header does not start with a JSON object ("{"); the file is damaged or is not safetensors.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
    bad(`${INVALID}: its header is not valid UTF-8 JSON (${detail}); the file is damaged.`);
  }
  if (!isRecord(parsed)) bad(`${INVALID}: its header is JSON but not an object; the file is damaged.`);
  return { header: parsed, dataStart: 8 + headerLength };
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) bad(`${INVALID}: "${METADATA_KEY}" must be an object of strings.`);
  const metadata: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      bad(`${INVALID}: metadata "${key}" is ${Array.isArray(v) ? 'an array' : typeof v}, but metadata values must be strings ` +
        '(store structured values as JSON text, e.g. json.dumps(...)).');
    }
    metadata[key] = v;
  }
  return metadata;
}

interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function readTensorEntry(name: string, info: unknown, dataLength: number): TensorEntry {
  const where = `${INVALID}: tensor "${name}"`;
  if (!isRecord(info)) bad(`${where} is not described by an object with dtype, shape and data_offsets.`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== 'string') bad(`${where} has no dtype.`);
  if (!KNOWN_DTYPES.has(dtype)) bad(`${where} has unknown dtype ${JSON.stringify(dtype)}; the file is damaged or from a newer format.`);
  if (dtype !== 'F32' && dtype !== 'F64') {
    bad(`Unsupported safetensors tensor "${name}": dtype ${dtype}; only F32 and F64 are supported ` +
      '(convert it, e.g. with numpy\'s astype(np.float32)).');
  }
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0)) {
    bad(`${where} has shape ${JSON.stringify(shape)}; a shape is a list of whole numbers.`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 ||
      offsets.some((o) => typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) || offsets[0] > offsets[1]) {
    bad(`${where} has data_offsets ${JSON.stringify(offsets)}; they must be [begin, end] with 0 ≤ begin ≤ end.`);
  }
  const [begin, end] = offsets as number[];
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  const byteLength = count * (dtype === 'F64' ? 8 : 4);
  if (!Number.isSafeInteger(byteLength) || byteLength !== end - begin) {
    bad(`${where} has shape ${shapeText(shape as number[])} of ${dtype} (${byteLength} bytes) but data_offsets [${begin}, ${end}] ` +
      `hold ${end - begin} bytes; the file is damaged.`);
  }
  if (end > dataLength) {
    bad(`${where} has data_offsets [${begin}, ${end}] past the end of the data (${dataLength} bytes): ` +
      'the file is truncated or damaged; use a complete copy or re-export it.');
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const { header, dataStart } = readHeader(bytes);
  const dataLength = bytes.length - dataStart;
  const metadata = readMetadata(header[METADATA_KEY]);
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, info]) => readTensorEntry(name, info, dataLength));

  // The tensors must tile the data exactly: sorted by offset, each begins where the previous ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (let i = 0; i < sorted.length; i++) {
    const t = sorted[i];
    if (t.begin < covered) {
      bad(`${INVALID}: tensors "${sorted[i - 1].name}" and "${t.name}" overlap (data_offsets [${sorted[i - 1].begin}, ` +
        `${sorted[i - 1].end}] and [${t.begin}, ${t.end}]); the file is damaged.`);
    }
    if (t.begin > covered) bad(`${INVALID}: bytes ${covered}..${t.begin} of the data belong to no tensor; the file is damaged.`);
    covered = t.end;
  }
  if (covered !== dataLength) {
    bad(`${INVALID}: the data has ${dataLength - covered} bytes after the last tensor (ends at ${covered}); the file is damaged.`);
  }

  const tensors = new Map<string, SafetensorsTensor>();
  for (const t of entries) {
    const precision = t.dtype === 'F64' ? 'f64' : 'f32';
    const count = (t.end - t.begin) / (t.dtype === 'F64' ? 8 : 4);
    tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data: readFloatsLE(bytes, dataStart + t.begin, count, precision) });
  }
  return { tensors, metadata };
}

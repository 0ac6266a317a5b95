// The copy detector: which spans of a sample occur verbatim in the training text. The corpus is
// indexed once by hashing the K-character gram at every S-th position (a sparse n-gram index,
// 4 bytes per S characters plus a fixed bucket table); any copied span of at least K + S − 1
// characters contains one indexed gram, which is found and then extended both ways.
// Works on UTF-16 units internally; everything reported is in characters (code points).

export const GRAM = 8;    // K: characters hashed per indexed gram
export const STRIDE = 5;  // S: a gram is indexed at every S-th corpus position
/** The shortest span the index is guaranteed to find. */
export const MIN_COPY_LENGTH = GRAM + STRIDE - 1;
export const DEFAULT_COPY_LENGTH = 20;
const MAX_CANDIDATES = 512; // per sample position: bounds the work on very repetitive corpora

export interface CopyIndex {
  readonly text: string;
  readonly bucketBits: number;
  readonly bucketStart: Uint32Array; // [buckets + 1]: CSR offsets into positions
  readonly positions: Uint32Array;   // UTF-16 offsets of indexed grams, grouped by bucket
  readonly hasSurrogates: boolean;
}

export interface CopySpan {
  start: number;        // in the sample, in characters
  length: number;       // characters
  corpusOffset: number; // where it occurs in the corpus (the first found), in characters
}

export interface CopyReport {
  spans: CopySpan[];
  copiedFraction: number; // characters of the sample inside some span / sample characters
  longest: number;        // the longest span's length (0 if none)
}

function gramHash(s: string, at: number, mask: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < GRAM; i++) h = Math.imul(h ^ s.charCodeAt(at + i), 0x01000193);
  h ^= h >>> 15;
  return (h >>> 0) & mask;
}

/** Build the index over a corpus (once per corpus). */
export function buildCopyIndex(text: string): CopyIndex {
  const count = text.length >= GRAM ? Math.floor((text.length - GRAM) / STRIDE) + 1 : 0;
  // about 4 entries per bucket, between 2^10 and 2^22 buckets
  let bucketBits = 10;
  while (bucketBits < 22 && (1 << bucketBits) * 4 < count) bucketBits++;
  const buckets = 1 << bucketBits, mask = buckets - 1;
  const bucketStart = new Uint32Array(buckets + 1);
  // Two passes hashing each gram twice: no [count] array of hashes held between them.
  for (let g = 0; g < count; g++) bucketStart[gramHash(text, g * STRIDE, mask) + 1]++;
  for (let b = 0; b < buckets; b++) bucketStart[b + 1] += bucketStart[b];
  const positions = new Uint32Array(count);
  const cursor = bucketStart.slice(0, buckets);
  for (let g = 0; g < count; g++) positions[cursor[gramHash(text, g * STRIDE, mask)]++] = g * STRIDE;
  let hasSurrogates = false;
  for (let i = 0; i < text.length && !hasSurrogates; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) hasSurrogates = true;
  }
  return { text, bucketBits, bucketStart, positions, hasSurrogates };
}

/** Bytes the index holds besides the corpus text itself. */
export function copyIndexBytes(index: CopyIndex): number {
  return index.bucketStart.byteLength + index.positions.byteLength;
}

function codePointCount(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** Spans of at least minLength characters of sample that occur verbatim in the indexed corpus. */
export function findCopies(index: CopyIndex, sample: string, minLength = DEFAULT_COPY_LENGTH): CopyReport {
  if (!Number.isInteger(minLength) || minLength < MIN_COPY_LENGTH) {
    throw new RangeError(`the minimum copied length must be a whole number of at least ${MIN_COPY_LENGTH}; got ${minLength}`);
  }
  const { text, bucketStart, positions } = index, mask = (1 << index.bucketBits) - 1;
  const m = sample.length;
  // Maximal matches as [sampleStart, sampleEnd, corpusStart] in UTF-16 units.
  const found: Array<[number, number, number]> = [];
  const coveredUntil = new Map<number, number>(); // diagonal (corpus − sample) → sample end already extended
  for (let i = 0; i + GRAM <= m; i++) {
    const h = gramHash(sample, i, mask);
    const end = Math.min(bucketStart[h + 1], bucketStart[h] + MAX_CANDIDATES);
    for (let e = bucketStart[h]; e < end; e++) {
      const p = positions[e];
      const diagonal = p - i;
      if ((coveredUntil.get(diagonal) ?? -1) > i) continue; // inside a match already found
      let ok = true;
      for (let j = 0; j < GRAM && ok; j++) ok = text.charCodeAt(p + j) === sample.charCodeAt(i + j);
      if (!ok) continue;
      let a = i, c = p;
      while (a > 0 && c > 0 && text.charCodeAt(c - 1) === sample.charCodeAt(a - 1)) { a--; c--; }
      let b = i + GRAM, d = p + GRAM;
      while (b < m && d < text.length && text.charCodeAt(d) === sample.charCodeAt(b)) { b++; d++; }
      // never cut a surrogate pair: a span starts and ends on whole characters
      if (a < b && isLow(sample.charCodeAt(a))) { a++; c++; }
      if (b > a && isHigh(sample.charCodeAt(b - 1))) b--;
      coveredUntil.set(diagonal, b);
      if (codePointCount(sample, a, b) >= minLength) found.push([a, b, c]);
    }
  }
  // Keep maximal spans: longest first at each start, then drop any inside an earlier one.
  found.sort((x, y) => x[0] - y[0] || y[1] - x[1] || x[2] - y[2]);
  const kept: Array<[number, number, number]> = [];
  let reach = -1;
  for (const f of found) {
    if (f[1] <= reach) continue;
    kept.push(f);
    reach = f[1];
  }
  const covered = new Uint8Array(m);
  for (const [a, b] of kept) covered.fill(1, a, b);
  const total = codePointCount(sample, 0, m);
  let copied = 0;
  for (let i = 0; i < m; i++) if (covered[i] && !isLow(sample.charCodeAt(i))) copied++;
  const spans = kept.map(([a, b, c]) => ({
    start: codePointCount(sample, 0, a),
    length: codePointCount(sample, a, b),
    corpusOffset: index.hasSurrogates ? codePointCount(text, 0, c) : c,
  }));
  return { spans, copiedFraction: total > 0 ? copied / total : 0, longest: spans.reduce((x, s) => Math.max(x, s.length), 0) };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

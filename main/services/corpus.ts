// The pre-flight report of a corpus file: what is in it and what may go wrong when training on it.
// Empty, binary, non-UTF-8, missing or oversized files fail with a specific ApiError (from main/files).
import { basename } from 'node:path';
import type { TrainConfig } from '../../core/config.js';
import type { CorpusReport } from '../contract/api.js';
import { corpusContentNotes } from '../files/corpus-notes.js';
import { readCorpusFile } from '../files/corpus-file.js';
import { toApiError } from '../contract/api-error.js';

const SHOWN_CHARS = 10;
const SMALL_CORPUS_CHARS = 10_000;
const YIELD_EVERY_CHARS = 4 * 1024 * 1024;   // a big file is counted in slices, so main stays responsive

export async function corpusReport(path: string, h: Pick<TrainConfig, 'seqLength' | 'batchSize' | 'valFraction'>): Promise<Omit<CorpusReport, 'token'>> {
  let file;
  try {
    file = await readCorpusFile(path);
  } catch (e) {
    throw toApiError(e);
  }
  const { text } = file;
  const counts = new Map<number, number>();
  let characters = 0, newlines = 0;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) { cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00); i++; }
    }
    if (cp === 10) newlines++;
    counts.set(cp, (counts.get(cp) ?? 0) + 1);
    characters++;
    if (i % YIELD_EVERY_CHARS === YIELD_EVERY_CHARS - 1) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const byCount = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([cp, count]) => ({ char: String.fromCodePoint(cp), count }));
  const report: Omit<CorpusReport, 'token'> = {
    path,
    fileName: basename(path),
    bytes: file.bytes,
    characters,
    vocabularySize: counts.size,
    lines: newlines + (text.endsWith('\n') ? 0 : 1),
    crlfLines: file.crlfLines,
    hadBom: file.hadBom,
    mostFrequent: byCount.slice(0, SHOWN_CHARS),
    leastFrequent: byCount.slice(-SHOWN_CHARS).reverse(),
    warnings: [],
  };
  report.warnings = corpusWarnings(report, counts, h);
  if (file.encoding !== 'utf-8') {
    report.warnings.push(`The file is ${file.encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'} text, not UTF-8: it was decoded as such.`);
  }
  return report;
}

function corpusWarnings(r: Omit<CorpusReport, 'token'>, counts: Map<number, number>,
                        h: Pick<TrainConfig, 'seqLength' | 'batchSize' | 'valFraction'>): string[] {
  const warnings: string[] = [];
  const valChars = Math.floor(r.characters * h.valFraction);
  const trainChars = r.characters - valChars;
  const needed = h.batchSize * (h.seqLength + 2);
  if (trainChars < needed) {
    warnings.push(`Too short for the current settings: ${trainChars} training characters, but sequence length ${h.seqLength} ` +
      `with batch ${h.batchSize} needs at least ${needed}. Use a longer text or a shorter sequence length.`);
  } else if (r.characters < SMALL_CORPUS_CHARS) {
    warnings.push(`A small corpus (${r.characters} characters): the model will mostly learn it by heart.`);
  }
  if (h.valFraction > 0 && valChars < 2) {
    warnings.push('Too short to hold out a validation part: validation loss will not be measured.');
  }
  if (r.crlfLines > 0) {
    warnings.push(`${r.crlfLines} line(s) end in CR LF (Windows line endings): the model will learn "\\r" as a character.`);
  }
  if (r.hadBom) warnings.push('The file starts with a byte-order mark; it is left out of the text.');
  warnings.push(...corpusContentNotes(counts));
  return warnings;
}

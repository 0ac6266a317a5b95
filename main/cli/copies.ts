// `char-rnn copies`: spans of a sample that occur verbatim in a corpus (memorised, not generated).
import { buildCopyIndex, DEFAULT_COPY_LENGTH, findCopies, MIN_COPY_LENGTH } from '../../core/inspect/copies.js';
import { readTextWithProgress, statusLine } from './status-line.js';
import type { CliIo } from './io.js';
import { parseInteger } from './options.js';

export interface CopiesFlags {
  minLength?: string;
  json?: boolean;
}

export async function copiesCommand(samplePath: string, corpusPath: string, flags: CopiesFlags, io: CliIo): Promise<void> {
  const minLength = flags.minLength === undefined ? DEFAULT_COPY_LENGTH : parseInteger('--min-length', flags.minLength, MIN_COPY_LENGTH, 1_000_000);
  const { text: sample } = await readTextWithProgress(samplePath);
  const { text: corpus } = await readTextWithProgress(corpusPath);
  const status = statusLine();
  status.show(`indexing ${corpus.length.toLocaleString('en-US')} characters of the corpus and searching the sample…`, true);
  let report: ReturnType<typeof findCopies>;
  try {
    report = findCopies(buildCopyIndex(corpus), sample, minLength);
  } finally {
    status.clear();
  }
  if (flags.json) {
    io.line(JSON.stringify(report));
    return;
  }
  const chars = [...sample];
  for (const span of report.spans) {
    io.line(`${span.start}\t${span.length}\t${span.corpusOffset}\t${JSON.stringify(chars.slice(span.start, span.start + span.length).join(''))}`);
  }
  io.line(`${report.spans.length} span${report.spans.length === 1 ? '' : 's'} of ${minLength}+ characters copied from the corpus; ` +
    `${(report.copiedFraction * 100).toFixed(1)}% of the sample copied, longest ${report.longest} characters`);
}

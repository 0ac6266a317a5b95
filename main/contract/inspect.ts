// The Inspect view's requests (types only): surprisal, hidden units, copies and the temperature strip.
// The renderer sends them through window.api; main validates them and the worker computes them.

/** Per-character surprisal of a text (or, with text null, an excerpt of the corpus). */
export interface SurprisalRequest {
  text: string | null;
  corpus: string | null;         // a file token (api.ts FileToken): the excerpt's corpus when text is null (null: the training corpus)
  topK: number;                  // predictions kept per character (1..10)
  skipUnknown?: boolean;         // leave out characters the model lacks (and say how many) instead of refusing the text
}

/** What main sends the worker: the token resolved to the path it stands for. */
export type SurprisalJob = Omit<SurprisalRequest, 'corpus'> & { corpusPath: string | null };

export interface SurprisalResult {
  chars: string[];               // the text, one character (code point) each
  nats: (number | null)[];       // −log p of each character given those before it; null for the first
  topK: number;
  topChars: string[];            // [n, topK], best first ('' where fewer)
  topProbs: number[];            // [n, topK]
  meanNats: number;              // = char-rnn eval on the same text (with --skip-unknown when characters were skipped)
  skipped: number;               // characters left out as unknown to the model (skipUnknown), not in `chars`
  skippedChars: string[];        // the distinct ones, in order of first appearance
}

export type StatePart = 'h' | 'c';

/** One unit's activation over a text, and/or the units that track simple text features best. */
export interface UnitsRequest {
  text: string;
  part: StatePart;               // c: an lstm's cell state
  unit: { layer: number; unit: number } | null;
  rank: boolean;                 // also find interesting units
}

export interface InterestingUnitInfo {
  layer: number;
  unit: number;
  feature: 'inside-quotes' | 'inside-brackets' | 'position-in-line' | 'after-space' | 'word-start';
  correlation: number;
}

export interface UnitsResult {
  cell: 'rnn' | 'lstm' | 'gru';
  layers: number;
  hiddenSize: number;
  trace: number[] | null;        // the unit's activation after each character
  interesting: InterestingUnitInfo[] | null;
}

export interface CopiesRequest {
  sample: string;
  corpus: string | null;         // a file token; null: the corpus the model is training on
  minLength: number;
}

export type CopiesJob = Omit<CopiesRequest, 'corpus'> & { corpusPath: string | null };

export interface CopiesResult {
  spans: { start: number; length: number; corpusOffset: number }[];
  copiedFraction: number;
  longest: number;
  corpusName: string;
  indexMs: number;               // 0 when the corpus was already indexed
}

export interface TemperatureStripRequest {
  prime: string;
  length: number;
  seed: number;
  temperatures: number[];        // 1..6 of them
}

export interface TemperatureStripResult {
  samples: { temperature: number; text: string }[];
  unknownChars: string[];
}

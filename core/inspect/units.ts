// "Find interesting units": rank hidden units by how well they track simple features of the text
// (Karpathy's quote and line-length cells), by the absolute Pearson correlation over the text.
import type { Activations } from './activations.js';

export const TEXT_FEATURES = ['inside-quotes', 'inside-brackets', 'position-in-line', 'after-space', 'word-start'] as const;
export type TextFeature = (typeof TEXT_FEATURES)[number];

export const FEATURE_LABELS: Record<TextFeature, string> = {
  'inside-quotes': 'inside quotes',
  'inside-brackets': 'inside brackets',
  'position-in-line': 'position in the line',
  'after-space': 'after a space',
  'word-start': 'start of a word',
};

const OPEN = '([{', CLOSE = ')]}';
const isLetter = (ch: string) => /\p{L}/u.test(ch);

/**
 * Each feature's value after each character (aligned with Activations: t is the state after
 * reading chars[t]). Quotes: straight " toggles, “ opens, ” closes; the quote characters
 * themselves count as inside, from the opening one to the closing one.
 */
export function textFeatures(chars: readonly string[]): Record<TextFeature, Float32Array> {
  const n = chars.length;
  const f = Object.fromEntries(TEXT_FEATURES.map((name) => [name, new Float32Array(n)])) as Record<TextFeature, Float32Array>;
  let inQuote = false, depth = 0, column = 0;
  for (let t = 0; t < n; t++) {
    const ch = chars[t], prev = t > 0 ? chars[t - 1] : '\n';
    let closing = false;
    if (ch === '"') { if (inQuote) closing = true; else inQuote = true; }
    else if (ch === '\u201C') inQuote = true;
    else if (ch === '\u201D' && inQuote) closing = true;
    f['inside-quotes'][t] = inQuote ? 1 : 0;
    if (closing) inQuote = false;
    if (OPEN.includes(ch)) depth++;
    f['inside-brackets'][t] = depth > 0 ? 1 : 0;
    if (CLOSE.includes(ch) && depth > 0) depth--;
    column = ch === '\n' ? 0 : column + 1;
    f['position-in-line'][t] = column;
    f['after-space'][t] = ch === ' ' ? 1 : 0;
    f['word-start'][t] = isLetter(ch) && !isLetter(prev) ? 1 : 0;
  }
  return f;
}

/** Pearson correlation of x and y (0 when either is constant). */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

export interface InterestingUnit {
  layer: number;
  unit: number;
  feature: TextFeature;
  correlation: number; // signed: a negative one is a unit that switches off on the feature
}

/** The best-tracking unit-feature pairs, strongest |correlation| first; a unit appears once (its best feature). */
export function interestingUnits(a: Activations, chars: readonly string[], count = 10): InterestingUnit[] {
  const features = textFeatures(chars);
  const n = a.length, H = a.hiddenSize;
  // Centre each feature once; then each unit is one pass per feature.
  const centred = TEXT_FEATURES.map((name) => {
    const x = features[name];
    let mean = 0;
    for (let t = 0; t < n; t++) mean += x[t];
    mean /= n;
    const c = new Float64Array(n);
    let ss = 0;
    for (let t = 0; t < n; t++) { c[t] = x[t] - mean; ss += c[t] * c[t]; }
    return { name, c, norm: Math.sqrt(ss) };
  }).filter((f) => f.norm > 0);
  const best: InterestingUnit[] = [];
  const trace = new Float64Array(n);
  for (let l = 0; l < a.layers; l++) {
    for (let j = 0; j < H; j++) {
      let mean = 0;
      for (let t = 0; t < n; t++) mean += (trace[t] = a.values[(l * n + t) * H + j]);
      mean /= n;
      let ss = 0;
      for (let t = 0; t < n; t++) { trace[t] -= mean; ss += trace[t] * trace[t]; }
      if (!(ss > 0)) continue;
      let top: InterestingUnit | null = null;
      for (const f of centred) {
        let dot = 0;
        for (let t = 0; t < n; t++) dot += trace[t] * f.c[t];
        const r = dot / (Math.sqrt(ss) * f.norm);
        if (!top || Math.abs(r) > Math.abs(top.correlation)) top = { layer: l, unit: j, feature: f.name, correlation: r };
      }
      if (top) best.push(top);
    }
  }
  best.sort((p, q) => Math.abs(q.correlation) - Math.abs(p.correlation));
  return best.slice(0, count);
}

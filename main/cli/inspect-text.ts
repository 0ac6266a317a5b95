// `char-rnn inspect-text`: per-character surprisal of a text under a model (and one unit's activation).
import { CharRnnError } from '../../core/errors.js';
import { activations, checkStatePart, unitTrace, type StatePart } from '../../core/inspect/activations.js';
import { surprisal } from '../../core/inspect/surprisal.js';
import { NATS_TO_BITS } from '../../core/trainer.js';
import { readTextWithProgress, statusLine } from './status-line.js';
import { readCheckpointFile } from '../files/model-files.js';
import { UsageError } from './fail.js';
import type { CliIo } from './io.js';
import { parseChoice, parseInteger } from './options.js';
import { knownPart, skippedClause } from './text-checks.js';
import { modelParams } from '../../core/ema.js';

export interface InspectTextFlags {
  json?: boolean;
  unit?: string;
  state?: string;
  top?: string;
  skipUnknown?: boolean;
}

const UNIT = /^(\d+):(\d+)$/;

/** "L:N" → layer and unit, checked against the model's shape. */
export function parseUnit(raw: string, layers: number, hiddenSize: number): { layer: number; unit: number } {
  const m = UNIT.exec(raw);
  if (!m) throw new UsageError(`--unit must be LAYER:UNIT, e.g. 0:17; got ${JSON.stringify(raw)}.`);
  const layer = Number(m[1]), unit = Number(m[2]);
  if (layer >= layers) throw new UsageError(`--unit ${raw}: the model has ${layers} layer${layers === 1 ? '' : 's'} (0..${layers - 1}).`);
  if (unit >= hiddenSize) throw new UsageError(`--unit ${raw}: each layer has ${hiddenSize} units (0..${hiddenSize - 1}).`);
  return { layer, unit };
}

/** A character as it reads in a column: escapes for newline, tab and other controls. */
function shownChar(ch: string): string {
  const s = JSON.stringify(ch).slice(1, -1);
  return s === ' ' ? '␠' : s;
}

export async function inspectTextCommand(checkpointPath: string, textPath: string, flags: InspectTextFlags, io: CliIo): Promise<void> {
  const k = flags.top === undefined ? 5 : parseInteger('--top', flags.top, 1, 100);
  const part = parseChoice('--state', flags.state ?? 'h', ['h', 'c'] as const) as StatePart;
  const { state } = await readCheckpointFile(checkpointPath);
  const { model, vocab } = state;
  const params = modelParams(state); // the moving average when the run keeps one
  const unit = flags.unit === undefined ? null : parseUnit(flags.unit, model.layers, model.hiddenSize);
  if (unit) {
    try { checkStatePart(model, part); } catch (e) { throw new UsageError(`--state c: ${(e as Error).message}`); }
  } else if (flags.state !== undefined) throw new UsageError('--state needs --unit.');
  const { text: fileText } = await readTextWithProgress(textPath);
  const { text, skipped, kept } = knownPart(fileText, vocab, JSON.stringify(textPath), flags.skipUnknown === true, io);
  const encoded = vocab.encode(text);
  if (encoded.length < 2) {
    throw new CharRnnError('corpus-too-short', `${JSON.stringify(textPath)} has ${encoded.length} character; surprisal needs at least 2.`);
  }
  const status = statusLine();
  status.show(`scoring ${(encoded.length - 1).toLocaleString('en-US')} characters${unit ? ' and tracing the unit' : ''}…`, true);
  let s: ReturnType<typeof surprisal>, trace: ReturnType<typeof unitTrace> | null;
  try {
    s = surprisal(model, params, encoded, k);
    trace = unit ? unitTrace(activations(model, params, encoded, part), unit.layer, unit.unit) : null;
  } finally {
    status.clear();
  }
  const kk = s.k;
  const top = (t: number) => {
    const out: Array<{ char: string; p: number }> = [];
    for (let j = 0; j < kk; j++) {
      const ix = s.topIndex[t * kk + j];
      if (ix >= 0) out.push({ char: vocab.chars[ix], p: s.topProb[t * kk + j] });
    }
    return out;
  };
  const meanBits = s.meanNats * NATS_TO_BITS;
  if (flags.json) {
    const scored = Array.from(encoded, (ix, t) => ({
      char: vocab.chars[ix],
      surprisalNats: t === 0 ? null : s.nats[t],
      top: top(t),
      ...(trace ? { activation: trace[t] } : {}),
    }));
    const unitInfo = unit ? { unit: { layer: unit.layer, unit: unit.unit, state: part } } : {};
    const chars = kept ? withSkipped(fileText, kept, scored) : scored;
    io.line(JSON.stringify({ chars, meanNats: s.meanNats, meanBits, ...unitInfo, ...(flags.skipUnknown ? { skipped } : {}) }));
    return;
  }
  io.line(['pos', 'char', 'bits', ...(trace ? [`${part}[${unit!.layer}:${unit!.unit}]`] : []), 'expected (top ' + kk + ')'].join('\t'));
  for (let t = 0; t < encoded.length; t++) {
    const bits = t === 0 ? '-' : (s.nats[t] * NATS_TO_BITS).toFixed(3);
    const expected = top(t).map((e) => `${shownChar(e.char)} ${e.p.toFixed(3)}`).join(', ');
    io.line([String(t), shownChar(vocab.chars[encoded[t]]), bits, ...(trace ? [trace[t].toFixed(4)] : []), expected].join('\t'));
  }
  io.line(`mean: ${s.meanNats.toFixed(6)} nats/char, ${meanBits.toFixed(6)} bits/char over ${(encoded.length - 1).toLocaleString('en-US')} predicted characters` +
    (flags.skipUnknown ? skippedClause(skipped) : ''));
}

/** Every character of the original text in order: the scored ones as they are, the skipped ones with a null surprisal. */
function withSkipped<T extends object>(original: string, kept: Uint8Array, scored: T[]): Array<T | { char: string; surprisalNats: null; top: []; skipped: true }> {
  const out: Array<T | { char: string; surprisalNats: null; top: []; skipped: true }> = [];
  let i = 0, k = 0;
  for (const ch of original) out.push(kept[i++] ? scored[k++] : { char: ch, surprisalNats: null, top: [], skipped: true });
  return out;
}

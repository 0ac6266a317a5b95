// The Inspect view's computations in the worker: surprisal, hidden units, copies, temperature strip.
// Each runs on a copy of the parameters (a run that keeps training does not change them half way),
// and the copy index is built once per corpus file and kept until another corpus is asked for.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { CharRnnError } from '../../core/errors.js';
import { activations, checkStatePart, unitTrace } from '../../core/inspect/activations.js';
import { buildCopyIndex, findCopies, type CopyIndex } from '../../core/inspect/copies.js';
import { keepKnownChars } from '../../core/inspect/known-text.js';
import { surprisal } from '../../core/inspect/surprisal.js';
import { interestingUnits } from '../../core/inspect/units.js';
import { sampleText } from '../../core/sampler.js';
import type { TrainingState } from '../../core/trainer.js';
import { listChars } from '../../core/vocab.js';
import type {
  CopiesJob, CopiesResult, SurprisalJob, SurprisalResult, TemperatureStripRequest, TemperatureStripResult, UnitsRequest, UnitsResult,
} from '../contract/inspect.js';
import { ApiError } from '../contract/api-error.js';
import { readCorpusFile } from '../files/corpus-file.js';
import { modelParams } from '../../core/ema.js';

export const EXCERPT_LENGTH = 3000;
const RANKED_UNITS = 12;

export interface InspectContext {
  model(): TrainingState;             // throws 'no-model' without one
  corpusPath(): string | null;        // the corpus of the run, if any
}

function encodeKnown(state: TrainingState, text: string, what: string) {
  const unknown = state.vocab.unknownChars(text);
  if (unknown.length > 0) {
    throw new CharRnnError('corpus-vocabulary', `${what} has characters the model does not know: ${listChars(unknown)}.`);
  }
  return state.vocab.encode(text);
}

export class InspectJobs {
  private index: { path: string; mtimeMs: number; size: number; index: CopyIndex } | null = null;

  constructor(private readonly context: InspectContext) {}

  private corpusFor(requested: string | null): string {
    const path = requested ?? this.context.corpusPath();
    if (!path) throw new ApiError('no-model', 'There is no corpus to compare with: open the corpus the model was trained on.');
    return path;
  }

  /** The start of the validation part of the corpus (the last 10%), which the model did not train on. */
  private async excerpt(corpusPath: string | null, state: TrainingState): Promise<string> {
    const { text } = await readCorpusFile(this.corpusFor(corpusPath));
    const chars = [...text];
    const from = Math.floor(chars.length * (1 - state.training.valFraction));
    const start = Math.max(0, Math.min(from, chars.length - EXCERPT_LENGTH));
    return chars.slice(start, start + EXCERPT_LENGTH).filter((c) => state.vocab.index(c) >= 0).join('');
  }

  async surprisal(request: SurprisalJob): Promise<SurprisalResult> {
    const state = this.context.model();
    const params = modelParams(state).slice();
    const given = request.text ?? await this.excerpt(request.corpusPath, state);
    const known = request.skipUnknown ? keepKnownChars(state.vocab, given) : null;
    const encoded = encodeKnown(state, known ? known.known : given, 'The text');
    if (encoded.length < 2) throw new CharRnnError('corpus-too-short', 'Surprisal needs a text of at least 2 characters.');
    const s = surprisal(state.model, params, encoded, request.topK);
    const chars = Array.from(encoded, (ix) => state.vocab.chars[ix]);
    return {
      chars,
      nats: Array.from(s.nats, (x, t) => (t === 0 ? null : x)),
      topK: s.k,
      topChars: Array.from(s.topIndex, (ix) => (ix >= 0 ? state.vocab.chars[ix] : '')),
      topProbs: Array.from(s.topProb),
      meanNats: s.meanNats,
      skipped: known?.skipped ?? 0,
      skippedChars: known?.skippedChars ?? [],
    };
  }

  async units(request: UnitsRequest): Promise<UnitsResult> {
    const state = this.context.model();
    const { model } = state;
    checkStatePart(model, request.part);
    const encoded = encodeKnown(state, request.text, 'The text');
    if (encoded.length < 2) throw new CharRnnError('corpus-too-short', 'The text needs at least 2 characters.');
    if (request.unit && (request.unit.layer >= model.layers || request.unit.unit >= model.hiddenSize)) {
      throw new ApiError('invalid-request',
        `There is no unit ${request.unit.layer}:${request.unit.unit}; the model has layers 0..${model.layers - 1} and units 0..${model.hiddenSize - 1}.`);
    }
    const acts = activations(model, modelParams(state).slice(), encoded, request.part);
    const chars = Array.from(encoded, (ix) => state.vocab.chars[ix]);
    return {
      cell: model.cell,
      layers: model.layers,
      hiddenSize: model.hiddenSize,
      trace: request.unit ? Array.from(unitTrace(acts, request.unit.layer, request.unit.unit)) : null,
      interesting: request.rank ? interestingUnits(acts, chars, RANKED_UNITS) : null,
    };
  }

  async copies(request: CopiesJob): Promise<CopiesResult> {
    const path = this.corpusFor(request.corpusPath);
    const info = await stat(path).catch(() => null);
    let indexMs = 0;
    if (!this.index || this.index.path !== path || !info || info.mtimeMs !== this.index.mtimeMs || info.size !== this.index.size) {
      const { text } = await readCorpusFile(path);
      const t0 = performance.now();
      this.index = { path, mtimeMs: info?.mtimeMs ?? 0, size: info?.size ?? 0, index: buildCopyIndex(text) };
      indexMs = performance.now() - t0;
    }
    const report = findCopies(this.index.index, request.sample, request.minLength);
    return { ...report, corpusName: basename(path), indexMs };
  }

  async temperatures(request: TemperatureStripRequest): Promise<TemperatureStripResult> {
    const state = this.context.model();
    const unknownChars = state.vocab.unknownChars(request.prime);
    if (unknownChars.length > 0) return { samples: [], unknownChars };
    const params = modelParams(state).slice();
    const samples = request.temperatures.map((temperature) => ({
      temperature,
      text: sampleText(state.model, params, state.vocab, { length: request.length, prime: request.prime, temperature, seed: request.seed }),
    }));
    return { samples, unknownChars: [] };
  }
}

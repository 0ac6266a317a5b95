// The Auto preset in the app: core's rule (core/auto-preset.ts) for a text the page names by token, the form's
// Stop after budget, and this machine's speed, measured in the worker once per thread count and kept while main runs.
import { AUTO_BATCH, autoPreset } from '../../core/auto-preset.js';
import type { TrainConfig } from '../../core/config.js';
import type { AutoPresetChoice, AutoPresetRequest, CorpusReport } from '../contract/api.js';
import { resolveThreads } from '../training/pool/threads.js';
import { referenceKey } from '../training/throughput.js';

export interface AutoPresetDeps {
  /** The text's size and vocabulary (the corpus report main makes for an opened text). */
  describe(path: string, training: Pick<TrainConfig, 'seqLength' | 'batchSize' | 'valFraction'>): Promise<Pick<CorpusReport, 'characters' | 'vocabularySize'>>;
  /** Training steps of the reference model on `threads` threads, in the worker: floating-point operations per second. */
  measureSpeed(threads: number): Promise<number>;
}

export class AutoPresetService {
  /** Measured speeds by reference shape and thread count: one calibration per key while main runs. */
  private readonly speeds = new Map<string, Promise<number>>();

  constructor(private readonly deps: AutoPresetDeps) {}

  async choose(corpusPath: string, request: Omit<AutoPresetRequest, 'corpus'>): Promise<AutoPresetChoice> {
    const { threads } = resolveThreads({ requested: request.threads, batchSize: AUTO_BATCH, continuedOn: undefined });
    const text = await this.deps.describe(corpusPath, { seqLength: 50, batchSize: AUTO_BATCH, valFraction: request.valFraction });
    const key = referenceKey(threads);
    let speed = this.speeds.get(key);
    const measured = speed === undefined;
    if (!speed) {
      speed = this.deps.measureSpeed(threads);
      this.speeds.set(key, speed);
      speed.catch(() => this.speeds.delete(key)); // a failed measurement (the worker busy) is asked again next time
    }
    const flopsPerSecond = await speed;
    const { stopAfter } = request;
    const choice = autoPreset({
      trainChars: Math.max(1, Math.floor(text.characters * (1 - request.valFraction))),
      vocabSize: text.vocabularySize,
      budget: stopAfter.kind === 'minutes' ? { seconds: stopAfter.value * 60 } : { iterations: stopAfter.value },
      flopsPerSecond,
    });
    return { settings: { ...choice.settings }, dropout: choice.dropout, ema: choice.ema, reason: choice.reason, measured };
  }
}

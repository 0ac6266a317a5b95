// The Inspect view's state: the text under the lens, its surprisal or one unit's activation, the
// ranked "interesting" units, the copy detector and the temperature strip. Everything is computed
// in the worker; this class only holds requests' inputs and results.
import type {
  ApiErrorPayload, CopiesResult, InterestingUnitInfo, StatePart, SurprisalResult, TemperatureStripResult,
} from '../../../../main/contract/api';
import { api, attempt } from '../api';
import { checkMinLength, checkStripLength, checkStripSeed, checkTemperatures, checkUnit } from '../inspect-fields';

export const NATS_TO_BITS = 1 / Math.LN2;
/** Characters drawn in the heat map; a longer text is scored whole but shown up to here. */
export const MAX_SHOWN_CHARS = 20_000;
export const FEATURE_NAMES: Record<InterestingUnitInfo['feature'], string> = {
  'inside-quotes': 'inside quotes',
  'inside-brackets': 'inside brackets',
  'position-in-line': 'position in the line',
  'after-space': 'after a space',
  'word-start': 'start of a word',
};

export type Lens = 'surprisal' | 'unit';

export class InspectStore {
  /** The text typed or pasted; empty means "an excerpt of the corpus". */
  input = $state('');
  lens = $state<Lens>('surprisal');
  busy = $state('');                     // what is running, in words, or ''
  error = $state.raw<ApiErrorPayload | null>(null);

  surprisal = $state.raw<SurprisalResult | null>(null);

  layer = $state(0);
  unit = $state(0);
  unitText = $state('0');
  /** The model's hidden size (set by the view from the training status), for the Unit field's check. */
  modelHiddenSize = $state<number | null>(null);
  part = $state<StatePart>('h');
  trace = $state.raw<number[] | null>(null);
  traceOf = $state('');                  // "h 0:17", for the legend
  interesting = $state.raw<InterestingUnitInfo[] | null>(null);
  shape = $state.raw<{ cell: string; layers: number; hiddenSize: number } | null>(null);

  copySample = $state('');
  minLengthText = $state('20');
  copies = $state.raw<CopiesResult | null>(null);
  copiesOf = $state('');                 // the sample the result is for

  stripPrime = $state('The ');
  stripLengthText = $state('200');
  stripSeedText = $state('42');
  stripTemperaturesText = $state('0.5, 0.8, 1.0, 1.3');
  strip = $state.raw<TemperatureStripResult | null>(null);

  /** Each typed field checked as it is typed; the button that sends it waits until it is right. */
  unitCheck = $derived(checkUnit(this.unitText, this.shape?.hiddenSize ?? this.modelHiddenSize));
  minLengthCheck = $derived(checkMinLength(this.minLengthText));
  stripLengthCheck = $derived(checkStripLength(this.stripLengthText));
  stripSeedCheck = $derived(checkStripSeed(this.stripSeedText));
  temperaturesCheck = $derived(checkTemperatures(this.stripTemperaturesText));
  stripValid = $derived(!this.stripLengthCheck.error && !this.stripSeedCheck.error && !this.temperaturesCheck.error);

  /** The characters shown (the scored text). */
  chars = $derived(this.surprisal?.chars ?? []);
  meanBits = $derived(this.surprisal ? this.surprisal.meanNats * NATS_TO_BITS : null);

  async #run<T>(what: string, request: () => Promise<T>): Promise<T | null> {
    this.busy = what;
    this.error = null;
    const r = await attempt(request);
    this.busy = '';
    if (!r.ok) {
      this.error = r.error;
      return null;
    }
    return r.value;
  }

  /** Score the text (or a corpus excerpt when there is none) and show its surprisal. */
  async score(corpus: string | null): Promise<void> {
    const result = await this.#run('Scoring…', () => api().inspectSurprisal({ text: this.input === '' ? null : this.input, corpus, topK: 5, skipUnknown: true }));
    if (!result) {
      // the old heat map described another text: it goes, so the error is not read as being about it
      this.surprisal = null;
      this.trace = null;
      this.lens = 'surprisal';
      return;
    }
    this.surprisal = result;
    this.trace = null;
    this.lens = 'surprisal';
    if (this.input === '') this.input = result.chars.join('');
  }

  #unitsText(): string {
    return this.chars.slice(0, MAX_SHOWN_CHARS).join('');
  }

  /** Shade the text by one unit's activation. */
  async showUnit(layer = this.layer, unit = this.unitCheck.value): Promise<void> {
    if (!this.surprisal || unit === undefined) return;
    this.unitText = String(unit);
    this.layer = layer;
    this.unit = unit;
    const result = await this.#run('Reading the unit…', () => api().inspectUnits({ text: this.#unitsText(), part: this.part, unit: { layer, unit }, rank: false }));
    if (!result) return;
    this.shape = { cell: result.cell, layers: result.layers, hiddenSize: result.hiddenSize };
    this.trace = result.trace;
    this.traceOf = `${this.part} ${layer}:${unit}`;
    this.lens = 'unit';
  }

  async findInteresting(): Promise<void> {
    if (!this.surprisal) return;
    const result = await this.#run('Ranking units…', () => api().inspectUnits({ text: this.#unitsText(), part: this.part, unit: null, rank: true }));
    if (!result) return;
    this.shape = { cell: result.cell, layers: result.layers, hiddenSize: result.hiddenSize };
    this.interesting = result.interesting;
  }

  async checkCopies(corpus: string | null): Promise<void> {
    const minLength = this.minLengthCheck.value;
    if (minLength === undefined) return;
    const sample = this.copySample;
    const result = await this.#run('Looking for copies…', () => api().inspectCopies({ sample, corpus, minLength }));
    if (!result) return;
    this.copies = result;
    this.copiesOf = sample;
  }

  async runStrip(): Promise<void> {
    const [length, seed, temperatures] = [this.stripLengthCheck.value, this.stripSeedCheck.value, this.temperaturesCheck.value];
    if (length === undefined || seed === undefined || temperatures === undefined) return;
    const request = { prime: this.stripPrime, length, seed, temperatures };
    const result = await this.#run('Sampling…', () => api().temperatureStrip(request));
    if (result) this.strip = result;
  }
}

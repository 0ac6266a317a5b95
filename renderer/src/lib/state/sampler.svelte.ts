// The sampler: prime text and its own RNG seed (two separate things), settings, and the streamed output.
import type { ApiErrorPayload, SampleRequest } from '../../../../main/contract/api';
import { api, attempt } from '../api';
import { checkNumberText, type FieldRule } from '../limits';

export type SamplerField = 'length' | 'temperature' | 'topK' | 'seed';

const SAMPLER_RULES: Record<SamplerField, FieldRule> = {
  length: { label: 'Length', limit: 'samplerLength' },
  temperature: { label: 'Temperature', limit: 'temperature' },
  topK: { label: 'Top-k', limit: 'topK', note: '(0 = off)' },
  seed: { label: 'Sampling seed', limit: 'samplerSeed' },
};

export class SamplerStore {
  prime = $state('The ');
  lengthText = $state('500');
  temperatureText = $state('0.8');
  topKText = $state('0');
  seedText = $state('42');
  argmax = $state(false);

  output = $state('');
  /** The prime the current output continues (shown dimmed before it). */
  outputPrime = $state('');
  running = $state(false);
  unknownChars = $state.raw<readonly string[]>([]);
  error = $state.raw<ApiErrorPayload | null>(null);
  /** Which model the last output came from, e.g. "iteration 4,200" or a checkpoint's name. */
  source = $state('');
  /** What made the output on screen: its model, temperature (or argmax), top-k and seed, in words. */
  outputLabel = $state('');
  /** Why Generate (Ctrl+Enter) did nothing: no model yet, or a field in error; cleared by the next Generate. */
  refusal = $state.raw<{ reason: 'no-model' | 'fields'; message: string } | null>(null);
  /** A field the panel should focus (the first in error when Generate was refused); a new object each time. */
  focusRequest = $state.raw<{ field: SamplerField } | null>(null);
  /** Characters of the model sampled from (set by the panel from the training status); bounds Top-k. */
  vocabularySize = $state<number | null>(null);

  errors = $derived.by(() => {
    const texts: Record<SamplerField, string> = { length: this.lengthText, temperature: this.temperatureText, topK: this.topKText, seed: this.seedText };
    const e: Partial<Record<SamplerField, string>> = {};
    for (const field of Object.keys(SAMPLER_RULES) as SamplerField[]) {
      const r = checkNumberText(texts[field], SAMPLER_RULES[field]);
      if ('error' in r) e[field] = r.error;
    }
    // Top-k counts the model's characters: its range is the model's, not the engine's largest
    const v = this.vocabularySize;
    const k = checkNumberText(this.topKText, SAMPLER_RULES.topK);
    if (v && 'value' in k && k.value > v) e.topK = `Top-k must be a whole number from 0 to ${v} (0 = off): this model knows ${v} characters`;
    return e;
  });

  request = $derived.by((): SampleRequest | null => {
    if (Object.keys(this.errors).length > 0) return null;
    return {
      prime: this.prime,
      length: Number(this.lengthText.trim()),
      temperature: Number(this.temperatureText.trim()),
      topK: Number(this.topKText.trim()),
      argmax: this.argmax,
      seed: Number(this.seedText.trim()),
    };
  });

  /** Prime characters the model does not know, as found by the last request (cleared when the prime changes). */
  setPrime(text: string): void {
    this.prime = text;
    this.unknownChars = [];
    if (this.error?.code === 'bad-prime') this.error = null;
  }

  refuse(reason: 'no-model' | 'fields', message: string): void {
    this.refusal = { reason, message };
  }

  /** Generate asked for with a field in error: say so, and ask the panel to focus the first such field. */
  refuseForErrors(): void {
    const field = (['length', 'temperature', 'topK', 'seed'] as const).find((f) => this.errors[f] !== undefined);
    if (!field) return;
    this.refuse('fields', `Nothing sampled: ${this.errors[field]}.`);
    this.focusRequest = { field };
  }

  newSeed(): void {
    const draw = new Uint32Array(1);
    crypto.getRandomValues(draw);
    this.seedText = String(draw[0]);
  }

  /** Streamed output from api.onSampleChunk while a request runs. */
  appendChunk(text: string): void {
    if (this.running) this.output += text;
  }

  async run(source: string): Promise<void> {
    const request = this.request;
    if (!request || this.running) return;
    this.running = true;
    this.error = null;
    this.refusal = null;
    this.unknownChars = [];
    this.output = '';
    this.outputPrime = request.prime;
    this.source = source;
    this.outputLabel = `From ${source} · ${request.argmax ? 'argmax' : `temperature ${request.temperature}`}` +
      `${request.topK > 0 && !request.argmax ? ` · top-k ${request.topK}` : ''} · seed ${request.seed}`;
    const r = await attempt(() => api().sample(request));
    this.running = false;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.unknownChars = r.value.unknownChars;
    // the final text is authoritative: chunks may have been dropped or be partial
    this.output = r.value.text;
    if (r.value.unknownChars.length > 0) this.outputPrime = '';
  }

  async copy(): Promise<boolean> {
    try {
      await navigator.clipboard.writeText(this.outputPrime + this.output);
      return true;
    } catch {
      return false;
    }
  }

  async save(): Promise<string | null> {
    const r = await attempt(() => api().saveText('sample.txt', this.outputPrime + this.output));
    if (!r.ok) {
      this.error = r.error;
      return null;
    }
    return r.value;
  }
}

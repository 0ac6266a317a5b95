// The sampler: prime text and its own RNG seed (two separate things), settings, and the streamed output.
import type { ApiErrorPayload, SampleRequest } from '../../../../main/contract/api';
import { api, attempt } from '../api';

export const SAMPLER_LIMITS = Object.freeze({ length: [1, 100_000], temperature: [0, 100], topK: [0, 100_000], seed: [0, 0xffffffff] } as const);

export type SamplerField = 'length' | 'temperature' | 'topK' | 'seed';

function wholeIn(text: string, [lo, hi]: readonly [number, number]): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const v = Number(t);
  return v >= lo && v <= hi ? v : null;
}

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

  errors = $derived.by(() => {
    const e: Partial<Record<SamplerField, string>> = {};
    if (wholeIn(this.lengthText, SAMPLER_LIMITS.length) === null) e.length = 'Length must be a whole number from 1 to 100000';
    const t = Number(this.temperatureText.trim());
    if (this.temperatureText.trim() === '' || !Number.isFinite(t) || t <= 0 || t > 100) e.temperature = 'Temperature must be a number above 0 and at most 100';
    if (wholeIn(this.topKText, SAMPLER_LIMITS.topK) === null) e.topK = 'Top-k must be a whole number from 0 (off) to 100000';
    if (wholeIn(this.seedText, SAMPLER_LIMITS.seed) === null) e.seed = 'Sampling seed must be a whole number from 0 to 4294967295';
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
    this.unknownChars = [];
    this.output = '';
    this.outputPrime = request.prime;
    this.source = source;
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

// A sampler:sample request run cooperatively: characters for a few milliseconds, then a turn for the
// event loop (commands, training), with the text streamed in chunks. It samples a copy of the
// parameters, so a run that keeps training does not change the text half way through.
import { sampleStream } from '../../core/sampler.js';
import type { TrainingState } from '../../core/trainer.js';
import type { SampleRequest, SampleResult } from '../contract/api.js';
import { modelParams } from '../../core/ema.js';

const SLICE_MS = 8;          // per turn; the training loop gets the rest
const CHUNK_INTERVAL_MS = 50;

export async function runSampleJob(state: TrainingState, request: SampleRequest, onChunk: (text: string) => void,
                                   clock: { now(): number } = performance): Promise<SampleResult> {
  const unknownChars = state.vocab.unknownChars(request.prime);
  if (unknownChars.length > 0) return { text: '', unknownChars };
  const stream = sampleStream(state.model, modelParams(state).slice(), state.vocab, {
    length: request.length,
    prime: request.prime,
    temperature: request.temperature,
    topK: request.topK,
    argmax: request.argmax,
    seed: request.seed,
  });
  let text = '', sent = 0, lastChunk = clock.now();
  for (;;) {
    const deadline = clock.now() + SLICE_MS;
    let done = false;
    while (clock.now() < deadline) {
      const next = stream.next();
      if (next.done) { done = true; break; }
      text += next.value;
    }
    if (done || clock.now() - lastChunk >= CHUNK_INTERVAL_MS) {
      if (text.length > sent) onChunk(text.slice(sent));
      sent = text.length;
      lastChunk = clock.now();
    }
    if (done) return { text, unknownChars: [] };
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

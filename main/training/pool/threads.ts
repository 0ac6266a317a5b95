// How many threads a run trains on: one rule, for the CLI's --threads and the app's Threads alike.
import { availableParallelism } from 'node:os';
import { LIMITS } from '../../../core/config.js';

export interface ThreadRequest {
  /** --threads or the form's Threads, already checked against LIMITS.threads where it came in; undefined: not set. */
  requested: number | undefined;
  batchSize: number;
  /** A continued model: the count its checkpoint records. Undefined for a new model. */
  continuedOn?: number;
}

export interface ThreadChoice {
  threads: number;
  /** What the user should know about the choice (a clamp, a continued run that will not match bit for bit); null: nothing. */
  note: string | null;
}

/**
 * The rule: the count asked for, else a continued model's own (the gradients' summation order, so it
 * continues bit for bit), else every core. Each thread trains at least one of the batch's streams, so a
 * count above the batch size is CLAMPED to it and SAID (never refused: the form and --threads both take any
 * count within LIMITS.threads, and the note names what was used).
 */
export function resolveThreads({ requested, batchSize, continuedOn }: ThreadRequest): ThreadChoice {
  const wanted = requested ?? continuedOn ?? Math.min(availableParallelism(), LIMITS.threads.max);
  const threads = Math.max(1, Math.min(wanted, batchSize));
  const notes: string[] = [];
  if (requested !== undefined && requested > batchSize) {   // every core is "at most the batch" by definition: nothing to say
    notes.push(`training on ${count(threads, 'thread')}, not ${requested}: the batch has ${count(batchSize, 'stream')} and each thread trains at least one`);
  }
  if (requested !== undefined && continuedOn !== undefined && threads !== continuedOn) {
    notes.push(`training on ${threads} threads; the checkpoint was trained on ${continuedOn}, so the run will not match an uninterrupted one bit for bit`);
  }
  return { threads, note: notes.length > 0 ? notes.join('; ') : null };
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

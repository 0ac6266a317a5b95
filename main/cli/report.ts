// Progress lines of `train`, as text like the seed's or as one JSON object per line (--json).
import { describeOverfitting, detectOverfitting, type ValidationPoint } from '../../core/overfitting.js';
import { NATS_TO_BITS } from '../../core/trainer.js';
import type { ProgressReport } from '../training/training-loop.js';

export interface Reporter {
  progress(report: ProgressReport): void;
  sample(iter: number, text: string): void;
}

export function textReporter(write: (line: string) => void): Reporter {
  const overfitting = overfittingWatch();
  return {
    progress: (r) => {
      write(formatProgressText(r));
      const line = overfitting(r);
      if (line) write(line);
    },
    sample: (_iter, text) => write(`----\n ${text} \n----`), // the seed's frame
  };
}

export function jsonReporter(write: (line: string) => void): Reporter {
  return {
    progress: (r) => write(formatProgressJson(r)),
    sample: (iter, sample) => write(JSON.stringify({ iter, sample })),
  };
}

/** "iter 1000, loss 2.345678 | val 2.301234 nats/char (3.3202 bits/char), best 2.301234 | epoch 1 | 52,310 chars/s" */
export function formatProgressText(r: ProgressReport): string {
  const parts = [`iter ${r.iter}, loss ${r.smoothLoss.toFixed(6)}`];
  if (r.valLoss !== null) {
    let val = `val ${r.valLoss.toFixed(6)} nats/char (${(r.valLoss * NATS_TO_BITS).toFixed(4)} bits/char)`;
    if (r.bestValLoss !== null) val += `, best ${r.bestValLoss.toFixed(6)}`;
    parts.push(val);
  }
  parts.push(`epoch ${r.epoch}`, `${Math.round(r.charsPerSec).toLocaleString('en-US')} chars/s`);
  return parts.join(' | ');
}

/** {"iter","epoch","loss","smoothLoss","valLoss","charsPerSec"}: every loss in nats per character. */
export function formatProgressJson(r: ProgressReport): string {
  return JSON.stringify({
    iter: r.iter,
    epoch: r.epoch,
    loss: r.loss,
    smoothLoss: r.smoothLoss,
    valLoss: r.valLoss,
    charsPerSec: Math.round(r.charsPerSec),
  });
}

/**
 * Feeds each report with a validation loss to core's overfitting rule (the app's note says the same); returns
 * its line the first time the rule holds, '' otherwise.
 */
export function overfittingWatch(): (r: ProgressReport) => string {
  const measured: ValidationPoint[] = [];
  let said = false;
  return (r) => {
    if (r.valLoss === null || said) return '';
    measured.push({ iter: r.iter, trainLoss: r.smoothLoss, valLoss: r.valLoss });
    const verdict = detectOverfitting(measured);
    if (!verdict) return '';
    said = true;
    return describeOverfitting(verdict);
  };
}

// When a run is overfitting, in one rule the app and the CLI share: validation loss has risen well past its
// best and stayed there for several measurements, while the training loss has gone on falling.

/** One validation measurement and the training loss beside it, nats per char. */
export interface ValidationPoint {
  iter: number;
  trainLoss: number;   // the training loss at this iteration (smoothed, so one noisy stretch does not decide)
  valLoss: number;
}

export interface OverfittingRule {
  /** How far above its best the validation loss must be, as a fraction of the best (0.1: 10% higher). */
  readonly rise: number;
  /** How many measurements in a row, the latest included, must all be that far above the best. */
  readonly sustained: number;
}

/** 10% above the best for three measurements in a row: one bad evaluation is noise, three are a trend. */
export const OVERFITTING_RULE: OverfittingRule = Object.freeze({ rise: 0.1, sustained: 3 });

export interface Overfitting {
  bestIteration: number;
  bestValLoss: number;
  latestIteration: number;
  latestValLoss: number;
  /** Training loss at the best validation and now: it fell while validation rose. */
  trainLossAtBest: number;
  latestTrainLoss: number;
}

/**
 * The overfitting verdict for a run's validation measurements (in iteration order), or null while the rule
 * does not hold: validation at least `rise` above its best for the last `sustained` measurements, all after
 * the best, while the training loss is lower now than at the best.
 */
export function detectOverfitting(points: readonly ValidationPoint[], rule: OverfittingRule = OVERFITTING_RULE): Overfitting | null {
  const measured = points.filter((p) => Number.isFinite(p.valLoss) && Number.isFinite(p.trainLoss));
  if (measured.length < rule.sustained + 1) return null;
  let best = 0;
  for (let i = 1; i < measured.length; i++) if (measured[i].valLoss < measured[best].valLoss) best = i;
  const recent = measured.slice(-rule.sustained);
  if (measured.length - 1 - best < rule.sustained) return null;     // the best is among the last few: not a while yet
  const threshold = measured[best].valLoss * (1 + rule.rise);
  if (!recent.every((p) => p.valLoss >= threshold)) return null;
  const latest = measured[measured.length - 1];
  if (!(latest.trainLoss < measured[best].trainLoss)) return null;   // training is not improving either: not overfitting
  return {
    bestIteration: measured[best].iter,
    bestValLoss: measured[best].valLoss,
    latestIteration: latest.iter,
    latestValLoss: latest.valLoss,
    trainLossAtBest: measured[best].trainLoss,
    latestTrainLoss: latest.trainLoss,
  };
}

/**
 * The verdict in one line, with what to do, e.g. "Overfitting: validation loss 2.41 is 19% above its best,
 * 2.03 at iteration 3,000, while training loss fell to 1.12. Stop and keep the best model, or train a smaller
 * model." `unit` turns nats into what the reader sees.
 */
export function describeOverfitting(o: Overfitting, unit: { name: string; perNat: number } = { name: 'nats/char', perNat: 1 }): string {
  const f = (nats: number) => (nats * unit.perNat).toFixed(3);
  const pct = Math.round((o.latestValLoss / o.bestValLoss - 1) * 100);
  return `Overfitting: validation loss ${f(o.latestValLoss)} ${unit.name} is ${pct}% above its best, ` +
    `${f(o.bestValLoss)} at iteration ${o.bestIteration.toLocaleString('en-US')}, while training loss fell to ${f(o.latestTrainLoss)}. ` +
    'Stop and keep the best model, or train a smaller model or on more text.';
}

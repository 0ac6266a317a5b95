// The lines `char-rnn train` says about its run in words: what it trains at the start, the best validation at the
// end, and what a stop keeps and loses.
import type { Corpus } from '../../core/corpus.js';
import { paramLayout } from '../../core/layout.js';
import { describeSchedule } from '../../core/schedule.js';
import { NATS_TO_BITS, type TrainingState } from '../../core/trainer.js';
import type { RunFlags } from './train-flags.js';

/** The run's first line: the model, the text, the optimisation, the threads and kernels, and when it stops. */
export function describeRun(state: TrainingState, corpus: Corpus, run: RunFlags, kernels: string, resumedFrom?: string): string {
  const { model, training } = state;
  const parameters = paramLayout(model).size.toLocaleString('en-US');
  const until = [
    run.iterations !== undefined ? `iteration ${run.iterations}` : '',
    run.seconds !== undefined ? `${run.seconds} s` : '',
  ].filter(Boolean).join(' or ') || 'Ctrl-C';
  return `${resumedFrom ? `resuming ${resumedFrom} at iteration ${state.iteration}` : 'training'}: ` +
    `${model.cell}, hidden ${model.hiddenSize}, ${model.layers} layer${model.layers === 1 ? '' : 's'}, ` +
    `${parameters} parameters, vocabulary ${model.vocabSize}; ` +
    `${corpus.train.length.toLocaleString('en-US')} training + ${corpus.val.length.toLocaleString('en-US')} validation chars; ` +
    `${training.optimizer} lr ${training.learningRate}${state.schedule ? ` (${describeSchedule(state.schedule)})` : ''}, seq ${training.seqLength}, batch ${training.batchSize}, ` +
    (training.dropout > 0 ? `dropout ${training.dropout}, ` : '') + (training.ema > 0 ? `weight average ${training.ema}, ` : '') +
    `${state.threads} thread${state.threads === 1 ? '' : 's'}, ${kernels} kernels; until ${until}`;
}

/**
 * "best validation loss 1.234567 nats/char (1.7812 bits/char) at iteration 2,000", or why there is none:
 * the state's own best (what its checkpoint holds, `inspect` shows and a resumed run starts from), with
 * the iteration its history records it at.
 */
export function bestValidationLine(state: TrainingState): string {
  const best = state.bestValLoss;
  if (best === null) return 'no validation loss was measured (it is measured every --sample-every iterations)';
  const at = state.lossHistory.findLast((p) => p.valLoss === best)?.iter;
  return `best validation loss ${best.toFixed(6)} nats/char (${(best * NATS_TO_BITS).toFixed(4)} bits/char)` +
    (at !== undefined ? ` at iteration ${at.toLocaleString('en-US')}` : '');
}

/** What a run stopping now keeps and loses, in one clause. */
export function unsavedNow(state: TrainingState, out: string | undefined, saved: { path: string; iteration: number } | null): string {
  const at = `iteration ${state.iteration.toLocaleString('en-US')}`;
  if (out === undefined) return `the model (${at}) was not saved (add --out FILE to keep it)`;
  if (saved === null) return `nothing was saved to ${out} (the run was at ${at})`;
  if (saved.iteration === state.iteration) return `${saved.path} holds ${at}`;
  return `${saved.path} holds iteration ${saved.iteration.toLocaleString('en-US')}; ${at} was not saved`;
}

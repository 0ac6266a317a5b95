// The TrainingStatus the renderer is shown: the worker's own status, with what only main knows laid over it
// (a start or stop under way, a crash, a corpus changed on disk, the autosave on offer, the page's file token).
import type { AutosaveSummary, TrainingStatus } from '../contract/api.js';
import { ApiError } from '../contract/api-error.js';
import type { WorkerStatus } from '../contract/worker.js';

/** Phases the worker cannot report: main is waiting for it, or it is gone. */
export type Overlay = { phase: 'starting' | 'stopping' | 'crashed'; message?: string };

/** A worker that exited unasked (`how`: describeExit's words) at `iteration`, and the autosave there is to restore, if any. */
export function crashedOverlay(how: string, iteration: number, autosave: { iteration: number } | null): Overlay {
  return {
    phase: 'crashed',
    message: `The training process stopped unexpectedly (${how}) at iteration ${iteration}. ` +
      (autosave ? `The autosave from iteration ${autosave.iteration} can be restored.` : 'There is no autosave of this run to restore.'),
  };
}

/** Before the first worker, and after one exits: nothing held. */
export const IDLE: WorkerStatus = {
  seq: 0, phase: 'idle', hasModel: false, corpusPath: null, checkpointPath: null, hyperparameters: null, iteration: 0,
};

export interface StatusParts {
  worker: WorkerStatus;
  overlay: Overlay | null;
  corpusNotice: string | null;
  autosave: AutosaveSummary | null;
  tokenFor?: (path: string) => string;
}

export function trainingStatus({ worker: w, overlay, corpusNotice, autosave, tokenFor }: StatusParts): TrainingStatus {
  const phase = overlay?.phase ?? w.phase;
  const status: TrainingStatus = {
    phase,
    corpusPath: w.corpusPath,
    ...(tokenFor ? { corpusToken: w.corpusPath === null ? null : tokenFor(w.corpusPath) } : {}),
    checkpointPath: w.checkpointPath,
    hyperparameters: w.hyperparameters,
    iteration: w.iteration,
  };
  const message = [overlay?.message ?? w.message, corpusNotice].filter(Boolean).join(' ');
  if (message) status.message = message;
  if (w.vocabulary && w.hasModel) status.vocabulary = w.vocabulary;
  if (w.kernels) status.kernels = w.kernels;
  // offered after a crash, and on a fresh start of the app when an earlier run left an autosave
  if (autosave && (phase === 'crashed' || (phase === 'idle' && !w.hasModel))) {
    status.canRestoreAutosave = true;
    status.autosave = autosave;
  }
  return status;
}

/** What a request about the model gets when there is none (no worker, or a worker without one). */
export function noModel(): ApiError {
  return new ApiError('no-model', 'There is no model yet: start training or open a checkpoint first.');
}

// What main is told about a model: its CheckpointInfo, and the settings it trains with.
import { basename } from 'node:path';
import type { TrainingState } from '../../core/trainer.js';
import type { CheckpointInfo, Hyperparameters, RunSettings } from '../contract/api.js';
import { defaultHyperparameters } from '../contract/defaults.js';

export function checkpointInfo(state: TrainingState, path: string, savedAt: Date): CheckpointInfo {
  return {
    path,
    fileName: basename(path),
    iteration: state.iteration,
    epoch: state.epoch,
    smoothLoss: state.smoothLoss,
    bestValLoss: state.bestValLoss,
    cell: state.model.cell,
    hiddenSize: state.model.hiddenSize,
    layers: state.model.layers,
    vocabularySize: state.vocab.size,
    savedAt: savedAt.toISOString(),
    history: state.lossHistory.slice(),
  };
}

/**
 * What a run on this model really uses: the model's own shape and training settings, and `run` (the stop,
 * cadences and switches, which a checkpoint does not hold).
 */
export function hyperparametersOf(state: TrainingState, run: RunSettings = defaultHyperparameters().run): Hyperparameters {
  const { vocabSize: _fromTheCorpus, ...model } = state.model;
  return { model, training: { ...state.training }, run };
}

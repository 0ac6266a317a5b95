// What main is told about a model: its CheckpointInfo, and the hyperparameters it was built with.
import { basename } from 'node:path';
import type { TrainingState } from '../../core/trainer.js';
import type { CheckpointInfo, Hyperparameters } from '../contract/api.js';
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
 * The model's own settings over `base`: what a run on this model really uses. The app-only
 * fields (stop, cadences, autosave) are not in a checkpoint and come from `base`.
 */
export function hyperparametersOf(state: TrainingState, base: Hyperparameters = defaultHyperparameters()): Hyperparameters {
  const { model, training } = state;
  return {
    ...base,
    cell: model.cell,
    hiddenSize: model.hiddenSize,
    layers: model.layers,
    seqLength: training.seqLength,
    batchSize: training.batchSize,
    optimizer: training.optimizer,
    learningRate: training.learningRate,
    clipValue: training.clipValue,
    clipNorm: training.clipNorm,
    valFraction: training.valFraction,
    seed: training.seed,
  };
}

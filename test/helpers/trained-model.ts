// A small model trained for a few steps on a generated text, in process: what the export tests convert.
import { SEED_TRAINING, type CellType } from '../../core/config.js';
import { prepareCorpus } from '../../core/corpus.js';
import { createTrainingState, Trainer, type TrainingState } from '../../core/trainer.js';
import { generatedCorpus } from './cli-run.js';

export interface TrainedModel {
  state: TrainingState;
  text: string;      // the whole generated text (its characters are the vocabulary)
}

/** `steps` Adam steps of a `cell` with `layers` layers of `hidden` units: biases and every gate move off their start. */
export function trainedModel(cell: CellType, layers: number, hidden = 24, steps = 30, seed = 3): TrainedModel {
  const text = generatedCorpus(4000, seed);
  const training = { ...SEED_TRAINING, seqLength: 16, batchSize: 4, optimizer: 'adam' as const, learningRate: 0.01, seed };
  const corpus = prepareCorpus(text, training);
  const state = createTrainingState({ cell, hiddenSize: hidden, layers, vocabSize: corpus.vocab.size }, training, corpus.vocab);
  const trainer = new Trainer(state, corpus);
  for (let i = 0; i < steps; i++) trainer.step();
  return { state, text };
}

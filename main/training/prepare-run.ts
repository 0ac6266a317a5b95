// One way to prepare a training run, for the CLI and the app's worker alike: a new model on a text, or a
// saved one continued on it, taking only the settings a continued run may change (core's CHANGEABLE_ON_RESUME).
import { CHANGEABLE_ON_RESUME, REGULARIZERS_CHANGEABLE_ON_RESUME, validateTrainConfig, type ChangeableOnResume, type ModelConfig, type TrainConfig } from '../../core/config.js';
import { prepareCorpus, type Corpus } from '../../core/corpus.js';
import { createTrainingState, type TrainingState } from '../../core/trainer.js';
import { Vocabulary } from '../../core/vocab.js';
import { naming } from '../files/errors.js';

/** The changeable part of some training settings (a form's, or flags already checked against the model). */
export function resumeChanges(training: Partial<Pick<TrainConfig, ChangeableOnResume>>): Partial<Pick<TrainConfig, ChangeableOnResume>> {
  const out: Partial<Record<ChangeableOnResume, number>> = {};
  for (const key of [...CHANGEABLE_ON_RESUME, ...REGULARIZERS_CHANGEABLE_ON_RESUME]) if (training[key] !== undefined) out[key] = training[key];
  return out;
}

export type RunStart =
  | { kind: 'new'; model: Omit<ModelConfig, 'vocabSize'>; training: TrainConfig }
  | { kind: 'continue'; state: TrainingState; changes: Partial<Pick<TrainConfig, ChangeableOnResume>> };

export interface PreparedRun {
  state: TrainingState;
  corpus: Corpus;
  /** A continued run on another text than the model was trained on (it goes on, on this one). */
  otherText: boolean;
}

/**
 * The state and corpus of a run on `text` (read from `corpusPath`, which messages name). A continued
 * run's state is changed in place: its training settings and the fingerprint of the text it now trains on.
 */
export function prepareRun(text: string, corpusPath: string, start: RunStart): PreparedRun {
  if (start.kind === 'new') {
    const vocab = Vocabulary.fromText(text);
    const corpus = naming(corpusPath, () => prepareCorpus(text, start.training, vocab));
    const state = createTrainingState({ ...start.model, vocabSize: vocab.size }, start.training, vocab);
    state.corpusFingerprint = corpus.fingerprint;
    return { state, corpus, otherText: false };
  }
  const { state } = start;
  const training = validateTrainConfig({ ...state.training, ...resumeChanges(start.changes) });
  const corpus = naming(corpusPath, () => prepareCorpus(text, training, state.vocab));
  const otherText = state.corpusFingerprint !== null && state.corpusFingerprint !== corpus.fingerprint;
  state.training = training;
  state.corpusFingerprint = corpus.fingerprint;
  return { state, corpus, otherText };
}

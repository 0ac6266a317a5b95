// A corpus prepared for training: its vocabulary, the encoded text and the train/validation split.
import type { TrainConfig } from './config.js';
import { CharRnnError } from './errors.js';
import { listChars, Vocabulary, type IndexArray } from './vocab.js';

export interface Corpus {
  vocab: Vocabulary;
  train: IndexArray;     // the first (1 − valFraction) of the text
  val: IndexArray;       // the last valFraction (empty when 0 or too short to score)
  fingerprint: string;   // identifies the text, so resuming on another corpus can be caught
}

/** FNV-1a over the encoded text, with its length: cheap, stable, good enough to tell texts apart. */
export function textFingerprint(encoded: IndexArray): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < encoded.length; i++) {
    h ^= encoded[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${encoded.length}:${h.toString(16).padStart(8, '0')}`;
}

/**
 * Encode text with a vocabulary (its own by default; a checkpoint's when resuming) and split it.
 * Refuses a training part too short for the windows of seqLength + 1 characters in each stream.
 */
export function prepareCorpus(text: string, training: Pick<TrainConfig, 'seqLength' | 'batchSize' | 'valFraction'>,
                              vocab: Vocabulary = Vocabulary.fromText(text)): Corpus {
  const unknown = vocab.unknownChars(text);
  if (unknown.length > 0) {
    throw new CharRnnError('corpus-vocabulary',
      `The text has ${unknown.length} character${unknown.length === 1 ? '' : 's'} the model's vocabulary lacks: ${listChars(unknown)}; ` +
      'train it on text made of the model\'s characters, or start a new model on this text.');
  }
  const encoded = vocab.encode(text);
  const valLength = Math.floor(encoded.length * training.valFraction);
  const trainLength = encoded.length - valLength;
  const { seqLength: T, batchSize: B } = training;
  const needed = B * (T + 2);
  if (trainLength < needed) {
    throw new CharRnnError('corpus-too-short',
      `The training text has ${trainLength} characters; sequence length ${T} with batch ${B} needs at least ${needed}` +
      (valLength > 0 ? ` (after holding out ${valLength} for validation).` : '.'));
  }
  return {
    vocab,
    train: encoded.subarray(0, trainLength),
    val: valLength >= 2 ? encoded.subarray(trainLength) : encoded.subarray(0, 0),
    fingerprint: textFingerprint(encoded),
  };
}

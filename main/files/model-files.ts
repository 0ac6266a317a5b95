// Checkpoint and safetensors files: read with clear errors, written atomically.
import { deserializeCheckpoint, serializeCheckpoint } from '../../core/checkpoint.js';
import { exportSafetensors, importSafetensors } from '../../core/safetensors.js';
import type { TrainConfig } from '../../core/config.js';
import type { TrainingState } from '../../core/trainer.js';
import { writeFileAtomic } from './atomic-write.js';
import { naming } from './errors.js';
import { readFileChecked } from './read-file.js';

/** Node reads at most 2 GiB into one buffer; a model file larger than that is refused before reading. */
export const MAX_MODEL_FILE_BYTES = 2 ** 31 - 1;

export interface LoadedCheckpoint {
  state: TrainingState;
  bytes: Uint8Array;
}

export async function readCheckpointFile(path: string): Promise<LoadedCheckpoint> {
  const bytes = await readFileChecked(path, MAX_MODEL_FILE_BYTES, 'checkpoint');
  return { state: naming(path, () => deserializeCheckpoint(bytes)), bytes };
}

/**
 * Serialise and write atomically; returns the bytes written. The state is serialised synchronously,
 * before the first await, so a save started between training steps is one consistent snapshot.
 */
export async function writeCheckpointFile(path: string, state: TrainingState): Promise<Uint8Array> {
  const bytes = serializeCheckpoint(state);
  await writeFileAtomic(path, bytes);
  return bytes;
}

/** A safetensors file as a fresh training state (new optimizer state), with optional training settings. */
export async function readSafetensorsFile(path: string, training?: Partial<TrainConfig>): Promise<TrainingState> {
  const bytes = await readFileChecked(path, MAX_MODEL_FILE_BYTES, 'safetensors');
  return naming(path, () => importSafetensors(bytes, training));
}

export async function writeSafetensorsFile(path: string, state: TrainingState): Promise<void> {
  await writeFileAtomic(path, exportSafetensors(state));
}

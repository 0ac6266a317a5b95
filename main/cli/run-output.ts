// Saving a CLI run's --out: a failed save (disk full, folder gone) keeps the run going in memory and
// writes it to the rescue folder instead, saying where; an exploded state is never written.
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { TrainingState } from '../../core/trainer.js';
import { FileError, isFileError } from '../files/errors.js';
import { writeCheckpointFile } from '../files/model-files.js';
import type { CliIo } from './io.js';
import { rescueFolder } from './paths.js';

export class RunOutput {
  private savedIteration = -1;
  private failure: { reason: string; rescuedTo: string | null } | null = null;

  constructor(private readonly out: string | undefined, private readonly io: CliIo,
              private readonly refuse: (state: TrainingState) => boolean = () => false) {}

  /** Save now (unless this iteration is saved already); a failure is a warning and a rescue copy, never an exception. */
  async save(state: TrainingState): Promise<void> {
    const out = this.out;
    if (out === undefined || this.savedIteration === state.iteration || this.refuse(state)) return;
    try {
      await writeCheckpointFile(out, state);
      this.savedIteration = state.iteration;
      this.failure = null;
      this.io.note(`saved ${out} (iteration ${state.iteration})`);
    } catch (e) {
      if (!isFileError(e)) throw e;
      const rescuedTo = await this.rescue(state);
      this.failure = { reason: e.message, rescuedTo };
      this.io.warn(`could not save ${out}: ${e.message} Training goes on in memory; ` +
        (rescuedTo ? `iteration ${state.iteration} was saved to ${rescuedTo} instead.` : 'the rescue folder could not be written either.'));
    }
  }

  /** After the last save: a run whose --out could not be written ends with one line saying where it went. */
  finish(): void {
    if (!this.failure || this.out === undefined) return;
    const { reason, rescuedTo } = this.failure;
    throw new FileError('file-io', this.out, rescuedTo
      ? `could not save ${this.out} (${reason.replace(/\.$/, '')}); the run was saved to ${rescuedTo} instead.`
      : `could not save ${this.out} (${reason.replace(/\.$/, '')}), nor to the rescue folder ${rescueFolder()}: the run is lost.`);
  }

  private async rescue(state: TrainingState): Promise<string | null> {
    const folder = rescueFolder();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const out = this.out!;
    const path = join(folder, `${basename(out, extname(out))}-iter${state.iteration}-${stamp}.ckpt`);
    try {
      await mkdir(folder, { recursive: true });
      await writeCheckpointFile(path, state);
      return path;
    } catch {
      return null;
    }
  }
}

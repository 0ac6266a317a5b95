// Saving a CLI run's --out or --best-out. Every save goes through a GuardedFile: a file that appeared
// at the target or was changed by another program since this run last wrote it is never replaced.
// Such a target, and a failed save (disk full, folder gone), keep the run going in memory: it is
// written to the rescue folder instead, saying where in one line. An exploded state is never written.
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { serializeCheckpoint } from '../../core/checkpoint.js';
import type { TrainingState } from '../../core/trainer.js';
import { isFileError } from '../files/errors.js';
import { GuardedFile, OutputChanged } from '../files/guarded-file.js';
import type { CliIo } from './io.js';
import { rescueFolder } from './paths.js';

export interface SavedAt {
  path: string;
  iteration: number;
}

export interface RunOutputOptions {
  /** A state never written (the loss guard's exploded one). */
  refuse?: (state: TrainingState) => boolean;
  /** What is saved, for messages: "the run" (--out) or "the best model" (--best-out). */
  what?: string;
}

export class RunOutput {
  private savedIteration = -1;
  private lastSaved: SavedAt | null = null;
  private failure: { reason: string; rescuedTo: string | null } | null = null;
  /** The target became someone else's file: this run never writes it again. */
  private lostTarget = false;
  private rescueFile: GuardedFile | null = null;
  private readonly what: string;

  /** `target`: taken right after the start's checks (GuardedFile.at), so the file there then is the one this run may replace. */
  constructor(private readonly target: GuardedFile | null, private readonly io: CliIo, private readonly options: RunOutputOptions = {}) {
    this.what = options.what ?? 'the run';
  }

  /** Where and at which iteration the last save went (--out or the rescue folder), or null. */
  get saved(): SavedAt | null {
    return this.lastSaved;
  }

  /**
   * Save now (unless this iteration is saved already); a failure is a warning and a rescue copy, never an
   * exception. `said` is the line after a successful save (default "saved PATH (iteration N)"); `last`:
   * the run's last save (training does not go on after it).
   */
  async save(state: TrainingState, { said, last = false }: { said?: (path: string) => string; last?: boolean } = {}): Promise<void> {
    const target = this.target;
    if (target === null || this.savedIteration === state.iteration || this.options.refuse?.(state)) return;
    const bytes = serializeCheckpoint(state); // synchronously: one consistent snapshot between steps
    if (!this.lostTarget) {
      try {
        await target.write(bytes);
        this.savedAt(target.path, state.iteration);
        this.failure = null;
        this.io.note(said ? said(target.path) : `saved ${target.path} (iteration ${state.iteration})`);
        return;
      } catch (e) {
        if (!isFileError(e)) throw e;
        if (e instanceof OutputChanged) this.lostTarget = true;
        this.failure = { reason: e.message, rescuedTo: null };
      }
    }
    const rescuedTo = await this.rescue(bytes);
    if (rescuedTo) this.savedAt(rescuedTo, state.iteration);
    const reason = this.failure!.reason;
    this.failure = { reason, rescuedTo };
    this.io.warn(`could not save ${target.path}: ${reason} ${last ? '' : 'Training goes on in memory; '}` +
      (rescuedTo ? `${this.what} (iteration ${state.iteration}) was saved to ${rescuedTo} instead.` : 'the rescue folder could not be written either.'));
  }

  /** After the last save: what went wrong, as the clause of a closing line, or null when it was saved where asked. */
  finish(): string | null {
    if (!this.failure || this.target === null) return null;
    const { reason, rescuedTo } = this.failure;
    const why = reason.replace(/\.$/, '');
    return rescuedTo
      ? `could not save ${this.target.path} (${why}); ${this.what} was saved to ${rescuedTo} instead`
      : `could not save ${this.target.path} (${why}), nor to the rescue folder ${rescueFolder()}: ${this.what} is lost`;
  }

  private savedAt(path: string, iteration: number): void {
    this.savedIteration = iteration;
    this.lastSaved = { path, iteration };
  }

  /** One rescue file per output and run, replaced by each later rescue of it (it is this run's own file). */
  private async rescue(bytes: Uint8Array): Promise<string | null> {
    try {
      if (this.rescueFile === null) {
        const folder = rescueFolder();
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const out = this.target!.path;
        await mkdir(folder, { recursive: true });
        this.rescueFile = await GuardedFile.at(join(folder, `${basename(out, extname(out))}-${stamp}-${process.pid}.ckpt`));
      }
      await this.rescueFile.write(bytes);
      return this.rescueFile.path;
    } catch {
      return null;
    }
  }
}

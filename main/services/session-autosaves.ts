// The training session's autosaves: where the next run autosaves (checked before it starts), each autosave
// the worker reports recorded in order, and the latest one, offered after a crash or at the next start of the app.
import { basename } from 'node:path';
import type { AutosaveSummary, CheckpointInfo, Hyperparameters } from '../contract/api.js';
import { FileError, fileErrorFrom } from '../files/errors.js';
import { checkWritable } from '../files/output-guard.js';
import type { AutosaveRecord, AutosaveStore } from './autosave-store.js';

export class SessionAutosaves {
  private restorable: AutosaveRecord | null = null;
  private recording: Promise<void> = Promise.resolve();  // autosave records being written, in order
  /** Resolves once the latest autosave has been looked up. */
  readonly loaded: Promise<void>;

  constructor(private readonly store: AutosaveStore) {
    this.loaded = store.latest().then((r) => { this.restorable = r; }, () => {});
  }

  /** The latest autosave recorded (null: none). */
  get latest(): AutosaveRecord | null {
    return this.restorable;
  }

  /** The autosave to restore, looked up again if none was known. */
  async toRestore(): Promise<AutosaveRecord | null> {
    await this.loaded;
    return this.restorable ?? await this.store.latest();
  }

  /** What the banner that offers the latest autosave shows. */
  summary(): AutosaveSummary | null {
    const r = this.restorable;
    return r && {
      corpusName: basename(r.corpusPath), iteration: r.iteration, savedAt: r.savedAt,
      loss: r.loss ?? null, bestValLoss: r.bestValLoss ?? null,
    };
  }

  /** Where a new run autosaves, checked before Start; null with the reason when it cannot be written. */
  async target(): Promise<{ autosavePath: string | null; problem: string | null }> {
    let path = this.store.folder;
    try {
      path = await this.store.pathForNewRun();
      await checkWritable(path);
      return { autosavePath: path, problem: null };
    } catch (e) {
      const reason = e instanceof FileError ? e.message : fileErrorFrom(e, path, 'write').message;
      return { autosavePath: null, problem: reason };
    }
  }

  /** Records an autosave the worker wrote, after the ones before it; `recorded` follows once it is on disk. */
  record(info: CheckpointInfo, corpusPath: string, hyperparameters: Hyperparameters, recorded: () => void): void {
    this.recording = this.recording.then(() => this.store.record(info, corpusPath, hyperparameters)).then(
      (record) => { this.restorable = record; recorded(); },
      (e: unknown) => console.error(`[training-session] could not record the autosave: ${(e as Error).message}`),
    );
  }

  /** Waits for the autosave records being written, including any chained on while waiting. */
  async written(): Promise<void> {
    let waitedFor: Promise<void>;
    do {
      waitedFor = this.recording;
      await waitedFor;
    } while (waitedFor !== this.recording);
  }
}

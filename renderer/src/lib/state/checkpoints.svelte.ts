// Checkpoints: save, open (to resume training or only to sample), export, and the recent list.
import { toasts } from './toasts.svelte';
import type { ApiErrorPayload, CheckpointInfo, ExportFormat, FileToken } from '../../../../main/contract/api';
import { api, attempt, type Outcome } from '../api';
import { fileNameOf } from '../format';

const MAX_RECENT = 8;

export class CheckpointStore {
  recent = $state.raw<readonly CheckpointInfo[]>([]);
  /** The checkpoint opened last (its model is the one in main until training starts anew). */
  opened = $state.raw<CheckpointInfo | null>(null);
  error = $state.raw<ApiErrorPayload | null>(null);
  pending = $state(false);
  /** A short line about the last thing done, e.g. "Exported to …/model.safetensors". */

  setRecent(list: readonly CheckpointInfo[]): void {
    this.recent = list.slice(0, MAX_RECENT);
  }

  async saveAs(): Promise<CheckpointInfo | null> {
    const info = await this.#run(() => api().saveCheckpoint());
    if (info) {
      this.#remember(info);
      toasts.notice(`Saved ${info.fileName} at iteration ${info.iteration.toLocaleString()}`, info.path);
    }
    return info;
  }

  /** "Keep best": the run's best-validation model, saved with its iteration and validation loss. */
  async saveBestAs(): Promise<CheckpointInfo | null> {
    const info = await this.#run(() => api().saveBestCheckpoint());
    if (info) {
      this.#remember(info);
      toasts.notice(`Saved the best model, from iteration ${info.iteration.toLocaleString()}, to ${info.fileName}`, info.path);
    }
    return info;
  }

  openDialog(): Promise<CheckpointInfo | null> {
    return this.#open(() => api().openCheckpoint());
  }

  /** A checkpoint main handed out before (a recent one), by its token. */
  openFile(token: FileToken): Promise<CheckpointInfo | null> {
    return this.#open(() => api().openCheckpointFile(token));
  }

  async export(format: ExportFormat): Promise<string | null> {
    const path = await this.#run(() => api().exportCheckpoint(format));
    const what = { native: 'checkpoint', safetensors: 'safetensors', html: 'web page', onnx: 'ONNX model' }[format];
    if (path) toasts.notice(`Exported ${what} to ${fileNameOf(path)}`, path);
    return path;
  }

  dismissError(): void {
    this.error = null;
  }

  async #open(request: () => Promise<CheckpointInfo | null>): Promise<CheckpointInfo | null> {
    const info = await this.#run(request);
    if (info) {
      this.opened = info;
      this.#remember(info);
      toasts.notice(`Opened ${info.fileName} (iteration ${info.iteration.toLocaleString()})`, info.path);
    }
    return info;
  }

  #remember(info: CheckpointInfo): void {
    // the history is only needed while a checkpoint is open; the list keeps the summary
    const summary: CheckpointInfo = { ...info, history: [] };
    this.recent = [summary, ...this.recent.filter((c) => c.path !== info.path)].slice(0, MAX_RECENT);
  }

  async #run<T>(request: () => Promise<T | null>): Promise<T | null> {
    if (this.pending) return null;
    this.pending = true;
    this.error = null;
    const r: Outcome<T | null> = await attempt(request);
    this.pending = false;
    if (!r.ok) {
      this.error = r.error;
      return null;
    }
    return r.value;
  }
}

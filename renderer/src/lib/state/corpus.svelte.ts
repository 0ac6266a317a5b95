// The corpus the user picked: its pre-flight report, the error if it cannot be used, and recent files.
import type { ApiErrorPayload, CorpusReport } from '../../../../main/contract/api';
import { api, attempt, type Outcome } from '../api';

const MAX_RECENT = 8;

export class CorpusStore {
  report = $state.raw<CorpusReport | null>(null);
  error = $state.raw<ApiErrorPayload | null>(null);
  loading = $state(false);
  recent = $state.raw<readonly string[]>([]);

  path = $derived(this.report?.path ?? null);

  setRecent(paths: readonly string[]): void {
    this.recent = paths.slice(0, MAX_RECENT);
  }

  /** Opens the native file dialog in main; cancelling changes nothing. */
  openDialog(): Promise<void> {
    return this.#load(() => api().openCorpus());
  }

  openPath(path: string): Promise<void> {
    return this.#load(() => api().openCorpusPath(path));
  }

  /** A file dropped on the window: only the preload can tell its path. */
  openDropped(file: File): Promise<void> {
    let path: string;
    try {
      path = api().pathForFile(file);
    } catch {
      path = '';
    }
    if (!path) {
      this.error = { code: 'io', message: `Cannot open “${file.name}”: the app could not tell where the file is. Use Open… instead.` };
      return Promise.resolve();
    }
    return this.openPath(path);
  }

  dismissError(): void {
    this.error = null;
  }

  async #load(request: () => Promise<CorpusReport | null>): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    const r: Outcome<CorpusReport | null> = await attempt(request);
    this.loading = false;
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    if (r.value === null) return; // dialog cancelled
    this.report = r.value;
    this.error = null;
    this.recent = [r.value.path, ...this.recent.filter((p) => p !== r.value!.path)].slice(0, MAX_RECENT);
  }
}

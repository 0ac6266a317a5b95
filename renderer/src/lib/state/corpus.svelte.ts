// The corpus the user picked: its pre-flight report, the error if it cannot be used, and recent files.
import type { ApiErrorPayload, CorpusLoadProgress, CorpusReport, FileRef, FileToken } from '../../../../main/contract/api';
import { api, attempt, type Outcome } from '../api';

const MAX_RECENT = 8;

export class CorpusStore {
  report = $state.raw<CorpusReport | null>(null);
  error = $state.raw<ApiErrorPayload | null>(null);
  loading = $state(false);
  recent = $state.raw<readonly FileRef[]>([]);
  /** The worker opening the corpus of a run being started (null when it is not). */
  opening = $state.raw<CorpusLoadProgress | null>(null);
  /**
   * The whole report, or its one-line summary. A new report opens; it folds once read (the user moves on
   * to the form, or starts training), so the form and Start fit a 1280×800 window without scrolling.
   */
  reportOpen = $state(true);

  showReport(open: boolean): void {
    this.reportOpen = open;
  }

  path = $derived(this.report?.path ?? null);
  /** How requests name the corpus: main's token for it (the page never sends a path). */
  token = $derived(this.report?.token ?? null);
  /** Told of each text opened (the studio chooses Auto's settings for it when they are the default). */
  onOpened: (report: CorpusReport) => void = () => {};

  setRecent(files: readonly FileRef[]): void {
    this.recent = files.slice(0, MAX_RECENT);
  }

  /** Opens the native file dialog in main; cancelling changes nothing. */
  openDialog(): Promise<void> {
    return this.#load(() => api().openCorpus());
  }

  /** A file main handed out before (a recent one, the corpus of a running session), by its token. */
  openFile(token: FileToken): Promise<void> {
    return this.#load(() => api().openCorpusFile(token));
  }

  /** A file dropped on the window: the preload finds its path and registers it with main. */
  openDropped(file: File): Promise<void> {
    return this.#load(() => api().openDroppedCorpus(file));
  }

  /** Progress of the worker opening the corpus; null once the run has started (or failed to). */
  applyOpening(p: CorpusLoadProgress | null): void {
    this.opening = p;
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
    this.reportOpen = true;
    this.onOpened(r.value);
    this.error = null;
    const opened: FileRef = { path: r.value.path, token: r.value.token };
    this.recent = [opened, ...this.recent.filter((f) => f.path !== opened.path)].slice(0, MAX_RECENT);
  }
}

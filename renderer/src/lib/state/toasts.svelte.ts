// Transient notices ("Saved …", "Copied", "Stop training?") shown over the page, never in its flow,
// so nothing moves when one appears. One store for the window.

export interface ToastAction {
  label: string;
  run: () => void;
  /** The action focused when the toast appears (the safe one). */
  primary?: boolean;
}

export interface Toast {
  id: number;
  text: string;
  actions: readonly ToastAction[];
  /** A question waits for an answer (no timeout); a notice goes by itself. */
  kind: 'notice' | 'question';
  /** More than the line says (a file's full path), shown on hover. */
  detail?: string;
}

const NOTICE_MS = 4000;
const QUESTION_MS = 8000;
/** Notices sit in the title bar, one at a time (the newest), so none ever covers a control. */
const MAX_NOTICES = 1;

export class ToastStore {
  items = $state.raw<readonly Toast[]>([]);
  #next = 1;
  #timers = new Map<number, ReturnType<typeof setTimeout>>();

  /** Show a notice for a few seconds; returns its id. */
  notice(text: string, detail?: string): number {
    return this.#add({ text, actions: [], kind: 'notice', detail }, NOTICE_MS);
  }

  /** Ask something; the toast goes when an action runs, when dismissed, or after a while (doing nothing). */
  question(text: string, actions: readonly ToastAction[], key?: string): number {
    // asking the same question twice shows it once
    const same = this.items.find((t) => t.kind === 'question' && t.text === (key ?? text));
    if (same) return same.id;
    const wrapped = actions.map((a) => ({ ...a, run: () => { this.dismiss(id); a.run(); } }));
    const id = this.#add({ text, actions: wrapped, kind: 'question' }, QUESTION_MS);
    return id;
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    this.items = this.items.filter((t) => t.id !== id);
  }

  #add(toast: Omit<Toast, 'id'>, ms: number): number {
    const id = this.#next++;
    if (toast.kind === 'notice') {
      const notices = this.items.filter((t) => t.kind === 'notice');
      for (const gone of notices.slice(0, Math.max(0, notices.length - (MAX_NOTICES - 1)))) this.dismiss(gone.id);
    }
    this.items = [...this.items, { ...toast, id }];
    this.#timers.set(id, setTimeout(() => this.dismiss(id), ms));
    return id;
  }
}

/** The window's toasts: components add to it directly, the Toasts component shows it. */
export const toasts = new ToastStore();

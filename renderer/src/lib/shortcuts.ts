// Keyboard shortcuts for training, chosen so they never take a key a focused field needs.
// The app menu binds the same Ctrl keys (main/services/desktop.ts menuTemplate); where both see a key press, the menu's
// command repeats the shortcut's, so every Ctrl shortcut is idempotent (pause, resume, not a toggle).
// Escape never stops a run by itself: it asks ('confirm-stop'), with 'Keep training' focused.
export type ShortcutCommand = 'start' | 'pause' | 'resume' | 'toggle-pause' | 'stop' | 'confirm-stop' | 'sample';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  target: unknown;           // the event's target (an Element when it is one)
}

/** Elements that use Space or Escape themselves (typing, pressing a button, opening a list). */
const INTERACTIVE = 'input, textarea, select, button, a[href], summary, [contenteditable=""], [contenteditable="true"], [role="button"], [role="tab"], [role="menuitem"]';

/** An element (anything with closest()); written without DOM types so Node's tests import this file too. */
function closest(target: unknown, selector: string): unknown {
  const t = target as { closest?: (s: string) => unknown } | null;
  return typeof t?.closest === 'function' ? t.closest(selector) : null;
}

function isInteractive(target: unknown): boolean {
  return closest(target, INTERACTIVE) !== null;
}

function inSampler(target: unknown): boolean {
  return closest(target, '[data-shortcut-scope="sampler"]') !== null;
}

/** The command a key press means here, or null to let it through. */
export function shortcutFor(e: KeyLike): ShortcutCommand | null {
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
  if (mod && e.shiftKey) return e.key === 'p' || e.key === 'P' ? 'resume' : null;
  if (mod) {
    if (e.key === 'Enter') return inSampler(e.target) ? 'sample' : 'start';
    if (e.key === 'p' || e.key === 'P') return 'pause';
    if (e.key === '.') return 'stop';
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return null;
  if (e.key === ' ' && !isInteractive(e.target)) return 'toggle-pause';
  if (e.key === 'Escape' && !isInteractive(e.target)) return 'confirm-stop';
  return null;
}

export const SHORTCUT_HINTS = {
  start: 'Ctrl+Enter',
  pause: 'Space or Ctrl+P',
  resume: 'Space or Ctrl+Shift+P',
  stop: 'Ctrl+., or Esc then confirm',
  sample: 'Ctrl+Enter in the prime',
} as const;

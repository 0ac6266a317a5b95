// Keyboard shortcuts for training, chosen so they never take a key a focused field needs.
// The app menu binds the same Ctrl keys (main/electron/menu.ts); where both see a key press, the menu's
// command repeats the shortcut's, so every Ctrl shortcut is idempotent (pause, resume, not a toggle).
export type ShortcutCommand = 'start' | 'pause' | 'resume' | 'toggle-pause' | 'stop' | 'sample';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  target: EventTarget | null;
}

/** Elements that use Space or Escape themselves (typing, pressing a button, opening a list). */
const INTERACTIVE = 'input, textarea, select, button, a[href], summary, [contenteditable=""], [contenteditable="true"], [role="button"], [role="tab"], [role="menuitem"]';

function isInteractive(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest(INTERACTIVE) !== null;
}

function inSampler(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[data-shortcut-scope="sampler"]') !== null;
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
  if (e.key === 'Escape' && !isInteractive(e.target)) return 'stop';
  return null;
}

export const SHORTCUT_HINTS = {
  start: 'Ctrl+Enter',
  pause: 'Space or Ctrl+P',
  resume: 'Space or Ctrl+Shift+P',
  stop: 'Esc or Ctrl+.',
  sample: 'Ctrl+Enter in the prime',
} as const;

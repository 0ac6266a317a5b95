// The hyperparameter form: the typed draft, its validation, presets, and saving valid values to settings.
import type { FileToken, Hyperparameters } from '../../../../main/contract/api';
import { api, attempt } from '../api';
import { autoBudget, draftWithAuto, matchesAuto, type HeldAutoChoice } from '../auto-preset';
import {
  draftFrom, draftWithModel, draftWithPreset, matchingPreset, fieldsIn, PRESETS, SEED_HYPERPARAMETERS, validateDraft,
  type CellType, type HyperparameterDraft, type NumericField, type OptimizerName, type StopKind,
} from '../hyperparameters';

const SAVE_DELAY_MS = 600;

/** The numeric fields in the order the form shows them (the stop's value heads the schedule). */
const FORM_ORDER: readonly NumericField[] = [
  ...(['model', 'training', 'more'] as const).flatMap((g) => fieldsIn(g).map((f) => f.key as NumericField)), 'stopValue', ...fieldsIn('schedule').map((f) => f.key as NumericField),
];

export class SettingsStore {
  draft = $state<HyperparameterDraft>(draftFrom(SEED_HYPERPARAMETERS));
  /** Fields the user has left at least once: their errors show; untouched ones wait. */
  touched = $state.raw<ReadonlySet<NumericField>>(new Set());

  validated = $derived(validateDraft(this.draft));
  errors = $derived(this.validated.errors);
  value = $derived(this.validated.value);
  isValid = $derived(this.value !== null);
  preset = $derived(matchingPreset(this.value));

  /** The settings were set (an edit, a run, a stored file), not left at the first launch's defaults: Auto is then no longer the default. */
  chosen = $state(false);
  /** Main's last Auto choice for this form, while the form still holds it. */
  auto = $state.raw<HeldAutoChoice | null>(null);
  autoPending = $state(false);
  autoError = $state<string | null>(null);
  /** Auto is the selected preset: the form holds its choice for the budget it was asked for. */
  autoSelected = $derived(matchesAuto(this.value, this.auto));
  /** A field the form should focus (the first in error, when Start was refused); a new object each time it is asked. */
  focusRequest = $state.raw<{ field: NumericField } | null>(null);

  #saveTimer: ReturnType<typeof setTimeout> | undefined;

  /** Values loaded from settings replace the draft without being saved back. */
  load(h: Hyperparameters, chosen = true): void {
    this.draft = draftFrom(h);
    this.touched = new Set();
    this.chosen = chosen;
  }

  /**
   * Auto for this text and the form's Stop after (with "Never", 1 minute, which the form then shows): main
   * measures this machine once, chooses, and the form takes the model, optimisation and regularisers.
   */
  async applyAuto(corpus: FileToken): Promise<void> {
    const h = this.value;
    if (!h || this.autoPending) return;
    const stopAfter = autoBudget(h);
    this.autoPending = true;
    this.autoError = null;
    const r = await attempt(() => api().autoPreset({
      corpus, stopAfter, valFraction: h.training.valFraction, ...(h.run.threads === undefined ? {} : { threads: h.run.threads }),
    }));
    this.autoPending = false;
    if (!r.ok) {
      this.autoError = r.error.message;
      return;
    }
    this.draft = draftWithAuto({ ...this.draft, stopKind: stopAfter.kind, text: { ...this.draft.text, stopValue: String(stopAfter.value) } }, r.value);
    this.auto = { ...r.value, corpus, stopAfter };
    this.#scheduleSave();
  }

  /** An opened model's own settings replace the form's model and training fields; the run's stay as typed. */
  adoptModel(model: Hyperparameters): void {
    this.draft = draftWithModel(this.draft, model);
    this.touched = new Set();
    this.chosen = true;
  }

  setText(field: NumericField, text: string): void {
    this.draft.text[field] = text;
    this.#scheduleSave();
  }

  touch(field: NumericField): void {
    if (!this.touched.has(field)) this.touched = new Set([...this.touched, field]);
    if (field === 'stopValue') this.#askAutoAgainForNewBudget();
  }

  /** Auto's settings with another budget typed in: ask again for this budget (its size depends on it). */
  #askAutoAgainForNewBudget(): void {
    const h = this.value, held = this.auto;
    if (held && h && h.run.stopAfter.kind !== 'never' && !this.autoSelected && matchesAuto(h, held, true)) void this.applyAuto(held.corpus);
  }

  /** The error to show now: after a field was left, or at once when its text is already unusable. */
  visibleError(field: NumericField): string | undefined {
    return this.touched.has(field) || this.draft.text[field].trim() !== '' ? this.errors[field] : undefined;
  }

  /**
   * Start was asked for while fields are wrong: every wrong field shows its error, and the form is asked to focus
   * the first (in the form's order). Returns that field's message, or null when there is none.
   */
  revealErrors(): string | null {
    const wrong = FORM_ORDER.filter((f) => this.errors[f] !== undefined);
    if (wrong.length === 0) return null;
    this.touched = new Set([...this.touched, ...wrong]);
    this.focusRequest = { field: wrong[0] };
    return this.errors[wrong[0]]!;
  }

  setCell(cell: CellType): void {
    this.draft.cell = cell;
    this.#scheduleSave();
  }

  setKeepBest(keep: boolean): void {
    this.draft.keepBest = keep;
    this.#scheduleSave();
  }

  setOptimizer(optimizer: OptimizerName): void {
    this.draft.optimizer = optimizer;
    this.#scheduleSave();
  }

  setStopKind(kind: StopKind): void {
    this.draft.stopKind = kind;
    if (kind !== 'never' && this.draft.text.stopValue.trim() === '') {
      this.draft.text.stopValue = kind === 'iterations' ? '10000' : '10';
    }
    this.#scheduleSave();
    this.#askAutoAgainForNewBudget();
  }

  /** A preset's model and optimisation fields; the stop, the cadences and every other field keep what was typed. */
  applyPreset(id: string): void {
    const preset = PRESETS.find((p) => p.id === id);
    if (!preset) return;
    this.draft = draftWithPreset(this.draft, preset);
    this.#scheduleSave();
  }

  /** Save soon after the last edit, and only values that pass validation. */
  #scheduleSave(): void {
    this.chosen = true;
    clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => void this.#save(), SAVE_DELAY_MS);
  }

  /** Starting training saves the settings it starts with (in main): a save still waiting here is not needed. */
  dropPendingSave(): void {
    clearTimeout(this.#saveTimer);
  }

  async #save(): Promise<void> {
    const value = this.value;
    if (value) await attempt(() => api().setHyperparameters(value));
  }
}

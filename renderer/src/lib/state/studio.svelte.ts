// The app's composition root: creates the stores, wires window.api's events into them, and runs commands.
import type { FileToken, MenuCommand } from '../../../../main/contract/api';
import { api, attempt } from '../api';
import { matchesAuto } from '../auto-preset';
import { fileNameOf, formatInteger } from '../format';
import type { ShortcutCommand } from '../shortcuts';
import { CheckpointStore } from './checkpoints.svelte';
import { CorpusStore } from './corpus.svelte';
import { SamplerStore } from './sampler.svelte';
import { SettingsStore } from './settings.svelte';
import { TrainingStore } from './training.svelte';
import { toasts } from './toasts.svelte';
import { ViewStore } from './view.svelte';

export class Studio {
  readonly corpus = new CorpusStore();
  readonly settings = new SettingsStore();
  readonly training = new TrainingStore();
  readonly sampler = new SamplerStore();
  readonly checkpoints = new CheckpointStore();
  readonly view = new ViewStore();

  autosaveDismissed = $state(false);
  /** A checkpoint was opened since training last started: Start continues it unless told otherwise. */
  openedSinceStart = $state(false);

  /** What "Continue" would continue, in words, or '' when only a new run is possible. */
  continuable = $derived.by(() => {
    const t = this.training;
    if (t.isActive || t.pending) return '';
    const opened = this.checkpoints.opened;
    if (this.openedSinceStart && opened) return `${opened.fileName} (iteration ${formatInteger(opened.iteration)})`;
    // a window reloaded after opening a checkpoint: main still holds it, untrained since
    const path = t.status.checkpointPath;
    if (t.phase === 'idle' && path) return `${fileNameOf(path)} (iteration ${formatInteger(t.iteration)})`;
    if (t.phase === 'stopped') return `the stopped run (iteration ${formatInteger(t.iteration)})`;
    return '';
  });

  /**
   * The text the stopped (or held) run trained on, when the open corpus is another one: Continue would go on,
   * on a different text, and that is said beside it before it is pressed. '' otherwise, or when not known (a
   * checkpoint opened from a file names no corpus; the worker says so once it has compared the texts).
   */
  continuesOnOtherText = $derived.by(() => {
    if (!this.continuable || this.openedSinceStart) return '';
    const trainedOn = this.training.status.corpusPath;
    const open = this.corpus.path;
    return trainedOn && open && trainedOn !== open ? fileNameOf(trainedOn) : '';
  });

  /** Why Start is disabled, or '' when it is not. */
  startBlocker = $derived.by(() => {
    if (this.training.isActive) return 'Training is already running';
    if (this.training.pending) return 'Waiting for the last command';
    if (!this.corpus.report) return 'Open a corpus first';
    if (!this.settings.isValid) return 'Fix the hyperparameters marked in red';
    return '';
  });
  canStart = $derived(this.startBlocker === '');

  /**
   * Why Ctrl+Enter (or the menu's Start) did nothing, said beside Start until the reason is gone; the
   * button itself is disabled, so only a shortcut or the menu can ask while it stands.
   */
  #startRefusal = $state.raw<{ blocker: string; message: string } | null>(null);
  startRefusal = $derived(this.#startRefusal?.blocker === this.startBlocker ? this.#startRefusal.message : '');
  /** The Open… button of the corpus panel is asked to take focus (Start was refused for want of a corpus). */
  focusCorpusRequest = $state.raw<object | null>(null);

  /** Characters of one epoch: the corpus less its validation share (for the time per epoch of a run with no stop). */
  epochChars = $derived.by(() => {
    const chars = this.corpus.report?.characters;
    const val = this.training.status.hyperparameters?.training.valFraction ?? this.settings.value?.training.valFraction;
    return chars && val !== undefined ? Math.round(chars * (1 - val)) : null;
  });

  showAutosaveBanner = $derived(
    this.training.status.canRestoreAutosave === true && !this.training.isActive && !this.autosaveDismissed,
  );

  /** Where sampled text comes from, in words. */
  samplerSource = $derived.by(() => {
    const t = this.training;
    if (t.isActive) return `the model in training (iteration ${formatInteger(t.iteration)})`;
    if (t.phase === 'stopped' || t.phase === 'crashed') return `the last trained model (iteration ${formatInteger(t.iteration)})`;
    const opened = this.checkpoints.opened;
    if (opened) return `checkpoint ${opened.fileName}`;
    return '';
  });
  #vocabulary = $derived(this.training.status.vocabulary ? new Set(this.training.status.vocabulary) : null);

  /** Prime characters the model does not know: flagged as they are typed (else as the last request found them). */
  primeUnknown = $derived.by((): readonly string[] => {
    const vocab = this.#vocabulary;
    if (!vocab) return this.sampler.unknownChars;
    const unknown = new Set<string>();
    for (const ch of this.sampler.prime) if (!vocab.has(ch)) unknown.add(ch);
    return [...unknown];
  });

  canSample = $derived(this.samplerSource !== '' && this.sampler.request !== null && !this.sampler.running);

  #unsubscribe: (() => void)[] = [];

  constructor() {
    this.corpus.onOpened = (report) => this.#autoForNewText(report.token);
  }

  /**
   * Auto is the default for a newly opened text while the settings are the first launch's defaults, and the
   * choice stays Auto's for the next text while the form holds Auto's settings. A running model's form is left alone.
   */
  #autoForNewText(token: FileToken): void {
    if (this.training.isActive) return;
    const s = this.settings;
    if (!s.chosen || (s.auto !== null && matchesAuto(s.value, s.auto, true))) void s.applyAuto(token);
  }

  async init(): Promise<void> {
    const a = api();
    this.#unsubscribe = [
      a.onStatus((s) => {
        this.training.applyStatus(s);
        if (s.phase !== 'starting') this.corpus.applyOpening(null);
      }),
      a.onCorpusProgress((p) => this.corpus.applyOpening(p)),
      a.onProgress((e) => this.training.applyProgress(e)),
      a.onLiveSample((s) => this.training.addSample(s)),
      a.onSampleChunk((c) => this.sampler.appendChunk(c.text)),
      a.onMenuCommand((c) => void this.runMenuCommand(c)),
      // a .ckpt from the file manager or File › Open Recent; a running model is never replaced by it
      a.onOpenCheckpoint(({ token }) => { if (!this.training.isActive) void this.openCheckpoint(token); }),
    ];
    const [settings, status] = await Promise.all([attempt(() => a.getSettings()), attempt(() => a.status())]);
    if (settings.ok) {
      this.settings.load(settings.value.hyperparameters, settings.value.hyperparametersChosen !== false);
      this.corpus.setRecent(settings.value.recent.corpora);
      this.checkpoints.setRecent(settings.value.recent.checkpoints);
    }
    if (status.ok) this.training.applyStatus(status.value);
    // a window reloaded mid-run or after one: the chart of the model main holds (progress events only bring
    // what comes next), so a window that offers to continue a run also shows its curve
    if (this.training.hasModel) await this.training.fetchHistory();
    await this.#adoptRunningSession();
  }

  /**
   * A session this window did not start (the window was reloaded, or an autosave was restored):
   * show its corpus and its settings, so the form and the report describe what is training.
   */
  async #adoptRunningSession(): Promise<void> {
    const { corpusPath, corpusToken, hyperparameters } = this.training.status;
    if (!this.training.isActive) return;
    if (hyperparameters) this.settings.load(hyperparameters);
    if (corpusPath && corpusToken && this.corpus.path !== corpusPath) await this.corpus.openFile(corpusToken);
  }

  destroy(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
  }

  /** Start training; by default continue what can be continued, else a new model. */
  async start(resume = this.continuable !== ''): Promise<void> {
    const corpusToken = this.corpus.token;
    const hyperparameters = this.settings.value;
    if (!this.canStart || !corpusToken || !hyperparameters) {
      this.#refuseStart();
      return;
    }
    this.#startRefusal = null;
    this.settings.dropPendingSave(); // main saves the hyperparameters a run starts with
    if (await this.training.start(corpusToken, hyperparameters, resume)) this.openedSinceStart = false;
  }

  /** Start asked for while it cannot: say why beside Start, and take the keyboard to what must change. */
  #refuseStart(): void {
    const blocker = this.startBlocker;
    if (this.training.isActive || this.training.pending || blocker === '') return; // running: nothing to say
    if (!this.corpus.report) {
      this.#startRefusal = { blocker, message: 'Not started: open a corpus first (Open… in the Corpus panel).' };
      this.focusCorpusRequest = {};
      return;
    }
    const firstError = this.settings.revealErrors();
    if (firstError) this.#startRefusal = { blocker, message: `Not started: ${firstError}.` };
  }

  /** A recent checkpoint by its token, or the Open dialog. */
  async openCheckpoint(token?: FileToken): Promise<void> {
    const info = token ? await this.checkpoints.openFile(token) : await this.checkpoints.openDialog();
    if (!info) return;
    this.training.showCheckpoint(info);
    this.openedSinceStart = true;
    await this.training.refresh();
    const model = this.training.status.hyperparameters;
    if (model) this.settings.adoptModel(model);
  }

  async restoreAutosave(): Promise<void> {
    if (!(await this.training.restoreAutosave())) return;
    this.autosaveDismissed = true;
    await this.#adoptRunningSession();
  }

  sample(): Promise<void> {
    if (!this.canSample) {
      // said at the sampler: Ctrl+Enter in the prime must not do nothing silently
      if (this.samplerSource === '') this.sampler.refuse('no-model', 'Nothing to sample from yet: open a checkpoint (Open… under Checkpoints) or start training, then Generate.');
      else if (this.sampler.request === null) this.sampler.refuseForErrors();
      return Promise.resolve();
    }
    return this.sampler.run(this.samplerSource);
  }

  runShortcut(command: ShortcutCommand): void {
    if (command === 'toggle-pause') void this.training.togglePause();
    else if (command === 'confirm-stop') this.confirmStop();
    else void this.runMenuCommand(command);
  }

  /** Escape: ask before stopping; "Keep training" is focused, so Enter or doing nothing keeps the run going. */
  confirmStop(): void {
    if (!this.training.canStop) return;
    toasts.question('Stop training?', [
      { label: 'Keep training', primary: true, run: () => {} },
      { label: 'Stop', run: () => { if (this.training.canStop) void this.training.stop(); } },
    ]);
  }

  /** Menu commands do what the buttons do, and nothing where the button would be disabled. */
  async runMenuCommand(command: MenuCommand): Promise<void> {
    const t = this.training;
    switch (command) {
      case 'open-corpus': if (!t.isActive) await this.corpus.openDialog(); return;
      case 'open-checkpoint': if (!t.isActive) await this.openCheckpoint(); return;
      case 'save-checkpoint': if (t.hasModel) await this.checkpoints.saveAs(); return;
      case 'export-checkpoint': if (t.hasModel) await this.checkpoints.export('native'); return;
      case 'start': return this.start();
      case 'pause': if (t.canPause) await t.pause(); return;
      case 'resume': if (t.canResume) await t.resume(); return;
      case 'stop': if (t.canStop) await t.stop(); return;
      case 'sample': return this.sample();
    }
  }
}

// The training session as the renderer sees it: phase, latest progress, loss history and live samples.
import type {
  ApiErrorPayload, CheckpointInfo, FileToken, Hyperparameters, LiveSample, ProgressEvent, TrainingStatus,
} from '../../../../main/contract/api';
import { api, attempt } from '../api';
import { addMarker, appendPoints, emptyHistory, historyFrom, withEarlierPoints, type LossHistory } from './loss-history';
import { ValidationTrack } from './validation-track';

const IDLE: TrainingStatus = Object.freeze({
  phase: 'idle', corpusPath: null, checkpointPath: null, hyperparameters: null, iteration: 0,
});

/** Live samples kept on screen; older ones scroll away for good. */
const MAX_SAMPLES = 200;

export class TrainingStore {
  status = $state.raw<TrainingStatus>(IDLE);
  progress = $state.raw<ProgressEvent | null>(null);
  history = $state.raw<LossHistory>(emptyHistory());
  samples = $state.raw<readonly LiveSample[]>([]);
  /** Requests on their way: buttons wait for them instead of queueing a second one (all but Stop). */
  #inFlight = $state(0);
  pending = $derived(this.#inFlight > 0);
  error = $state<ApiErrorPayload | null>(null);

  phase = $derived(this.status.phase);
  isActive = $derived(this.phase === 'starting' || this.phase === 'running' || this.phase === 'paused' || this.phase === 'stopping');
  canPause = $derived(this.phase === 'running' && !this.pending);
  canResume = $derived(this.phase === 'paused' && !this.pending);
  // Stop is the user's brake: it never waits for another command's reply (the worker takes commands in order)
  canStop = $derived(this.phase === 'running' || this.phase === 'paused' || this.phase === 'starting');
  /** Whether there is a model to sample from or save: one being trained, or one opened or left after a stop. */
  hasModel = $derived((this.phase !== 'idle' && this.phase !== 'crashed') || this.status.checkpointPath !== null);
  iteration = $derived(Math.max(this.status.iteration, this.progress?.iteration ?? 0));
  readonly #track = new ValidationTrack();
  /** Best validation and the overfitting verdict, from the chart's own history: every panel shows these. */
  validation = $derived(this.#track.summarise(this.history));

  applyStatus(next: TrainingStatus): void {
    const before = this.status.phase;
    if (before === 'running' && next.phase === 'paused') {
      this.history = addMarker(this.history, { iter: next.iteration, kind: 'pause' });
    } else if (before === 'paused' && (next.phase === 'running' || next.phase === 'starting')) {
      this.history = addMarker(this.history, { iter: next.iteration, kind: 'resume' });
    }
    this.status = next;
    if (next.phase === 'crashed' && next.message) this.error = { code: 'worker-crashed', message: next.message };
  }

  applyProgress(e: ProgressEvent): void {
    this.progress = e;
    if (e.points.length > 0) this.history = appendPoints(this.history, e.points);
  }

  addSample(sample: LiveSample): void {
    const kept = this.samples.length >= MAX_SAMPLES ? this.samples.slice(1 - MAX_SAMPLES) : this.samples;
    this.samples = [...kept, sample];
  }

  clearSamples(): void {
    this.samples = [];
  }

  /** An opened checkpoint: its history becomes the chart, so training from it continues the same curve. */
  showCheckpoint(info: CheckpointInfo): void {
    this.history = historyFrom(info.history, [{ iter: info.iteration, kind: 'checkpoint' }]);
    this.progress = null;
    this.samples = [];
  }

  dismissError(): void {
    this.error = null;
  }

  /**
   * Start training: a new model (its chart starts empty), or with `resume` the model main holds
   * (an opened checkpoint or the stopped run), whose chart continues with a marker.
   */
  async start(corpus: FileToken, hyperparameters: Hyperparameters, resume: boolean): Promise<boolean> {
    // where the curve continues: the reply may come after the first steps have already been reported
    const continuesAt = this.iteration;
    // cleared before asking, so progress that arrives ahead of the reply lands on the new chart
    const putBack = resume ? null : this.#clearRun();
    const ok = await this.#request(() => api().startTraining(corpus, hyperparameters, { resume }));
    if (!ok) putBack?.();
    if (ok && resume) this.history = addMarker(this.history, { iter: continuesAt, kind: 'resume' });
    return ok;
  }

  pause(): Promise<boolean> {
    return this.#request(() => api().pause());
  }

  resume(): Promise<boolean> {
    return this.#request(() => api().resume());
  }

  stop(): Promise<boolean> {
    return this.#request(() => api().stop(), { evenWhilePending: true });
  }

  togglePause(): Promise<boolean> {
    if (this.canPause) return this.pause();
    if (this.canResume) return this.resume();
    return Promise.resolve(false);
  }

  /**
   * Continue from the last autosave. The chart is cleared before asking: the worker reports the
   * autosave's whole history in a progress event ahead of the reply, and it must land on an empty chart
   * (not after a crashed run's later points, which would hide it as duplicates).
   */
  async restoreAutosave(): Promise<boolean> {
    const putBack = this.#clearRun();
    const ok = await this.#request(() => api().restoreAutosave());
    if (!ok) putBack();
    return ok;
  }

  /** The history of the model main holds, for a window that loads mid-run or after a run; progress that arrived meanwhile stays. */
  async fetchHistory(): Promise<void> {
    const r = await attempt(() => api().history());
    if (r.ok && r.value.length > 0) this.history = withEarlierPoints(this.history, r.value);
  }

  async refresh(): Promise<void> {
    const r = await attempt(() => api().status());
    if (r.ok) this.applyStatus(r.value);
  }

  /** An empty chart, no figures, no samples; returns how to put them back (if the request fails). */
  #clearRun(): () => void {
    const before = { history: this.history, progress: this.progress, samples: this.samples };
    this.history = emptyHistory();
    this.progress = null;
    this.samples = [];
    return () => {
      this.history = before.history;
      this.progress = before.progress;
      this.samples = before.samples;
    };
  }

  async #request(send: () => Promise<TrainingStatus>, { evenWhilePending = false } = {}): Promise<boolean> {
    if (this.pending && !evenWhilePending) return false;
    this.#inFlight++;
    this.error = null;
    const r = await attempt(send);
    this.#inFlight--;
    if (r.ok) this.applyStatus(r.value);
    else this.error = r.error;
    return r.ok;
  }
}

// `char-rnn train`: a new run or a resumed one, until an iteration count, a time limit or Ctrl-C.
import type { Corpus } from '../../core/corpus.js';
import { CharRnnError } from '../../core/errors.js';
import { paramLayout } from '../../core/layout.js';
import type { TrainingState } from '../../core/trainer.js';
import { readCorpusFile, type CorpusFile } from '../files/corpus-file.js';
import { corpusChangeMessage, watchCorpus } from '../files/corpus-watch.js';
import { corpusProgress } from './corpus-progress.js';
import { readCheckpointFile } from '../files/model-files.js';
import { checkOutputPath } from '../files/output-guard.js';
import { lockOutput, type OutputLock } from '../files/output-lock.js';
import { FileError } from '../files/errors.js';
import { GuardedFile } from '../files/guarded-file.js';
import { LossGuard, type Divergence } from '../training/loss-guard.js';
import { RunOutput } from './run-output.js';
import { Interrupted, UsageError } from './fail.js';
import type { CliIo } from './io.js';
import { newRunSettings, resumeSettings, settingsFromFlags, type SettingsPatch } from './settings-flags.js';
import { AUTO, parseRunFlags, presetFromFlags, requireValidationForBestOut, type PresetChoice, type RunFlags, type TrainFlags } from './train-flags.js';
import { installStopSignals } from './train-signals.js';
import { jsonReporter, textReporter } from './report.js';
import { runTrainingLoop, type LoopPlan } from '../training/training-loop.js';
import { prepareRun, type PreparedRun } from '../training/prepare-run.js';
import { noteCorpusEncoding, requireKnownChars } from './text-checks.js';
import { createTrainingRunner, type TrainingRunner } from '../training/pool/pool-trainer.js';
import { resolveThreads } from '../training/pool/threads.js';
import { ProgressBar, type BarStream } from './progress-bar.js';
import { NATS_TO_BITS } from '../../core/trainer.js';
import { BestKeeper, bestModelState } from '../training/best-model.js';
import { elapsedInHistory } from '../../core/history.js';
import { describeSchedule } from '../../core/schedule.js';
import type { PresetSettings } from '../../core/presets.js';
import type { TrainConfig } from '../../core/config.js';
import { TRAINING_DEFAULTS } from '../contract/defaults.js';
import { scheduleRun } from './run-schedule.js';
import { measureValidationCadence } from './validation-cadence.js';
import { calibrationFile, chooseAuto, machineSpeed, type MeasuredSpeed } from './auto-preset.js';
import { AUTO_BATCH } from '../../core/auto-preset.js';

export type { TrainFlags } from './train-flags.js';

/** Auto's choice as the CLI lays it under the flags: a preset's settings and the regularizers it turns on. */
interface AutoBase {
  settings: PresetSettings;
  regularizers: Pick<TrainConfig, 'dropout' | 'ema'>;
}

/**
 * The run's state and corpus: `given` (the flags, already checked) over the preset's settings or the seed's,
 * or over the checkpoint's on --resume. `auto`: --preset auto's choice, once the text is read.
 */
async function prepare(corpusPath: string, flags: TrainFlags, given: SettingsPatch, preset: PresetSettings | undefined, io: CliIo,
                       auto?: (text: string) => AutoBase): Promise<PreparedRun> {
  if (flags.resume === undefined) {
    return openCorpus(corpusPath, (file) => noteCorpusEncoding(file, io), (file) => {
      const base = auto?.(file.text);
      return prepareRun(file.text, corpusPath, { kind: 'new', ...newRunSettings(given, base?.settings ?? preset, base?.regularizers) });
    });
  }
  const { state } = await readCheckpointFile(flags.resume);
  const settings = resumeSettings(given, state);
  if (settings.conflicts.length > 0) {
    throw new UsageError(`${settings.conflicts.join(', ')}: a resumed run keeps the checkpoint's model, batch size, ` +
      'optimizer and seed; leave out those flags or start a new run.');
  }
  if (settings.described.length > 0) io.note(`changed from the checkpoint's settings: ${settings.described.join(', ')}`);
  const run = await openCorpus(corpusPath, (file) => {
    requireKnownChars(file.text, state.vocab, JSON.stringify(corpusPath),
      'resume on text made of the checkpoint\'s characters, or start a new run on it', 'corpus-vocabulary');
    noteCorpusEncoding(file, io);
  }, (file) => prepareRun(file.text, corpusPath, { kind: 'continue', state, changes: settings.changes }));
  if (run.otherText) {
    io.warn(`${JSON.stringify(corpusPath)} is not the text this checkpoint was trained on; training continues on it.`);
    if (run.state.bestValLoss !== null) {
      // a best measured on the old text's validation part says nothing about this one's
      io.note(`the best validation loss starts again (was ${run.state.bestValLoss.toFixed(6)} nats/char, measured on the other text's validation part)`);
      run.state.bestValLoss = null;
    }
  }
  return run;
}

/**
 * Read the corpus, showing progress on a terminal, say what there is to say about it (`notes`, printed
 * with the status line cleared first, never glued to it), and hand its text to `prepare` (which
 * encodes it); nothing keeps the text after that, so only the compact encoded copy stays in memory.
 */
async function openCorpus<T>(corpusPath: string, notes: (file: CorpusFile) => void, prepare: (file: CorpusFile) => T): Promise<T> {
  const progress = corpusProgress(corpusPath);
  try {
    const file = await readCorpusFile(corpusPath, undefined, progress.update);
    progress.clear();
    notes(file);
    progress.encoding();
    return prepare(file);
  } finally {
    progress.clear();
  }
}

/** --preset auto's choice for this text, budget and machine (the flags given go over it); the note says why, in one line. */
function autoSettings(given: SettingsPatch, text: string, run: RunFlags, speed: MeasuredSpeed, note: (line: string) => void): AutoBase {
  const valFraction = given.training.valFraction ?? TRAINING_DEFAULTS.valFraction;
  const choice = chooseAuto(text, valFraction, { seconds: run.seconds, iterations: run.iterations }, speed);
  note(`auto: ${choice.reason}${speed.cached ? '' : ` (speed measured now, kept in ${calibrationFile()})`}`);
  return { settings: choice.settings, regularizers: { dropout: choice.dropout, ema: choice.ema } };
}

function describeRun(state: TrainingState, corpus: Corpus, run: RunFlags, kernels: string, resumedFrom?: string): string {
  const { model, training } = state;
  const parameters = paramLayout(model).size.toLocaleString('en-US');
  const until = [
    run.iterations !== undefined ? `iteration ${run.iterations}` : '',
    run.seconds !== undefined ? `${run.seconds} s` : '',
  ].filter(Boolean).join(' or ') || 'Ctrl-C';
  return `${resumedFrom ? `resuming ${resumedFrom} at iteration ${state.iteration}` : 'training'}: ` +
    `${model.cell}, hidden ${model.hiddenSize}, ${model.layers} layer${model.layers === 1 ? '' : 's'}, ` +
    `${parameters} parameters, vocabulary ${model.vocabSize}; ` +
    `${corpus.train.length.toLocaleString('en-US')} training + ${corpus.val.length.toLocaleString('en-US')} validation chars; ` +
    `${training.optimizer} lr ${training.learningRate}${state.schedule ? ` (${describeSchedule(state.schedule)})` : ''}, seq ${training.seqLength}, batch ${training.batchSize}, ` +
    (training.dropout > 0 ? `dropout ${training.dropout}, ` : '') + (training.ema > 0 ? `weight average ${training.ema}, ` : '') +
    `${state.threads} thread${state.threads === 1 ? '' : 's'}, ${kernels} kernels; until ${until}`;
}

export async function trainCommand(corpusPath: string, flags: TrainFlags, io: CliIo): Promise<void> {
  const preset: PresetChoice = presetFromFlags(flags);
  const run = parseRunFlags(flags, preset, io.note);
  const given = settingsFromFlags(flags); // the model and training flags, checked once; a usage error before any file is read
  const { out, bestOut } = flags;
  const force = flags.force === true;
  if (out !== undefined) await checkOutputPath({ out, inputs: [corpusPath], own: flags.resume, force, forceHint: '--force' });
  if (bestOut !== undefined) {
    if (run.sampleEvery === 0) requireValidationForBestOut(flags, run, 0);
    await checkOutputPath({ out: bestOut, inputs: [corpusPath, ...(flags.resume ? [flags.resume] : [])], force, forceHint: '--force' });
  }
  const locks: OutputLock[] = [];
  try {
    for (const path of [out, bestOut]) {
      if (path === undefined) continue;
      const lock = await lockOutput(path);
      locks.push(lock);
      if (lock.tookOverFrom !== null) io.note(`took over ${lock.path}: the run that held it (process ${lock.tookOverFrom}) is gone`);
    }
    // what is at the outputs now is what this run may replace; anything that appears or changes later is not
    const targets = { out: out === undefined ? null : await GuardedFile.at(out), bestOut: bestOut === undefined ? null : await GuardedFile.at(bestOut) };
    // --preset auto: the speed matters only to a time budget (an iteration budget fixes the characters trained on)
    const speed = preset !== AUTO ? null
      : run.seconds !== undefined ? await machineSpeed(resolveThreads({ requested: run.threads, batchSize: AUTO_BATCH, continuedOn: undefined }).threads)
        : { flopsPerSecond: 1, measuredAt: '', cached: true };
    const auto = speed ? (text: string) => autoSettings(given, text, run, speed, io.note) : undefined;
    const { state, corpus } = await prepare(corpusPath, flags, given, preset === AUTO || preset === null ? undefined : preset, io, auto);
    const scheduled = scheduleRun(state, run, flags.resume !== undefined, elapsedInHistory(state.lossHistory), io.note);
    const validates = requireValidationForBestOut(flags, run, corpus.val.length);
    const { threads, note } = resolveThreads({ requested: run.threads, batchSize: state.training.batchSize,
      continuedOn: flags.resume !== undefined ? state.threads : undefined });
    if (note) io.note(note);
    const recordedKernels = state.kernels;
    const trainer = await createTrainingRunner(state, corpus, threads);
    if (flags.resume !== undefined && recordedKernels !== null && recordedKernels !== trainer.kernels) {
      io.note(`training on the ${trainer.kernels} kernels; the checkpoint was trained on ${recordedKernels}, so the run will not match an uninterrupted one bit for bit`);
    }
    try {
      await train({ state, corpus, corpusPath, trainer, run: scheduled, flags, validates, targets }, io);
    } finally {
      await trainer.dispose();
    }
  } finally {
    for (const lock of locks) lock.release();
  }
}

/** Every line the run writes clears the bar first and draws it again after, so lines scroll above it. */
function withBar(io: CliIo, bar: ProgressBar): CliIo {
  const around = (write: (text: string) => void) => (text: string) => { bar.clear(); write(text); bar.redraw(); };
  return { ...io, out: around(io.out), line: around(io.line), note: around(io.note), warn: around(io.warn) };
}

/**
 * "best validation loss 1.234567 nats/char (1.7812 bits/char) at iteration 2,000", or why there is none:
 * the state's own best (what its checkpoint holds, `inspect` shows and a resumed run starts from), with
 * the iteration its history records it at.
 */
export function bestValidationLine(state: TrainingState): string {
  const best = state.bestValLoss;
  if (best === null) return 'no validation loss was measured (it is measured every --sample-every iterations)';
  const at = state.lossHistory.findLast((p) => p.valLoss === best)?.iter;
  return `best validation loss ${best.toFixed(6)} nats/char (${(best * NATS_TO_BITS).toFixed(4)} bits/char)` +
    (at !== undefined ? ` at iteration ${at.toLocaleString('en-US')}` : '');
}

interface Run {
  state: TrainingState;
  corpus: Corpus;
  corpusPath: string;
  trainer: TrainingRunner;
  run: RunFlags;
  flags: TrainFlags;
  validates: boolean;
  targets: { out: GuardedFile | null; bestOut: GuardedFile | null };
}

const ADVICE = 'Lower the learning rate (--lr) or clip the gradients (--clip, --clip-norm), and start again.';

async function train({ state, corpus, corpusPath, trainer, run, flags, validates, targets }: Run, plainIo: CliIo,
                     barStream: BarStream | null = !flags.json && plainIo.stdoutIsTty && process.stderr.isTTY ? process.stderr : null): Promise<void> {
  // a bar on a terminal; plain lines when piped or with --json
  const bar = barStream ? new ProgressBar(barStream, { iterations: run.iterations, seconds: run.seconds }) : null;
  const io = bar ? withBar(plainIo, bar) : plainIo;
  const startIter = state.iteration;
  const startMs = performance.now();
  const out = flags.out;
  const guard = new LossGuard(state, ADVICE);
  const keepBest = validates ? new BestKeeper((s, valLoss) => !guard.isExploded(s) && !guard.isExplodedLoss(valLoss)) : undefined;
  const priorElapsedMs = elapsedInHistory(state.lossHistory); // the model's training time: a schedule over seconds runs on it
  const cadence = flags.bestOut !== undefined ? measureValidationCadence(state, corpus, run.sampleEvery) : null;
  io.note(describeRun(state, corpus, run, trainer.kernels, flags.resume) + (cadence ? `; ${cadence.description}` : ''));
  if (trainer.kernelFallback !== null) {
    io.warn(`training on the TypeScript kernels, about 13× slower than WebAssembly: ${trainer.kernelFallback}`);
  }
  if (out === undefined) io.note('no --out: nothing will be saved when this run stops (add --out FILE to keep the model)');

  const output = new RunOutput(targets.out, io, { refuse: (s) => guard.isExploded(s) });
  const bestOutput = new RunOutput(targets.bestOut, io, { what: 'the best model' });
  let divergence: Divergence | null = null;
  const save = () => output.save(state);
  const reporter = flags.json ? jsonReporter(io.line) : textReporter(io.line);
  const plan: LoopPlan = {
    stopAtIteration: run.iterations,
    stopAtMs: run.seconds === undefined ? undefined : performance.now() + run.seconds * 1000,
    printEvery: run.printEvery,
    sampleEvery: run.sampleEvery,
    sampleLength: run.sampleLength,
    saveEvery: run.saveEvery,
    keepBest,
    validateByTime: cadence?.plan,
    validateAtEnd: true, // the last state's validation is the run's last word: in the last line, the best and the checkpoint
  };
  if (run.iterations !== undefined && state.iteration >= run.iterations) {
    io.note(`the checkpoint is already at iteration ${state.iteration} (--iterations ${run.iterations}): nothing to train`);
  }
  const signals = installStopSignals(io, () => unsavedNow(state, out, output.saved));
  bar?.follow(() => ({ iter: state.iteration, startIter, elapsedMs: performance.now() - startMs, loss: state.smoothLoss }));
  const stopWatching = watchCorpus(corpusPath, (change) => io.warn(corpusChangeMessage(corpusPath, change)));
  let refusedStep: string | null = null;
  try {
    await runTrainingLoop(trainer, corpus, plan, {
      progress: (report) => {
        reporter.progress(report);
        bar?.update({ iter: report.iter, startIter, elapsedMs: performance.now() - startMs, loss: report.smoothLoss });
        divergence ??= guard.check(report);
      },
      sample: reporter.sample,
      save,
      shouldStop: () => signals.stopRequested() || divergence !== null,
      elapsedMs: () => priorElapsedMs + performance.now() - startMs,
    });
  } catch (e) {
    // The trainer refuses a step that diverges and leaves the state as it was: that state is worth saving.
    if (!(e instanceof CharRnnError && e.code === 'diverged')) throw e;
    refusedStep = e.message;
  } finally {
    stopWatching();
  }
  try {
    await output.save(state, { last: true });
    bar?.done(); // the run's last lines print below a bar that is gone
    await saveBest(keepBest, state, bestOutput);
  } finally {
    signals.dispose();
    bar?.done();
  }
  // the closing lines: always the best validation, what was not saved, and then why the run stopped
  io.note(bestValidationLine(state));
  if (out === undefined) io.note(`no --out: ${unsavedNow(state, out, null)}`);
  const failures = [output.finish(), bestOutput.finish()].filter((f): f is string => f !== null);
  const saveFailure = failures.length > 0 ? `${failures.join('; ')}.` : '';
  if (refusedStep !== null) {
    const held = out !== undefined && output.saved?.path === out ? ` ${JSON.stringify(out)} holds the state before that step (iteration ${state.iteration}).` : '';
    throw new CharRnnError('diverged', `${refusedStep}${held}${saveFailure ? ` Also: ${saveFailure}` : ''}`);
  }
  const d = divergence as Divergence | null;
  if (d) {
    const kept = out !== undefined && output.saved?.path === out && !guard.isExploded(state) ? ` ${JSON.stringify(out)} holds iteration ${state.iteration}.` : '';
    throw new CharRnnError('diverged', d.message + kept + (saveFailure ? ` Also: ${saveFailure}` : ''));
  }
  if (saveFailure) throw new FileError('file-io', out ?? flags.bestOut ?? '', saveFailure);
  const signal = signals.signal();
  if (signal) throw new Interrupted(signal);
}

/** What a run stopping now keeps and loses, in one clause. */
function unsavedNow(state: TrainingState, out: string | undefined, saved: { path: string; iteration: number } | null): string {
  const at = `iteration ${state.iteration.toLocaleString('en-US')}`;
  if (out === undefined) return `the model (${at}) was not saved (add --out FILE to keep it)`;
  if (saved === null) return `nothing was saved to ${out} (the run was at ${at})`;
  if (saved.iteration === state.iteration) return `${saved.path} holds ${at}`;
  return `${saved.path} holds iteration ${saved.iteration.toLocaleString('en-US')}; ${at} was not saved`;
}

/** The end of a validated run: --best-out written with the best validation's model, rescued like --out when it cannot be. */
async function saveBest(keeper: BestKeeper | undefined, state: TrainingState, output: RunOutput): Promise<void> {
  const best = keeper?.best;
  if (!best) return;
  await output.save(bestModelState(state, best), {
    last: true,
    said: (path) => `saved the best model to ${path} (iteration ${best.iteration}, validation ${best.valLoss.toFixed(4)} nats/char)`,
  });
}

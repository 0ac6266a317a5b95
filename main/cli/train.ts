// `char-rnn train`: a new run or a resumed one, until an iteration count, a time limit or Ctrl-C.
import type { Corpus } from '../../core/corpus.js';
import { CharRnnError } from '../../core/errors.js';
import { paramLayout } from '../../core/layout.js';
import type { TrainingState } from '../../core/trainer.js';
import { readCorpusFile, type CorpusFile } from '../files/corpus-file.js';
import { corpusChangeMessage, watchCorpus } from '../files/corpus-watch.js';
import { corpusProgress } from './corpus-progress.js';
import { readCheckpointFile, writeCheckpointFile } from '../files/model-files.js';
import { checkOutputPath } from '../files/output-guard.js';
import { LossGuard, type Divergence } from '../training/loss-guard.js';
import { RunOutput } from './run-output.js';
import { Interrupted, signalExitCode, UsageError } from './fail.js';
import { onStdoutClosed, type CliIo } from './io.js';
import {
  modelShapeFromFlags, parseChoice, parseDecimal, parseInteger, parseLimited, parseModelFlags, parseTrainingFlags,
  resumeSettings, trainingFromFlags, type ModelFlags, type TrainingFlags,
} from './options.js';
import { jsonReporter, textReporter } from './report.js';
import { runTrainingLoop, type LoopPlan } from '../training/training-loop.js';
import { prepareRun, type PreparedRun } from '../training/prepare-run.js';
import { noteCorpusEncoding, requireKnownChars } from './text-checks.js';
import { createTrainingRunner, defaultThreads, type TrainingRunner } from '../training/pool/pool-trainer.js';
import { ProgressBar, type BarStream } from './progress-bar.js';
import { NATS_TO_BITS } from '../../core/trainer.js';
import { findPreset, PRESETS, type PresetSettings } from '../../core/presets.js';
import { BestKeeper, bestModelState } from '../training/best-model.js';
import { elapsedInHistory } from '../../core/history.js';
import { describeSchedule, LR_SCHEDULES, type LrSchedule } from '../../core/schedule.js';
import { scheduleRun } from './run-schedule.js';
import { measureValidationCadence } from './validation-cadence.js';
import { calibrationFile, chooseAuto, machineSpeed, type MeasuredSpeed } from './auto-preset.js';
import { AUTO_BATCH } from '../../core/auto-preset.js';
import { SEED_TRAINING } from '../../core/config.js';

/** --preset auto: settings chosen for the text, the budget and this machine (core/auto-preset.ts). */
const AUTO = 'auto';

export interface TrainFlags extends ModelFlags, TrainingFlags {
  iterations?: string;
  seconds?: string;
  out?: string;
  saveEvery?: string;
  resume?: string;
  sampleEvery?: string;
  sampleLength?: string;
  printEvery?: string;
  threads?: string;
  preset?: string;
  bestOut?: string;
  lrSchedule?: string;
  json?: boolean;
  force?: boolean;
}

interface RunFlags {
  iterations?: number;
  seconds?: number;
  saveEvery: number;
  sampleEvery: number;
  sampleLength: number;
  printEvery: number;
  threads?: number;
  lrSchedule?: LrSchedule; // given (or the preset's); otherwise a resumed run continues its checkpoint's schedule
}

function parseRunFlags(flags: TrainFlags): RunFlags {
  const run: RunFlags = {
    iterations: flags.iterations === undefined ? undefined : parseLimited('--iterations', flags.iterations, 'stopIterations'),
    seconds: flags.seconds === undefined ? undefined : parseDecimal('--seconds', flags.seconds),
    saveEvery: flags.saveEvery === undefined ? 0 : parseInteger('--save-every', flags.saveEvery, 0),
    sampleEvery: flags.sampleEvery === undefined ? 1000 : parseInteger('--sample-every', flags.sampleEvery, 0),
    sampleLength: flags.sampleLength === undefined ? 200 : parseLimited('--sample-length', flags.sampleLength, 'sampleLength'),
    printEvery: flags.printEvery === undefined ? 100 : parseInteger('--print-every', flags.printEvery, 0),
    threads: flags.threads === undefined ? undefined : parseLimited('--threads', flags.threads, 'threads'),
    lrSchedule: flags.lrSchedule === undefined ? undefined : parseChoice('--lr-schedule', flags.lrSchedule, LR_SCHEDULES),
  };
  if (run.lrSchedule !== undefined && run.lrSchedule !== 'constant' && run.seconds === undefined && run.iterations === undefined) {
    throw new UsageError(`--lr-schedule ${run.lrSchedule} runs over a budget: add --seconds or --iterations.`);
  }
  if (run.seconds !== undefined && !(run.seconds > 0)) throw new UsageError(`--seconds must be above 0; got ${flags.seconds}.`);
  if (run.saveEvery > 0 && flags.out === undefined) throw new UsageError('--save-every needs --out FILE to save to.');
  return run;
}

async function prepare(corpusPath: string, flags: TrainFlags, io: CliIo, auto?: (text: string) => TrainFlags): Promise<PreparedRun> {
  if (flags.resume === undefined) {
    const given = { kind: 'new', model: modelShapeFromFlags(flags), training: trainingFromFlags(flags) } as const;
    return openCorpus(corpusPath, (file) => {
      noteCorpusEncoding(file, io);
      const chosen = auto?.(file.text); // --preset auto: the settings for this text, under the flags given
      const start = chosen ? { kind: 'new', model: modelShapeFromFlags(chosen), training: trainingFromFlags(chosen) } as const : given;
      return prepareRun(file.text, corpusPath, start);
    });
  }
  parseModelFlags(flags); // a malformed value is a usage error before any file is read
  parseTrainingFlags(flags);
  const { state } = await readCheckpointFile(flags.resume);
  const settings = resumeSettings(flags, flags, state.model, state.training);
  if (settings.conflicts.length > 0) {
    throw new UsageError(`${settings.conflicts.join(', ')}: a resumed run keeps the checkpoint's model, batch size, ` +
      'optimizer and seed; leave out those flags or start a new run.');
  }
  if (settings.changes.length > 0) io.note(`changed from the checkpoint's settings: ${settings.changes.join(', ')}`);
  const run = await openCorpus(corpusPath, (file) => {
    requireKnownChars(file.text, state.vocab, JSON.stringify(corpusPath),
      'resume on text made of the checkpoint\'s characters, or start a new run on it', 'corpus-vocabulary');
    noteCorpusEncoding(file, io);
    return prepareRun(file.text, corpusPath, { kind: 'continue', state, changes: settings.training });
  });
  if (run.otherText) io.warn(`${JSON.stringify(corpusPath)} is not the text this checkpoint was trained on; training continues on it.`);
  return run;
}

/**
 * Read the corpus, showing progress on a terminal, and hand its text to `prepare` (which encodes it);
 * nothing keeps the text after that, so only the compact encoded copy stays in memory.
 */
async function openCorpus<T>(corpusPath: string, prepare: (file: CorpusFile) => T): Promise<T> {
  const progress = corpusProgress(corpusPath);
  try {
    const file = await readCorpusFile(corpusPath, undefined, progress.update);
    progress.encoding();
    return prepare(file);
  } finally {
    progress.clear();
  }
}

function describeRun(state: TrainingState, corpus: Corpus, run: RunFlags, resumedFrom?: string): string {
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
    `${state.threads} thread${state.threads === 1 ? '' : 's'}; until ${until}`;
}

const DUPLICATE_SIGNAL_MS = 1000;

/**
 * Stop after the current step on the first SIGINT/SIGTERM (a second one quits at once), or when
 * stdout's reader goes away; the caller then saves --out and exits 128 + the signal's number.
 */
function installStopSignals(io: CliIo): { stopRequested: () => boolean; signal: () => NodeJS.Signals | null; dispose: () => void } {
  let stop = false;
  let received: NodeJS.Signals | null = null;
  let receivedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches the whole process group, and a wrapper may forward it too: a second copy within
    // a moment is the same keypress, not a request to quit at once
    if (stop && received && Date.now() - receivedAt > DUPLICATE_SIGNAL_MS) process.exit(signalExitCode(signal));
    if (stop && received) return;
    stop = true;
    received = signal;
    receivedAt = Date.now();
    io.note(`${signal}: stopping after this step (again to quit at once)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const disposeClosed = onStdoutClosed(() => {
    stop = true;
    io.note('stdout was closed: stopping after this step');
  });
  return {
    stopRequested: () => stop,
    signal: () => received,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      disposeClosed();
    },
  };
}

/** Each preset setting's flag: a flag given on the command line wins over the preset's value. */
const PRESET_FLAGS: Record<keyof PresetSettings, keyof TrainFlags> = {
  cell: 'model', hiddenSize: 'hidden', layers: 'layers', seqLength: 'seqLength', batchSize: 'batch',
  optimizer: 'optimizer', learningRate: 'lr', clipValue: 'clip', clipNorm: 'clipNorm', lrSchedule: 'lrSchedule',
};

/** --preset auto's settings for this text, budget and machine, under the flags given; the note says why, in one line. */
function autoFlags(flags: TrainFlags, text: string, run: RunFlags, speed: MeasuredSpeed, note: (line: string) => void): TrainFlags {
  const valFraction = flags.valFraction === undefined ? SEED_TRAINING.valFraction : Number(flags.valFraction);
  const choice = chooseAuto(text, valFraction, { seconds: run.seconds, iterations: run.iterations }, speed);
  const merged: TrainFlags = { ...flags };
  for (const [key, flag] of Object.entries(PRESET_FLAGS) as [keyof PresetSettings, keyof TrainFlags][]) {
    if (merged[flag] === undefined) (merged as Record<string, unknown>)[flag] = String(choice.settings[key]);
  }
  note(`auto: ${choice.reason}${speed.cached ? '' : ` (speed measured now, kept in ${calibrationFile()})`}`);
  return merged;
}

/** The flags with --preset's settings under them (explicit flags override the preset's values). */
export function withPresetFlags(flags: TrainFlags, note: (line: string) => void = () => {}): TrainFlags {
  if (flags.preset === undefined) return flags;
  if (flags.preset === AUTO) {
    if (flags.resume !== undefined) throw new UsageError('--preset starts a new run; a resumed run keeps the checkpoint\'s settings (leave out --preset).');
    if (flags.seconds === undefined && flags.iterations === undefined) {
      throw new UsageError('--preset auto sizes the model to the time or iterations it has: add --seconds or --iterations.');
    }
    return { ...flags, lrSchedule: flags.lrSchedule ?? 'cosine' }; // the rest once the text is read (autoFlags)
  }
  const preset = findPreset(flags.preset);
  if (!preset) throw new UsageError(`--preset must be one of ${[...PRESETS.map((p) => p.name), AUTO].join(', ')}; got ${JSON.stringify(flags.preset)}.`);
  if (flags.resume !== undefined) throw new UsageError('--preset starts a new run; a resumed run keeps the checkpoint\'s settings (leave out --preset).');
  const merged: TrainFlags = { ...flags };
  for (const [key, flag] of Object.entries(PRESET_FLAGS) as [keyof PresetSettings, keyof TrainFlags][]) {
    if (merged[flag] === undefined) (merged as Record<string, unknown>)[flag] = String(preset.settings[key]);
  }
  if (flags.lrSchedule === undefined && merged.lrSchedule !== 'constant' && flags.seconds === undefined && flags.iterations === undefined) {
    note(`the preset's ${merged.lrSchedule} learning-rate schedule runs over a budget: without --seconds or --iterations the rate stays ${merged.lr}`);
    merged.lrSchedule = 'constant';
  }
  return merged;
}

export async function trainCommand(corpusPath: string, givenFlags: TrainFlags, io: CliIo): Promise<void> {
  const flags = withPresetFlags(givenFlags, io.note);
  const run = parseRunFlags(flags);
  const out = flags.out;
  if (out !== undefined) await checkOutputPath({ out, inputs: [corpusPath], own: flags.resume, force: flags.force === true, forceHint: '--force' });
  if (flags.bestOut !== undefined) {
    if (run.sampleEvery === 0) throw new UsageError('--best-out needs validation: a --val-fraction above 0 and --sample-every above 0.');
    if (out !== undefined && flags.bestOut === out) throw new UsageError('--best-out must be another file than --out.');
    await checkOutputPath({ out: flags.bestOut, inputs: [corpusPath, ...(flags.resume ? [flags.resume] : [])], force: flags.force === true, forceHint: '--force' });
  }
  // the speed matters only to a time budget: an iteration budget fixes the characters trained on
  const speed = flags.preset !== AUTO ? null
    : run.seconds !== undefined ? await machineSpeed(run.threads ?? defaultThreads(AUTO_BATCH)) : { flopsPerSecond: 1, measuredAt: '', cached: true };
  const auto = speed ? (text: string) => autoFlags(flags, text, run, speed, io.note) : undefined;
  const { state, corpus } = await prepare(corpusPath, flags, io, auto);
  const scheduled = scheduleRun(state, run, flags.resume !== undefined, elapsedInHistory(state.lossHistory), io.note);
  const threads = chooseThreads(state, run.threads, flags.resume !== undefined, io);
  const trainer = await createTrainingRunner(state, corpus, threads);
  try {
    await train(state, corpus, corpusPath, trainer, scheduled, flags, io);
  } finally {
    await trainer.dispose();
  }
}

/**
 * --threads, else for a resumed run the checkpoint's count (the gradients' summation order: the same
 * count continues bit for bit), else every core; never more than the batch's streams.
 */
function chooseThreads(state: TrainingState, requested: number | undefined, resumed: boolean, io: CliIo): number {
  const B = state.training.batchSize;
  if (requested !== undefined) {
    if (requested > B) throw new UsageError(`--threads ${requested} is more than the batch's ${B} streams; use at most ${B}.`);
    if (resumed && requested !== state.threads) {
      io.note(`training on ${requested} threads; the checkpoint was trained on ${state.threads}, so the run will not match an uninterrupted one bit for bit`);
    }
    return requested;
  }
  return resumed ? Math.min(state.threads, B) : defaultThreads(B);
}

/** Every line the run writes clears the bar first and draws it again after, so lines scroll above it. */
function withBar(io: CliIo, bar: ProgressBar): CliIo {
  const around = (write: (text: string) => void) => (text: string) => { bar.clear(); write(text); bar.redraw(); };
  return { ...io, out: around(io.out), line: around(io.line), note: around(io.note), warn: around(io.warn) };
}

/**
 * "best validation loss 1.234567 nats/char (1.7812 bits/char) at iteration 2,000", or why there is none.
 * The keeper's best when there is one (it also scores the last state), else the state's own record.
 */
export function bestValidationLine(state: TrainingState, kept: { iteration: number; valLoss: number } | null = null): string {
  const best = kept?.valLoss ?? state.bestValLoss;
  if (best === null) return 'no validation loss was measured (it is measured every --sample-every iterations)';
  const at = kept?.iteration ?? state.lossHistory.find((p) => p.valLoss === best)?.iter;
  return `best validation loss ${best.toFixed(6)} nats/char (${(best * NATS_TO_BITS).toFixed(4)} bits/char)` +
    (at !== undefined ? ` at iteration ${at.toLocaleString('en-US')}` : '');
}

async function train(state: TrainingState, corpus: Corpus, corpusPath: string, trainer: TrainingRunner, run: RunFlags, flags: TrainFlags,
                     plainIo: CliIo, barStream: BarStream | null = !flags.json && plainIo.stdoutIsTty && process.stderr.isTTY ? process.stderr : null): Promise<void> {
  // a bar on a terminal; plain lines when piped or with --json
  const bar = barStream ? new ProgressBar(barStream, { iterations: run.iterations, seconds: run.seconds }) : null;
  const io = bar ? withBar(plainIo, bar) : plainIo;
  const startIter = state.iteration;
  const startMs = performance.now();
  const priorElapsedMs = elapsedInHistory(state.lossHistory); // the model's training time: a schedule over seconds runs on it
  const out = flags.out;
  const validates = run.sampleEvery > 0 && corpus.val.length >= 2;
  if (flags.bestOut !== undefined && !validates) {
    throw new UsageError('--best-out needs validation: a --val-fraction above 0 and --sample-every above 0.');
  }
  const keepBest = validates ? new BestKeeper() : undefined;
  const cadence = flags.bestOut !== undefined ? measureValidationCadence(state, corpus, run.sampleEvery) : null;
  io.note(describeRun(state, corpus, run, flags.resume) + (cadence ? `; ${cadence.description}` : ''));
  if (out === undefined && run.iterations === undefined && run.seconds === undefined) {
    io.note('no --out: nothing will be saved when this run stops (add --out FILE to keep the model)');
  }

  const guard = new LossGuard(state, 'Lower the learning rate (--lr) or clip the gradients (--clip, --clip-norm), and start again.');
  const output = new RunOutput(out, io, (s) => guard.isExploded(s));
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
  };
  if (run.iterations !== undefined && state.iteration >= run.iterations) {
    io.note(`the checkpoint is already at iteration ${state.iteration} (--iterations ${run.iterations}): nothing to train`);
  }
  const signals = installStopSignals(io);
  const stopWatching = watchCorpus(corpusPath, (change) => io.warn(corpusChangeMessage(corpusPath, change)));
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
    await save();
    bar?.done(); // the run's last lines print below a bar that is gone
    await saveBest(keepBest, state, flags.bestOut, io);
  } catch (e) {
    // The trainer refuses a step that diverges and leaves the state as it was: that state is worth saving.
    if (!(e instanceof CharRnnError && e.code === 'diverged') || out === undefined) throw e;
    await save();
    await saveBest(keepBest, state, flags.bestOut, io);
    output.finish();
    throw new CharRnnError('diverged', `${e.message} ${JSON.stringify(out)} holds the state before that step (iteration ${state.iteration}).`);
  } finally {
    signals.dispose();
    stopWatching();
    bar?.done();
  }
  io.note(bestValidationLine(state, keepBest?.best ?? null));
  output.finish();
  const d = divergence as Divergence | null;
  if (d) {
    const kept = out !== undefined && !guard.isExploded(state) ? ` ${JSON.stringify(out)} holds iteration ${state.iteration}.` : '';
    throw new CharRnnError('diverged', d.message + kept);
  }
  const signal = signals.signal();
  if (signal) throw new Interrupted(signal);
}

/** The end of a validated run: --best-out written with the best validation's model (the closing line says where it was). */
async function saveBest(keeper: BestKeeper | undefined, state: TrainingState, bestOut: string | undefined, io: CliIo): Promise<void> {
  const best = keeper?.best;
  if (!best || bestOut === undefined) return;
  await writeCheckpointFile(bestOut, bestModelState(state, best));
  io.note(`saved the best model to ${bestOut} (iteration ${best.iteration}, validation ${best.valLoss.toFixed(4)} nats/char)`);
}

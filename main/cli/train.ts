// `char-rnn train`: a new run or a resumed one, until an iteration count, a time limit or Ctrl-C: the outputs checked
// and locked, the run prepared (train-prepare.ts), trained, saved, and its closing lines (train-lines.ts).
import type { Corpus } from '../../core/corpus.js';
import { CharRnnError } from '../../core/errors.js';
import type { TrainingState } from '../../core/trainer.js';
import { elapsedInHistory } from '../../core/history.js';
import { AUTO_BATCH } from '../../core/auto-preset.js';
import { corpusChangeMessage, watchCorpus } from '../files/corpus-watch.js';
import { checkOutputPath } from '../files/output-guard.js';
import { lockOutput, type OutputLock } from '../files/output-lock.js';
import { FileError } from '../files/errors.js';
import { GuardedFile } from '../files/guarded-file.js';
import { LossGuard, type Divergence } from '../training/loss-guard.js';
import { runTrainingLoop, type LoopPlan } from '../training/training-loop.js';
import { createTrainingRunner, type TrainingRunner } from '../training/pool/pool-trainer.js';
import { resolveThreads } from '../training/pool/threads.js';
import { BestKeeper, bestModelState } from '../training/best-model.js';
import { RunOutput } from './run-output.js';
import { Interrupted } from './fail.js';
import type { CliIo } from './io.js';
import { settingsFromFlags } from './settings-flags.js';
import { AUTO, parseRunFlags, presetFromFlags, requireValidationForBestOut, type PresetChoice, type RunFlags, type TrainFlags } from './train-flags.js';
import { autoSettings, prepareTraining } from './train-prepare.js';
import { bestValidationLine, describeRun, unsavedNow } from './train-lines.js';
import { installStopSignals } from './train-signals.js';
import { jsonReporter, textReporter } from './report.js';
import { ProgressBar, type BarStream } from './progress-bar.js';
import { scheduleRun } from './run-schedule.js';
import { measureValidationCadence } from './validation-cadence.js';
import { machineSpeed } from './auto-preset.js';

export type { TrainFlags } from './train-flags.js';

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
    const { state, corpus } = await prepareTraining(corpusPath, flags, given, preset === AUTO || preset === null ? undefined : preset, io, auto);
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

/** The end of a validated run: --best-out written with the best validation's model, rescued like --out when it cannot be. */
async function saveBest(keeper: BestKeeper | undefined, state: TrainingState, output: RunOutput): Promise<void> {
  const best = keeper?.best;
  if (!best) return;
  await output.save(bestModelState(state, best), {
    last: true,
    said: (path) => `saved the best model to ${path} (iteration ${best.iteration}, validation ${best.valLoss.toFixed(4)} nats/char)`,
  });
}

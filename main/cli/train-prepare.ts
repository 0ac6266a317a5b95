// `char-rnn train`'s state and corpus before the first step: the flags (checked) laid over a preset's settings, the
// seed's, or --preset auto's choice for the text; on --resume over the checkpoint's, with what changed said.
import { UsageError } from './fail.js';
import type { CliIo } from './io.js';
import { corpusProgress } from './corpus-progress.js';
import { calibrationFile, chooseAuto, type MeasuredSpeed } from './auto-preset.js';
import { newRunSettings, resumeSettings, type SettingsPatch } from './settings-flags.js';
import type { RunFlags, TrainFlags } from './train-flags.js';
import { noteCorpusEncoding, requireKnownChars } from './text-checks.js';
import { readCorpusFile, type CorpusFile } from '../files/corpus-file.js';
import { readCheckpointFile } from '../files/model-files.js';
import { prepareRun, type PreparedRun } from '../training/prepare-run.js';
import { TRAINING_DEFAULTS } from '../contract/defaults.js';
import type { PresetSettings } from '../../core/presets.js';
import type { TrainConfig } from '../../core/config.js';

/** Auto's choice as the CLI lays it under the flags: a preset's settings and the regularizers it turns on. */
export interface AutoBase {
  settings: PresetSettings;
  regularizers: Pick<TrainConfig, 'dropout' | 'ema'>;
}

/**
 * The run's state and corpus: `given` (the flags, already checked) over the preset's settings or the seed's,
 * or over the checkpoint's on --resume. `auto`: --preset auto's choice, once the text is read.
 */
export async function prepareTraining(corpusPath: string, flags: TrainFlags, given: SettingsPatch, preset: PresetSettings | undefined, io: CliIo,
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
export function autoSettings(given: SettingsPatch, text: string, run: RunFlags, speed: MeasuredSpeed, note: (line: string) => void): AutoBase {
  const valFraction = given.training.valFraction ?? TRAINING_DEFAULTS.valFraction;
  const choice = chooseAuto(text, valFraction, { seconds: run.seconds, iterations: run.iterations }, speed);
  note(`auto: ${choice.reason}${speed.cached ? '' : ` (speed measured now, kept in ${calibrationFile()})`}`);
  return { settings: choice.settings, regularizers: { dropout: choice.dropout, ema: choice.ema } };
}

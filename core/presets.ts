// Presets: named model and optimisation settings, the one list the app's form and the CLI (`--preset`,
// `char-rnn presets`) share. A preset never sets a run's stop, sampling or autosave cadence.
import { SEED_MODEL, SEED_TRAINING, type CellType, type OptimizerName } from './config.js';

import { LR_SCHEDULES, type LrSchedule } from './schedule.js';

/** Learning-rate schedules over a run's budget (core/schedule.ts computes them). */
export { LR_SCHEDULES, type LrSchedule };

/** What a preset sets: the model's shape and its optimisation, with the names the app's hyperparameters use. */
export interface PresetSettings {
  readonly cell: CellType;
  readonly hiddenSize: number;
  readonly layers: number;
  readonly seqLength: number;
  readonly batchSize: number;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly clipValue: number;
  readonly clipNorm: number;
  /** Over the run's budget (its time or iteration limit); without one the rate stays constant. */
  readonly lrSchedule: LrSchedule;
}

export interface Preset {
  readonly name: string;        // what `--preset` takes
  readonly label: string;       // what the app's menu shows
  /** What it sets and what was measured with it: the names promise nothing unmeasured. */
  readonly description: string;
  readonly settings: PresetSettings;
}

export const PRESET_SETTING_KEYS = [
  'cell', 'hiddenSize', 'layers', 'seqLength', 'batchSize', 'optimizer', 'learningRate', 'clipValue', 'clipNorm', 'lrSchedule',
] as const satisfies readonly (keyof PresetSettings)[];

const preset = (p: Preset): Preset => Object.freeze({ ...p, settings: Object.freeze({ ...p.settings }) });

// Measured held out with bench/quality.ts on this project's 2-core machine, shared: the CLI trains on the first
// 90% of Kafka's story (../shared/corpora/kafka-story.txt), its validation part chooses the --best-out model,
// and the last 10%, which neither trained nor chose it, is scored with eval --skip-unknown; 60 s, one thread,
// 3 seeds, on a machine doing nothing else but a second such run on its other core (README's "Better models per
// minute" has the table, with four more texts and PyTorch's GRU 256). Figures name the range over seeds.
export const PRESETS: readonly Preset[] = Object.freeze([
  preset({
    name: 'seed',
    label: 'Seed (min-char-rnn)',
    description: "Karpathy's min-char-rnn: RNN 100, sequence 25, Adagrad 0.1, clip ±5.",
    settings: {
      cell: SEED_MODEL.cell, hiddenSize: SEED_MODEL.hiddenSize, layers: SEED_MODEL.layers,
      seqLength: SEED_TRAINING.seqLength, batchSize: SEED_TRAINING.batchSize, optimizer: SEED_TRAINING.optimizer,
      learningRate: SEED_TRAINING.learningRate, clipValue: SEED_TRAINING.clipValue, clipNorm: SEED_TRAINING.clipNorm,
      lrSchedule: 'constant',
    },
  }),
  preset({
    name: 'gru-128-cosine',
    label: 'Best in a minute or more: GRU 128, cosine',
    description: 'One GRU layer of 128, 16 streams, sequence 50, Adam 0.008 with a cosine schedule over the run\'s ' +
      'time or iteration limit, whichever ends first (set one: without it the rate stays 0.008); keep the best model ' +
      '(--best-out, which also validates on the clock). Measured held out on Kafka\'s story: 1.505–1.514 nats/char ' +
      'after 60 s on one thread of a 2-core machine (the seed: 1.70–1.76; Auto: 1.43).',
    settings: { cell: 'gru', hiddenSize: 128, layers: 1, seqLength: 50, batchSize: 16, optimizer: 'adam', learningRate: 0.008, clipValue: 5, clipNorm: 0, lrSchedule: 'cosine' },
  }),
  preset({
    name: 'gru-128-batch-16',
    label: 'Better: GRU 128, batch 16',
    description: 'One GRU layer of 128, 16 streams, sequence 50, Adam 0.005. Measured held out on Kafka\'s story: ' +
      '1.501–1.517 nats/char after 60 s on one thread of a 2-core machine (the seed: 1.70–1.76; Auto: 1.43).',
    settings: { cell: 'gru', hiddenSize: 128, layers: 1, seqLength: 50, batchSize: 16, optimizer: 'adam', learningRate: 0.005, clipValue: 5, clipNorm: 0, lrSchedule: 'constant' },
  }),
  preset({
    name: 'lstm-128-batch-16',
    label: 'Better: LSTM 128, batch 16',
    description: 'One LSTM layer of 128, 16 streams, sequence 50, Adam 0.005. Measured held out on Kafka\'s story: ' +
      '1.525–1.529 nats/char after 60 s on one thread of a 2-core machine (the seed: 1.70–1.76; Auto: 1.43).',
    settings: { cell: 'lstm', hiddenSize: 128, layers: 1, seqLength: 50, batchSize: 16, optimizer: 'adam', learningRate: 0.005, clipValue: 5, clipNorm: 0, lrSchedule: 'constant' },
  }),
]);

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

/** A preset as `char-rnn presets --json` prints it: `{name, description, ...settings}`. */
export function presetJson(p: Preset): Record<string, unknown> {
  return { name: p.name, label: p.label, description: p.description, ...p.settings };
}

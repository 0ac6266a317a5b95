// The char-rnn command line: train, presets, sample, eval, inspect, inspect-text, copies, export and import over one engine.
import '../training/relaxed-simd.js'; // first: before any kernel module compiles
import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { CELL_TYPES, OPTIMIZERS, SEED_MODEL, SEED_TRAINING } from '../../core/config.js';
import { exportCommand, importCommand } from './convert.js';
import { evalCommand } from './eval.js';
import { reportFailure, UsageError } from './fail.js';
import { inspectCommand } from './inspect.js';
import { inspectTextCommand } from './inspect-text.js';
import { copiesCommand } from './copies.js';
import { handleClosedOutputs, processIo as io } from './io.js';
import { userPath } from './paths.js';
import { sampleCommand } from './sample.js';
import { presetsCommand } from './presets.js';
import { PRESETS } from '../../core/presets.js';
import { trainCommand } from './train.js';
import { RUN_DEFAULTS } from '../contract/defaults.js';
import { isShardWorkerThread, runShardLoop } from '../training/pool/shard-loop.js';

/** `fromFile`: import's defaults are the safetensors file's own settings (its metadata) when it has them. */
function trainingOptions(command: Command, fromFile = false): Command {
  const t = SEED_TRAINING;
  const byDefault = (value: string | number) => (fromFile ? `(default: the file's metadata, else ${value})` : `(default ${value})`);
  return command
    .option('--seq-length <n>', `characters per BPTT window ${byDefault(t.seqLength)}`)
    .option('--batch <n>', `parallel streams over the corpus ${byDefault(t.batchSize)}`)
    .option('--optimizer <name>', `${OPTIMIZERS.join(' | ')} ${byDefault(t.optimizer)}`)
    .option('--lr <rate>', `learning rate ${byDefault(t.learningRate)}`)
    .option('--clip <value>', `clip each gradient element to ±value, 0 = off ${byDefault(t.clipValue)}`)
    .option('--clip-norm <norm>', `clip the gradient's global L2 norm, 0 = off ${byDefault(t.clipNorm)}`)
    .option('--val-fraction <f>', `last fraction of the text held out for validation ${byDefault(t.valFraction)}`)
    .option('--seed <n>', `seed of the initialisation and every training draw ${byDefault(t.seed)}`)
    .option('--dropout <p>', `drop this fraction of each layer's outputs while training, 0 = off ${byDefault(t.dropout)}`)
    .option('--ema <decay>', 'validate, keep, sample and export a moving average of the weights with this decay, ' +
      `e.g. 0.999; 0 = off ${byDefault(t.ema)}`);
}

/** The package's version; esbuild inlines package.json into the bundle. */
const VERSION: string = packageJson.version;

function optionalPath(path: string | undefined): string | undefined {
  return path === undefined ? undefined : userPath(path);
}

function buildProgram(): Command {
  const program = new Command('char-rnn')
    .description('Train character-level RNN, LSTM and GRU language models on a text file, and sample from them.')
    .exitOverride()
    .configureOutput({ outputError: () => {} }) // errors are printed once, as one line, by main()
    .showSuggestionAfterError(true)
    .version(VERSION, '-V, --version', 'print the version and exit');

  trainingOptions(program.command('train')
    .description('train a model on CORPUS (a UTF-8 text file), or continue one with --resume')
    .argument('<CORPUS>', 'UTF-8 text file to learn from')
    .option('--model <type>', `${CELL_TYPES.join(' | ')} (default ${SEED_MODEL.cell})`)
    .option('--hidden <n>', `hidden units per layer (default ${SEED_MODEL.hiddenSize})`)
    .option('--layers <n>', `stacked recurrent layers (default ${SEED_MODEL.layers})`))
    .option('--iterations <n>', 'stop at this TOTAL iteration count: a resumed checkpoint at 20000 with --iterations 30000 trains 10000 more (the app\'s "stop after N iterations" means the same)')
    .option('--seconds <s>', 'stop after this many seconds (with --iterations: whichever comes first)')
    .option('--out <file>', 'save the checkpoint here at the end, on Ctrl-C and with --save-every')
    .option('--force', 'replace an existing checkpoint at --out that is not this run\'s --resume (other files are never replaced)')
    .option('--save-every <n>', 'also save every n iterations (default 0 = only at the end)')
    .option('--resume <checkpoint>', 'continue training this checkpoint on CORPUS; --lr, --clip, --clip-norm, --seq-length, ' +
      '--val-fraction, --dropout and --ema may change, the model, --batch, --optimizer and --seed stay the checkpoint\'s')
    .option('--sample-every <n>', `validation loss and a sample every n iterations, 0 = never (default ${RUN_DEFAULTS.sampleEvery})`)
    .option('--sample-length <n>', `characters per sample (default ${RUN_DEFAULTS.sampleLength})`)
    .option('--print-every <n>', 'a progress line every n iterations, 0 = only the last (default 100)')
    .option('--threads <n>', 'threads the batch\'s streams are split over (default: every core; more than --batch are clamped to it, with a note; ' +
      'a resumed run: the checkpoint\'s, which continues it bit for bit)')
    .option('--preset <name>', `start from a preset's model and optimisation (${PRESETS.map((p) => p.name).join(', ')}; ` +
      'see char-rnn presets), or auto: chosen for the text, the --seconds or --iterations and this machine\'s measured speed; ' +
      'flags given as well override its values')
    .option('--lr-schedule <kind>', 'constant | cosine: cosine warms up over the first 3% of the budget, then decays ' +
      'to 5% of --lr at the end of --seconds (else --iterations) (default constant)')
    .option('--best-out <file>', 'also save the model of the best validation loss here (validation must be on)')
    .option('--json', 'one JSON object per progress or sample line, nothing else on stdout')
    .action((corpus: string, flags) => trainCommand(userPath(corpus),
      { ...flags, out: optionalPath(flags.out), resume: optionalPath(flags.resume), bestOut: optionalPath(flags.bestOut) }, io));

  program.command('presets')
    .description('list the presets train --preset takes (the app\'s form offers the same ones)')
    .option('--json', 'print a JSON array of {name, description, ...settings}')
    .action((flags: { json?: boolean }) => presetsCommand(flags, io));

  program.command('sample')
    .description('generate text from a checkpoint (prime + text alone on stdout)')
    .argument('<CHECKPOINT>', 'checkpoint file')
    .option('--length <n>', 'characters to generate after the prime (default 200)')
    .option('--prime <text>', 'text fed to the model first, printed before the sample')
    .option('--temperature <t>', 'divide the logits by t: lower is more conservative (default 1)')
    .option('--top-k <k>', 'draw only among the k most likely characters, 0 = all (default 0)')
    .option('--argmax', 'always take the most likely character')
    .option('--seed <n>', 'the sampler\'s seed: the same seed gives the same text (default: random)')
    .option('--drop-unknown', 'leave prime characters the model does not know out instead of refusing')
    .action((checkpoint: string, flags) => sampleCommand(userPath(checkpoint), flags, io));

  program.command('eval')
    .description('mean cross-entropy of each next character of TEXTFILE (nats and bits per char)')
    .argument('<CHECKPOINT>', 'checkpoint file')
    .argument('<TEXTFILE>', 'UTF-8 text file to score')
    .option('--skip-unknown', 'leave out characters the model does not know (real held-out text often has some) instead of refusing; says how many')
    .option('--json', 'print {"characters","natsPerChar","bitsPerChar","skipped"}')
    .action((checkpoint: string, text: string, flags) => evalCommand(userPath(checkpoint), userPath(text), flags, io));

  program.command('inspect')
    .description('show what a checkpoint holds: model, sizes, vocabulary, progress, losses, settings; or a safetensors file\'s metadata and tensors')
    .argument('<CHECKPOINT>', 'checkpoint or safetensors file')
    .option('--json', 'print the summary as one JSON object')
    .action((checkpoint: string, flags) => inspectCommand(userPath(checkpoint), flags, io));

  program.command('inspect-text')
    .description('per-character surprisal of TEXTFILE under a checkpoint, with the characters it expected (and --unit activations)')
    .argument('<CHECKPOINT>', 'checkpoint file')
    .argument('<TEXTFILE>', 'UTF-8 text file to score')
    .option('--unit <L:N>', 'also print the activation of unit N of layer L after each character')
    .option('--state <h|c>', 'with --unit on an lstm: its output h (default) or its cell state c')
    .option('--top <k>', 'predictions shown per character (default 5)')
    .option('--skip-unknown', 'leave out characters the model does not know instead of refusing (their surprisal: null); says how many')
    .option('--json', 'print {"chars": [{"char","surprisalNats","top": [{"char","p"}]}], "meanNats", "meanBits"}')
    .action((checkpoint: string, text: string, flags) => inspectTextCommand(userPath(checkpoint), userPath(text), flags, io));

  program.command('copies')
    .description('spans of SAMPLE that occur verbatim in CORPUS: what a model copied rather than generated')
    .argument('<SAMPLE>', 'text file with the sample')
    .argument('<CORPUS>', 'the training text')
    .option('--min-length <n>', 'shortest span reported, in characters (default 20, at least 12)')
    .option('--json', 'print {"spans": [{"start","length","corpusOffset"}], "copiedFraction", "longest"}')
    .action((sample: string, corpus: string, flags) => copiesCommand(userPath(sample), userPath(corpus), flags, io));

  program.command('export')
    .description('write a checkpoint as OUT\'s extension says: .ckpt, .safetensors (numpy, PyTorch), .html (a web page ' +
      'that samples the model offline) or .onnx (onnxruntime); see docs/sharing.md')
    .argument('<CHECKPOINT>', 'checkpoint file')
    .argument('<OUT>', 'file to write: model.ckpt, model.safetensors, model.html or model.onnx')
    .option('--format <format>', 'ckpt, safetensors, html or onnx, whatever OUT\'s extension')
    .option('--name <name>', 'the model\'s name on the web page and in the ONNX graph (default: OUT\'s name without extension)')
    .option('--text-name <name>', 'the training text\'s name the web page shows (a checkpoint does not record it)')
    .option('--force', 'replace an existing model file at OUT: a checkpoint, safetensors, or a page or ONNX file char-rnn wrote (other files are never replaced)')
    .action((checkpoint: string, out: string, flags) => exportCommand(userPath(checkpoint), userPath(out), flags, io));

  trainingOptions(program.command('import')
    .description('make a checkpoint from a safetensors file: sample, evaluate or train it further (fresh optimizer state); ' +
      'the training settings are the file\'s own (its metadata, as export writes it) unless a flag says otherwise')
    .argument('<IN>', 'safetensors file')
    .argument('<OUT>', 'checkpoint file to write'), true)
    .option('--force', 'replace an existing checkpoint or safetensors file at OUT (other files are never replaced)')
    .action((input: string, out: string, flags) => importCommand(userPath(input), userPath(out), flags, io));

  return program;
}

async function main(argv: string[]): Promise<number> {
  handleClosedOutputs();
  try {
    if (argv.length === 0) throw new UsageError('missing command: train, presets, sample, eval, inspect, inspect-text, copies, export or import (see char-rnn --help).');
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.help' || code === 'commander.version') return 0;
    return reportFailure(e, (s) => process.stderr.write(s), process.env.CHAR_RNN_DEBUG === '1');
  }
}

// The bundle is also the training pool's thread entry: in such a thread, run the shard loop instead.
if (isShardWorkerThread()) runShardLoop();
else main(process.argv.slice(2)).then((code) => { process.exitCode = code; });

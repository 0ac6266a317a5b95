// The honest quality bench: each text split three ways, as a person with a text would: the CLI trains on the
// first 90% (minus its own validation part, `--val-fraction`, which selects the best model: `--best-out`), and
// the last 10%, which neither trained nor chose the model, is scored once with `char-rnn eval --skip-unknown`.
// Every run is the CLI's real path (bin/char-rnn.js, one child process per run), one at a time.
//
//   npm run bench:quality -- [--seconds 60] [--texts kafka-story,gpl-3] [--presets gru-128-cosine,auto] [--seeds 3] [--threads 1]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BENCH_TEXTS, findBenchText } from './quality-texts.js';
import { torchPython } from './torch.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(root, 'bin/char-rnn.js');

export interface QualityOptions {
  seconds: number;
  texts: string[];
  presets: string[];
  seeds: number;
  threads: number;
}

export interface QualityRun {
  seed: number;
  heldOutNats: number;      // the score part, never seen: eval --skip-unknown of the --best-out model
  bestIteration: number;
  skipped: number;          // characters of the score part the model's vocabulary lacks
  load: number;             // the 1-minute load average when the run started
  setting: string;          // what the run trained: the CLI's first line (Auto's choice, or the model and its settings)
}

export interface QualityRow {
  text: string;
  preset: string;
  runs: QualityRun[];
  error?: string;
}

/** The rival's row name: PyTorch's GRU 256 under the same protocol and clock (bench/torch_quality.py). */
export const TORCH_RIVAL = 'torch-gru-256';

export const DEFAULT_QUALITY: QualityOptions = {
  seconds: 60, texts: ['kafka-story', 'gpl-3', 'licenses', 'python-1m', 'fortunes'], presets: ['gru-128-cosine', 'gru-128-batch-16', 'auto', TORCH_RIVAL], seeds: 3, threads: 1,
};

/** The first 90% (training, with the run's own validation inside) and the last 10% (scored), by characters. */
export function splitForScoring(text: string): { train: string; score: string } {
  const chars = [...text];
  const cut = Math.floor(chars.length * 0.9);
  return { train: chars.slice(0, cut).join(''), score: chars.slice(cut).join('') };
}

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

const lastLine = (s: string) => s.trim().split('\n').pop() ?? '';

const torchScript = fileURLToPath(new URL('./torch_quality.py', import.meta.url));

function runTorch(dir: string, seed: number, o: QualityOptions): QualityRun | string {
  const py = torchPython();
  if (!py) return 'no python3 here imports torch (see ../shared/TOOLCHAIN.md)';
  const load = loadavg()[0];
  // one torch thread (its best here) and as many BLAS threads as the engine's runs get (--threads)
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(o.threads) };
  const r = spawnSync(py, [torchScript, join(dir, 'train.txt'), join(dir, 'score.txt'), String(o.seconds), String(seed)], { encoding: 'utf8', env });
  if (r.status !== 0) return `pytorch: ${lastLine(r.stderr)}`;
  const result = JSON.parse(lastLine(r.stdout)) as { natsPerChar: number; skipped: number; bestIteration: number };
  return { seed, heldOutNats: result.natsPerChar, bestIteration: result.bestIteration, skipped: result.skipped, load, setting: 'PyTorch GRU 256, b32, seq 50, Adam 2e-3' };
}

function runOnce(dir: string, preset: string, seed: number, o: QualityOptions): QualityRun | string {
  if (preset === TORCH_RIVAL) return runTorch(dir, seed, o);
  const best = join(dir, `best-${seed}.ckpt`);
  const load = loadavg()[0];
  // "NAME" or "NAME:--flag value ...": a preset with flags over it (a setting tried against the presets)
  const [name, ...extra] = preset.split(/[: ]+/);
  const train = cli(['train', join(dir, 'train.txt'), '--preset', name, ...extra, '--seconds', String(o.seconds), '--seed', String(seed),
    '--threads', String(o.threads), '--best-out', best, '--print-every', '0', '--sample-length', '0', '--force']);
  if (train.code !== 0) return `train: ${lastLine(train.stderr)}`;
  const at = /saved the best model to .* \(iteration (\d+),/.exec(train.stderr);
  const score = cli(['eval', best, join(dir, 'score.txt'), '--skip-unknown', '--json']);
  if (score.code !== 0) return `eval: ${lastLine(score.stderr)}`;
  const result = JSON.parse(lastLine(score.stdout)) as { natsPerChar: number; skipped: number };
  const setting = /^auto: .*→ (GRU \d+, [^(]*?cosine)/m.exec(train.stderr)?.[1] ?? /^training: (\w+, hidden \d+)/m.exec(train.stderr)?.[1] ?? '';
  return { seed, heldOutNats: result.natsPerChar, bestIteration: at ? Number(at[1]) : -1, skipped: result.skipped, load, setting };
}

/** Every text × preset × seed, one run at a time; `progress` hears each row as it completes. */
export function runQualityBench(o: QualityOptions, progress: (line: string) => void = () => {}): QualityRow[] {
  const build = spawnSync('npm', ['run', '-s', 'build:cli'], { cwd: root, encoding: 'utf8' }); // the bundle users run, from this source
  if (build.status !== 0) throw new Error(`npm run build:cli failed: ${build.stderr}`);
  const rows: QualityRow[] = [];
  for (const name of o.texts) {
    const spec = findBenchText(name);
    if (!spec) { progress(`quality: no text named ${name} (${BENCH_TEXTS.map((t) => t.name).join(', ')})`); continue; }
    const built = spec.build();
    if ('missing' in built) { progress(`quality: ${name} skipped: ${built.missing}`); continue; }
    const dir = mkdtempSync(join(tmpdir(), `char-rnn-quality-${name}-`));
    try {
      const { train, score } = splitForScoring(built.text);
      writeFileSync(join(dir, 'train.txt'), train);
      writeFileSync(join(dir, 'score.txt'), score);
      progress(`quality: ${name} (${spec.kind}; ${spec.source}): ${[...train].length.toLocaleString('en-US')} chars to train and select on, ` +
        `${[...score].length.toLocaleString('en-US')} to score`);
      for (const preset of o.presets) {
        if (preset === TORCH_RIVAL && !torchPython()) { progress(`quality: ${TORCH_RIVAL} skipped: no python3 here imports torch (../shared/TOOLCHAIN.md)`); continue; }
        const row: QualityRow = { text: name, preset, runs: [] };
        for (let seed = 1; seed <= o.seeds && !row.error; seed++) {
          const r = runOnce(dir, preset, seed, o);
          if (typeof r === 'string') row.error = r; else row.runs.push(r);
        }
        rows.push(row);
        progress(formatRow(row));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function qualityHeader(o: QualityOptions): string {
  return `Honest quality (${o.seconds} s a run, ${o.seeds} seeds, --threads ${o.threads}; train on the first 90% of each text, ` +
    'the run\'s validation inside it chooses the --best-out model, the last 10% is held out and scored once with eval --skip-unknown)\n' +
    'text'.padEnd(13) + 'preset'.padEnd(18) + 'held-out mean'.padStart(14) + '  min–max (spread)'.padEnd(27) + 'best iters'.padEnd(22) + 'load';
}

export function formatRow(row: QualityRow): string {
  const head = row.text.padEnd(13) + row.preset.padEnd(18);
  if (row.runs.length === 0) return head + `failed: ${row.error}`;
  const nats = row.runs.map((r) => r.heldOutNats), lo = Math.min(...nats), hi = Math.max(...nats);
  return head + mean(nats).toFixed(4).padStart(14) + `  ${lo.toFixed(4)}–${hi.toFixed(4)} (${(hi - lo).toFixed(4)})`.padEnd(27) +
    row.runs.map((r) => r.bestIteration).join(', ').padEnd(22) + row.runs.map((r) => r.load.toFixed(1)).join(', ') +
    (row.runs[0].skipped > 0 ? `  (${row.runs[0].skipped} unknown chars skipped)` : '') + (row.error ? `  then failed: ${row.error}` : '') +
    (row.preset.startsWith('auto') ? `  [${[...new Set(row.runs.map((r) => r.setting))].join('; ')}]` : '');
}

function parseArgs(argv: string[]): QualityOptions {
  const o: QualityOptions = { ...DEFAULT_QUALITY };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ''];
    if (flag === '--seconds') o.seconds = Number(value);
    else if (flag === '--texts') o.texts = value.split(',');
    else if (flag === '--presets') o.presets = value.split(',');
    else if (flag === '--seeds') o.seeds = Number(value);
    else if (flag === '--threads') o.threads = Number(value);
    else throw new Error(`bench:quality: unknown option ${flag} (--seconds, --texts, --presets, --seeds, --threads)`);
  }
  return o;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const o = parseArgs(process.argv.slice(2));
  console.log(qualityHeader(o));
  const rows = runQualityBench(o, (line) => console.log(line));
  console.log(JSON.stringify(rows));
}

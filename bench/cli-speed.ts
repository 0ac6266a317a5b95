// Training speed on the path users run: `char-rnn train` (the bundle, dist/cli/char-rnn.cjs) with default
// threads, `--val-fraction 0 --sample-every 0`, for a time budget. chars/s = iterations × seq 25 × batch / seconds,
// the seconds being the run's own budget (its clock starts after the corpus is read and the pool is up).
// CPU seconds of the whole process come from GNU time where it is installed.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { CellType } from '../core/config.js';
import { flopsPerChar, type SpeedResult } from './train-speed.js';

export interface CliModel {
  cell: CellType;
  hidden: number;
  layers: number;
  batch: number;
  lr: number;
  threads?: number; // --threads; default: the CLI's own (every core, at most the batch)
}

export interface CliSpeedResult extends SpeedResult {
  /** What the run's first line says of its threads and kernels ("2 threads, wasm-relaxed-simd kernels"). */
  setting: string;
}

/** Builds the bundle once (as `npm run char-rnn` does); null when it builds, else why not. */
export function buildCli(root: string): string | null {
  const r = spawnSync('npm', ['run', '-s', 'build:cli'], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? null : `npm run build:cli failed: ${(r.stderr || '').trim().split('\n').pop()}`;
}

export function benchCli(root: string, corpus: string, seconds: number, m: CliModel, vocabSize: number): CliSpeedResult | null {
  const args = [join(root, 'dist/cli/char-rnn.cjs'), 'train', corpus, '--model', m.cell, '--hidden', String(m.hidden),
    '--layers', String(m.layers), '--batch', String(m.batch), '--lr', String(m.lr), '--seconds', String(seconds),
    '--val-fraction', '0', '--sample-every', '0', '--print-every', '0', '--json', ...(m.threads ? ['--threads', String(m.threads)] : [])];
  const timed = existsSync('/usr/bin/time');
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', 'CPU_SECONDS=%U %S', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const last = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || !last) {
    console.error(`bench: the CLI ${m.cell} row did not run (${(r.stderr || '').trim().split('\n').pop()})`);
    return null;
  }
  const report = JSON.parse(last) as { iter: number; smoothLoss: number };
  const first = r.stderr.split('\n').find((l) => l.startsWith('training:')) ?? '';
  const setting = /batch \d+, ([^;]+);/.exec(first)?.[1] ?? '?';
  const chars = report.iter * 25 * m.batch, charsPerS = chars / seconds;
  const cpu = /CPU_SECONDS=([\d.]+) ([\d.]+)/.exec(r.stderr);
  const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : null;
  const model = { cell: m.cell, hiddenSize: m.hidden, layers: m.layers, vocabSize };
  return {
    system: `char-rnn train ${m.cell}${m.layers > 1 ? ` x${m.layers}` : ''} h${m.hidden} batch ${m.batch}`,
    setting,
    iterations: report.iter,
    seconds,
    chars_per_s: Math.round(charsPerS),
    smooth_loss_per_char: Math.round(report.smoothLoss * 1e4) / 1e4,
    gflops: Math.round((charsPerS * flopsPerChar(model)) / 1e7) / 100,
    ...(cpuSeconds ? { cpu_chars_per_s: Math.round(chars / cpuSeconds) } : {}),
  };
}

// The divergence guard's false-alarm matrix (issue 17, finding 6): the seed's configuration on real texts
// of several kinds, cut to 30-100 KB from files on this machine, at --sample-every 50/100/250/1000. A
// healthy run must never stop with "Training diverged"; the exploding cases (an LSTM with Adam at lr 10,
// the suite's own) must still stop. Prints a Markdown table and the counts; exits 1 on a false alarm or
// an explosion that was let through. Long (about 40 runs): run by hand, not in `npm test`.
//   node bench/false-alarms.mjs [--iterations 3000] [--keep DIR]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const iterations = flag('--iterations', '3000');
const keep = flag('--keep', null);
const dir = keep ?? mkdtempSync(join(tmpdir(), 'char-rnn-false-alarms-'));
mkdirSync(dir, { recursive: true });
const ENTRY = resolve('main/cli/index.ts');

/** [name, how to read it, bytes kept from `from`]: texts of several kinds (prose, licence, code, roff, changelog). */
const SOURCES = [
  ['kafka-40k', () => readFileSync('../shared/corpora/kafka-story.txt'), 0, 40_000],
  ['gpl-3', () => readFileSync('/usr/share/common-licenses/GPL-3'), 0, 35_000],
  ['gfdl-1.3+lgpl-2.1', () => Buffer.concat([readFileSync('/usr/share/common-licenses/GFDL-1.3'), readFileSync('/usr/share/common-licenses/LGPL-2.1')]), 0, 45_000],
  ['argparse.py', () => readFileSync('/usr/lib/python3.11/argparse.py'), 0, 60_000],
  ['datetime.py (middle)', () => readFileSync('/usr/lib/python3.11/datetime.py'), 30_000, 50_000],
  ['bash.1 (roff)', () => execFileSync('zcat', ['/usr/share/man/man1/bash.1.gz'], { maxBuffer: 1 << 26 }), 100_000, 70_000],
  ['curl.1 (roff)', () => execFileSync('zcat', ['/usr/share/man/man1/curl.1.gz'], { maxBuffer: 1 << 26 }), 0, 30_000],
  ['xserver changelog', () => execFileSync('zcat', ['/usr/share/doc/xserver-common/changelog.gz'], { maxBuffer: 1 << 26 }), 0, 100_000],
  ['tarfile.py', () => readFileSync('/usr/lib/python3.11/tarfile.py'), 20_000, 35_000],
];
const CADENCES = [50, 100, 250, 1000];

function cut(name, read, from, bytes) {
  const data = read().subarray(from, from + bytes);
  // cut at a line end so no character is split
  const end = data.lastIndexOf(0x0a) + 1 || data.length;
  const path = join(dir, `${name.replace(/[^a-z0-9.+-]+/gi, '_')}.txt`);
  writeFileSync(path, data.subarray(0, end));
  return { name, path, bytes: end };
}

function train(corpus, extra) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, 'train', corpus, '--print-every', '0', '--sample-length', '0', ...extra],
    { encoding: 'utf8' });
  const diverged = /Training diverged/.test(r.stderr);
  const best = r.stderr.match(/best validation loss ([\d.]+)/)?.[1] ?? '—';
  const last = r.stdout.trimEnd().split('\n').at(-1)?.match(/loss ([\d.]+)/)?.[1] ?? '—';
  return { code: r.status, diverged, best, last, stderr: r.stderr };
}

const texts = SOURCES.filter(([name, read]) => { try { read(); return true; } catch { console.error(`skipped ${name}: not on this machine`); return false; } })
  .map(([name, read, from, bytes]) => cut(name, read, from, bytes));
console.log(`false-alarm matrix: ${texts.length} texts × --sample-every ${CADENCES.join('/')}, the seed's configuration, --iterations ${iterations}; load ${readFileSync('/proc/loadavg', 'utf8').trim()}\n`);
console.log(`| text | KB | ${CADENCES.map((c) => `every ${c}`).join(' | ')} |`);
console.log(`|---|---|${CADENCES.map(() => '---').join('|')}|`);
let runs = 0, falseAlarms = 0;
for (const text of texts) {
  const cells = [];
  for (const every of CADENCES) {
    const r = train(text.path, ['--iterations', iterations, '--sample-every', String(every)]);
    runs++;
    if (r.diverged || r.code !== 0) { falseAlarms++; console.error(`${text.name} every ${every}: ${r.stderr.trim().split('\n').at(-1)}`); }
    cells.push(r.diverged ? `**stopped** (${r.stderr.match(/diverged at iteration (\d+)/)?.[1]})` : r.code !== 0 ? `exit ${r.code}` : `ok, best val ${r.best}`);
  }
  console.log(`| ${text.name} | ${(text.bytes / 1000).toFixed(0)} | ${cells.join(' | ')} |`);
}

// the explosions that must still stop: the suite's LSTM with Adam at lr 10 and no clipping
const exploding = [['lstm adam lr 10, clip 0', ['--model', 'lstm', '--hidden', '32', '--optimizer', 'adam', '--lr', '10', '--clip', '0', '--seq-length', '25', '--iterations', '600', '--sample-every', '50']]];
let stopped = 0, explosions = 0;
for (const [name, extra] of exploding) {
  for (const text of texts.slice(0, 3)) {
    const r = train(text.path, extra);
    explosions++;
    if (r.diverged) stopped++;
    else console.error(`${name} on ${text.name} did not stop: ${r.stderr.trim().split('\n').at(-1)}`);
  }
}
console.log(`\nfalse alarms: ${falseAlarms} of ${runs} healthy runs stopped; explosions stopped: ${stopped} of ${explosions}`);
if (!keep) rmSync(dir, { recursive: true, force: true });
process.exitCode = falseAlarms === 0 && stopped === explosions ? 0 : 1;

// The security gate of npm test: run @doyensec/electronegativity over the app's sources and fail on any
// HIGH or MEDIUM finding that docs/security.md does not list with its reason. Electronegativity always
// exits 0, so the gate reads its CSV. Usage: node scripts/security-gate.mjs [--csv findings.csv] [--doc security.md]
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GATED = new Set(['HIGH', 'MEDIUM']);

/** One CSV line of electronegativity's report, split on commas outside quotes. */
function splitCsvLine(line) {
  const cells = [];
  let cell = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      if (quoted && line[i + 1] === '"') { cell += '"'; i++; } else quoted = !quoted;
    } else if (c === ',' && !quoted) {
      cells.push(cell.trim()); cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** Findings from the CSV: {check, severity, confidence, file, location, description}. */
export function parseFindings(csv) {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines.slice(1).map((line) => {
    const [check, severity, confidence, file, location, , description] = splitCsvLine(line);
    return { check, severity, confidence, file: file.replace(/\\/g, '/'), location, description };
  });
}

/**
 * The accepted findings of docs/security.md: lines "- accepted: `CHECK` in `file`: reason" (file "N/A"
 * for a finding about the whole app). A reason is required; a line without one accepts nothing.
 */
export function parseAccepted(markdown) {
  const accepted = [];
  for (const m of markdown.matchAll(/^- accepted: `([A-Z0-9_]+)` in `([^`]+)`: *(.*)$/gm)) {
    if (m[3].trim().length >= 10) accepted.push({ check: m[1], file: m[2], reason: m[3].trim() });
  }
  return accepted;
}

/** The gated findings (HIGH, MEDIUM) that no accepted line covers. */
export function unlistedFindings(findings, accepted) {
  return findings.filter((f) => GATED.has(f.severity.toUpperCase()) &&
    !accepted.some((a) => a.check === f.check && a.file === f.file));
}

/** Run electronegativity over a copy of main/ and renderer/ with package.json; return the CSV text. */
export async function scan() {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@doyensec/electronegativity/dist/runner.js'));
  const work = mkdtempSync(join(tmpdir(), 'char-rnn-electronegativity-'));
  try {
    const input = join(work, 'app');
    cpSync(join(ROOT, 'main'), join(input, 'main'), { recursive: true });
    cpSync(join(ROOT, 'renderer'), join(input, 'renderer'), { recursive: true, filter: (p) => !p.includes('node_modules') });
    cpSync(join(ROOT, 'package.json'), join(input, 'package.json'));
    const i18n = require(join(dist, 'locales/i18n.js'));
    await (i18n.default ?? i18n)();
    const run = require(join(dist, 'runner.js'));
    const electronVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;
    const output = join(work, 'findings.csv');
    // its CLI cannot start next to commander 14 (it assumes commander 2's API), so the runner is called directly
    const result = await (run.default ?? run)({
      input, output, isSarif: false, customScan: [], excludeFromScan: [], severitySet: undefined, confidenceSet: undefined,
      isRelative: true, isVerbose: false, electronUpgrade: undefined, electronVersionOverride: electronVersion, parserPlugins: [],
    }, false);
    // it writes the CSV with callbacks it does not wait for: wait for the header and one line per issue
    const expected = (result?.issues?.length ?? 0) + 1;
    for (let tries = 0; ; tries++) {
      const csv = existsSync(output) ? readFileSync(output, 'utf8') : '';
      if (csv.startsWith('issue,') && csv.split(/\r?\n/).filter((l) => l.trim() !== '').length === expected) return csv;
      if (tries > 200) throw new Error('electronegativity wrote no complete CSV report');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(args) {
  const csvArg = args.indexOf('--csv');
  const docArg = args.indexOf('--doc');
  const doc = readFileSync(docArg >= 0 ? args[docArg + 1] : join(ROOT, 'docs/security.md'), 'utf8');
  const csv = csvArg >= 0 ? readFileSync(args[csvArg + 1], 'utf8') : await scan();
  const findings = parseFindings(csv);
  const accepted = parseAccepted(doc);
  const gated = findings.filter((f) => GATED.has(f.severity.toUpperCase()));
  const unlisted = unlistedFindings(findings, accepted);
  for (const f of gated) {
    const ok = !unlisted.includes(f);
    console.log(`${ok ? 'listed  ' : 'UNLISTED'} ${f.severity} ${f.check} in ${f.file} at ${f.location}: ${f.description}`);
  }
  console.log(`electronegativity: ${findings.length} finding(s), ${gated.length} HIGH or MEDIUM, ${gated.length - unlisted.length} listed with a reason in docs/security.md, ${unlisted.length} not`);
  if (unlisted.length > 0) {
    console.log('Each HIGH or MEDIUM finding is fixed, or listed in docs/security.md as "- accepted: `CHECK` in `file`: reason".');
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`security gate: ${e.message}`);
    process.exitCode = 1;
  });
}

// npm test: every suite in turn — typecheck (the whole tree, and core alone), the layer check, the security gate, unit and integration, renderer check and build,
// end-to-end in Chromium, the Electron app (skipped where no Electron binary exists) — then one
// closing line "N passed, N failed, N skipped" summed over all of them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, cmd, args, opts = {}) {
  console.log(`\n=== ${label}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...opts.env } });
  if (opts.capture) process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) failures.push(`${label} exited ${r.status ?? r.signal}`);
  return r;
}

/** A step that is not a test suite still counts: it passes or fails as one check. */
function check(label, cmd, args) {
  const r = run(label, cmd, args);
  if (r.status === 0) totals.passed++;
  else totals.failed++;
  return r.status === 0;
}

/** Read a runner's own plain closing line "N passed, N failed[, N skipped]". */
function addPlainLine(label, output, status) {
  const m = [...output.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
  if (!m) {
    totals.failed++;
    failures.push(`${label} printed no "N passed, N failed" line`);
    return;
  }
  totals.passed += Number(m[1]);
  totals.failed += Number(m[2]);
  totals.skipped += Number(m[3] ?? 0);
  if (status !== 0 && Number(m[2]) === 0) totals.failed++;
}

/** Node 20's --test takes no globs: list the *.test.ts files under a folder ourselves. */
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.test.ts')).map((f) => join(dir, String(f))).sort();
}

const only = process.argv[2]; // optional: unit | e2e | electron (the Electron suite and the packaging check)
const want = (name) => !only || only === name;

if (want('unit')) {
  check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']);
  check('typecheck core alone (no Node types, no DOM)', 'npx', ['tsc', '-p', 'core/tsconfig.json']);
  check('typecheck the shared web page\'s script (DOM, no Node)', 'npx', ['tsc', '-p', 'share-page/tsconfig.json']);
  check('layer check (dependency-cruiser, .dependency-cruiser.cjs)', process.execPath, ['scripts/check-layers.mjs']);
  check('security gate (electronegativity; findings not listed in docs/security.md fail)', process.execPath, ['scripts/security-gate.mjs']);
  const dir = mkdtempSync(join(tmpdir(), 'char-rnn-test-'));
  const countsFile = join(dir, 'counts.json');
  const r = run('unit and integration tests', process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./test/helpers/count-reporter.mjs', `--test-reporter-destination=${countsFile}`,
    ...testFiles('test/unit'), ...testFiles('test/integration'),
  ]);
  try {
    const c = JSON.parse(readFileSync(countsFile, 'utf8'));
    totals.passed += c.pass ?? 0;
    totals.failed += (c.fail ?? 0) + (c.cancelled ?? 0);
    totals.skipped += (c.skipped ?? 0) + (c.todo ?? 0);
    if (r.status !== 0 && !c.fail) totals.failed++;
  } catch {
    totals.failed++;
    failures.push('unit and integration tests wrote no counts');
  }
  rmSync(dir, { recursive: true, force: true });
}

if (want('e2e')) {
  check('renderer type check (svelte-check)', 'npm', ['run', '-s', 'check:renderer']);
  const built = check('build the renderer and the Electron bundles', 'sh', ['-c', 'npm run -s build:renderer && npm run -s build:main']);
  if (built) {
    const r = run('end-to-end tests in Chromium', 'npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts'], { capture: true });
    addPlainLine('end-to-end tests', r.stdout ?? '', r.status);
  }
}

if (want('electron')) {
  // Runs the packaged app's _electron suite wherever an Electron binary exists; prints why it skipped otherwise.
  const xvfb = !process.env.DISPLAY && spawnSync('sh', ['-c', 'command -v xvfb-run']).status === 0;
  const args = ['playwright', 'test', '-c', 'test/electron/playwright.config.ts'];
  const r = xvfb ? run('Electron app tests', 'xvfb-run', ['-a', 'npx', ...args], { capture: true })
                 : run('Electron app tests', 'npx', args, { capture: true });
  addPlainLine('Electron app tests', r.stdout ?? '', r.status);
  const p = run('packaging check', process.execPath, ['test/packaging/check-packaging.mjs'], { capture: true });
  addPlainLine('packaging check', p.stdout ?? '', p.status);
}

console.log('\n=== summary');
for (const f of failures) console.log(`- ${f}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || failures.length > 0 ? 1 : 0);

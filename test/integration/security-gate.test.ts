// The electronegativity gate of npm test (scripts/security-gate.mjs): a HIGH or MEDIUM finding that
// docs/security.md does not list with a reason fails the run; listed ones, and LOW ones, do not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { tempFolder } from './shell-support.js';

const HEADER = 'issue, severity, confidence, filename, location, sample, description, url';
const row = (check: string, severity: string, file: string) =>
  `${check},"${severity}","FIRM","${file}","9:17","const window = new BrowserWindow({","A finding, with a comma",https://example.invalid/${check}`;

describe('security gate over electronegativity\'s CSV', () => {
  const folder = tempFolder('security-gate');
  after(() => folder.remove());
  const gate = (csvRows: string[], doc = readFileSync('docs/security.md', 'utf8')) => {
    const csv = join(folder.path, 'findings.csv');
    const md = join(folder.path, 'security.md');
    writeFileSync(csv, [HEADER, ...csvRows].join('\n') + '\n');
    writeFileSync(md, doc);
    const r = spawnSync(process.execPath, ['scripts/security-gate.mjs', '--csv', csv, '--doc', md], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  };

  test('an unlisted MEDIUM or HIGH finding fails the run and is named', () => {
    for (const severity of ['MEDIUM', 'HIGH']) {
      const r = gate([row('AUXCLICK_JS_CHECK', 'MEDIUM', 'main/electron/window.ts'), row('NODE_INTEGRATION_JS_CHECK', severity, 'main/electron/window.ts')]);
      assert.equal(r.status, 1, r.out);
      assert.match(r.out, new RegExp(`UNLISTED ${severity} NODE_INTEGRATION_JS_CHECK in main/electron/window.ts`));
      assert.match(r.out, /listed {3}MEDIUM AUXCLICK_JS_CHECK/);
      assert.match(r.out, /2 HIGH or MEDIUM, 1 listed with a reason in docs\/security.md, 1 not/);
    }
  });

  test('a code sample over several lines, with quotes and commas, is one finding', () => {
    const multi = 'SANDBOX_JS_CHECK,"HIGH","FIRM","main/electron/window.ts","9:17","new BrowserWindow({\n  webPreferences: { sandbox: false, x: ""y"" },\n})","Enable the sandbox",https://example.invalid/SANDBOX_JS_CHECK';
    const r = gate([multi, row('AUXCLICK_JS_CHECK', 'MEDIUM', 'main/electron/window.ts')]);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /UNLISTED HIGH SANDBOX_JS_CHECK in main\/electron\/window.ts at 9:17: Enable the sandbox/);
    assert.match(r.out, /2 finding\(s\), 2 HIGH or MEDIUM, 1 listed/);
  });

  test('a listed check in another file is not covered', () => {
    const r = gate([row('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'main/services/checkpoints.ts')]);
    assert.equal(r.status, 1, r.out);
  });

  test('listed findings and LOW or informational ones pass', () => {
    const r = gate([row('AUXCLICK_JS_CHECK', 'MEDIUM', 'main/electron/window.ts'), row('PRELOAD_JS_CHECK', 'MEDIUM', 'main/electron/window.ts'),
      row('SECURITY_WARNINGS_DISABLED_JS_CHECK', 'LOW', 'main/electron/window.ts'), row('DANGEROUS_FUNCTIONS_JS_CHECK', 'INFORMATIONAL', 'x.ts')]);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /2 HIGH or MEDIUM, 2 listed with a reason/);
  });

  test('a listing without a reason accepts nothing', () => {
    const doc = '- accepted: `AUXCLICK_JS_CHECK` in `main/electron/window.ts`:\n';
    const r = gate([row('AUXCLICK_JS_CHECK', 'MEDIUM', 'main/electron/window.ts')], doc);
    assert.equal(r.status, 1, r.out);
  });

  test('docs/security.md goes through Electron\'s checklist item by item', () => {
    const doc = readFileSync('docs/security.md', 'utf8');
    const items = [...doc.matchAll(/^\| (\d+) \| [^|]+ \| ([^|]+) \| ([^|]+) \|$/gm)];
    assert.deepEqual(items.map((m) => Number(m[1])), Array.from({ length: 20 }, (_, i) => i + 1));
    for (const m of items) assert.ok(m[2].trim().length > 20 && m[3].trim().length > 10, `item ${m[1]} says where and which test`);
  });
});

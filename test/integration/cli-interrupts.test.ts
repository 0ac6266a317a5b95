// Issue 17, finding 3-5: every interrupt saves or says so. Real signals (SIGINT, SIGTERM, SIGHUP) sent to
// a real CLI process at three moments: between training steps, while a save is being written (writes
// slowed by test/helpers/fs-fault-hook.mjs), and a second signal while the last save is being written
// (quit at once: the unfinished temporary file is removed and the run says what was not saved).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENTRY, generatedCorpus, loadCheckpoint, ok, runCli as runCliOf } from '../helpers/cli-run.js';
import { startCli, type LiveCli } from '../helpers/cli-process.js';

const runCli = (args: string[]) => runCliOf(args, { entry: ['--import', 'tsx', ENTRY] });
const FAULT_HOOK = resolve('test/helpers/fs-fault-hook.mjs');
const TINY = ['--hidden', '8', '--seq-length', '10', '--sample-every', '0'];
const SIGNALS = [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const;
/** The window in which a second copy of a signal counts as the same keypress (train-signals.ts): waited out, a lower bound. */
const DUPLICATE_WINDOW_MS = 1100;
let dir = '';
let corpus = '';
let cases = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-interrupts-'));
  corpus = join(dir, 'corpus.txt');
  await writeFile(corpus, generatedCorpus(4000));
});

after(async () => {
  console.log(`interrupts: ${cases} cases (3 signals × 3 moments), each a real signal to a real CLI process`);
  await rm(dir, { recursive: true, force: true });
});

/** Resolves once a temporary file of a save is in `folder` (the save is in progress). */
async function saveInProgress(folder: string, run: LiveCli): Promise<void> {
  for (;;) {
    if ((await readdir(folder)).some((n) => n.endsWith('.tmp'))) return;
    if (run.child.exitCode !== null) throw new Error(`the run ended before a save began: ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const slowWrites = (ms: number) => ({ nodeArgs: ['--import', FAULT_HOOK], env: { CHAR_RNN_FS_FAULT: JSON.stringify({ op: 'slow-write', match: '.tmp', ms }) } });

async function leftovers(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'));
}

describe('every interrupt saves or says', () => {
  for (const [signal, code] of SIGNALS) {
    test(`${signal} between steps saves --out and exits ${code}`, async () => {
      const folder = join(dir, `${signal}-steps`);
      await mkdir(folder);
      const out = join(folder, 'm.ckpt');
      const run = startCli(['train', corpus, ...TINY, '--print-every', '20', '--json', '--out', out]);
      await run.waitFor(/"iter"/, 'stdout');
      run.child.kill(signal);
      assert.equal(await run.exited, code, run.stderr());
      assert.match(run.stderr(), new RegExp(`${signal}: stopping after this step`));
      assert.ok((await loadCheckpoint(out)).iteration >= 20);
      assert.deepEqual(await leftovers(folder), []);
      cases++;
    });

    test(`${signal} while a save is being written: the save completes, --out is saved, exit ${code}`, async () => {
      const folder = join(dir, `${signal}-saving`);
      await mkdir(folder);
      const out = join(folder, 'm.ckpt');
      const run = startCli(['train', corpus, ...TINY, '--print-every', '0', '--save-every', '20', '--out', out], slowWrites(500));
      await saveInProgress(folder, run);
      run.child.kill(signal);
      assert.equal(await run.exited, code, run.stderr());
      assert.ok((await loadCheckpoint(out)).iteration >= 20);
      assert.deepEqual(await leftovers(folder), [], 'no temporary file or lock is left');
      cases++;
    });

    test(`a second ${signal} during the last save quits at once, removes its temporary file and says what was not saved`, async () => {
      const folder = join(dir, `${signal}-twice`);
      await mkdir(folder);
      const out = join(folder, 'm.ckpt');
      const run = startCli(['train', corpus, ...TINY, '--print-every', '20', '--json', '--out', out], slowWrites(4000));
      await run.waitFor(/"iter"/, 'stdout');
      run.child.kill(signal);
      await run.waitFor(/stopping after this step/);
      await new Promise((r) => setTimeout(r, DUPLICATE_WINDOW_MS));
      await saveInProgress(folder, run);
      run.child.kill(signal);
      assert.equal(await run.exited, code, run.stderr());
      const last = run.stderr().trimEnd().split('\n').at(-1)!;
      assert.match(last, new RegExp(`^${signal} again: quitting at once \\(removed the unfinished .*m\\.ckpt\\.\\d+\\.[0-9a-f]{8}\\.tmp\\); ` +
        'nothing was saved to .*m\\.ckpt \\(the run was at iteration \\d+'));
      assert.deepEqual(await readdir(folder), [], 'no checkpoint, no temporary file, no lock');
      cases++;
    });
  }

  test('a run without --out says at its start and at its end that nothing is saved, however it is bounded', async () => {
    const run = ok(await runCli(['train', corpus, ...TINY, '--print-every', '0', '--iterations', '5']), 'bounded, no --out');
    assert.match(run.stderr, /^no --out: nothing will be saved when this run stops/m);
    assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^no --out: the model \(iteration 5\) was not saved \(add --out FILE to keep it\)$/);
  });
});

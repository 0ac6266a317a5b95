// Issue 17, findings 1 and 2: --out and --best-out are re-checked at every write, not only at the start.
// A file that appears at the output or is changed by another program during a run is never replaced
// (the run goes to the rescue folder and says where); a second run on the same output refuses at its
// start (a lock beside the output); a stale lock is taken over; temporary files of a killed run are
// removed at the next write; a failed --best-out is rescued like --out, and a closing line always comes.
// Every case is two real processes: a real CLI run and the test acting on its files, or two CLI runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENTRY, generatedCorpus, loadCheckpoint, ok, runCli as runCliOf, type CliOptions } from '../helpers/cli-run.js';
import { deadPid, startCli } from '../helpers/cli-process.js';

const runCli = (args: string[], opts: CliOptions = {}) => runCliOf(args, { entry: ['--import', 'tsx', ENTRY], ...opts });
const TINY = ['--hidden', '8', '--seq-length', '10', '--print-every', '0', '--sample-every', '0'];
let dir = '';
let corpus = '';
let rescue = '';
const env = () => ({ CHAR_RNN_RESCUE_DIR: rescue });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'char-rnn-outputs-'));
  corpus = join(dir, 'corpus.txt');
  rescue = join(dir, 'rescue');
  await writeFile(corpus, generatedCorpus(4000));
});

after(() => rm(dir, { recursive: true, force: true }));

async function rescued(stem: string): Promise<string[]> {
  return (await readdir(rescue).catch(() => [] as string[])).filter((n) => n.startsWith(stem) && n.endsWith('.ckpt')).map((n) => join(rescue, n));
}

describe('finding 1: the output is re-checked at every write', () => {
  test('a file that appears at --out during the run is not replaced: the run goes to the rescue folder, saying where', async () => {
    const notes = join(dir, 'notes.txt');
    const run = startCli(['train', corpus, ...TINY, '--out', notes], { env: env() });
    await run.waitFor(/^training: /m);
    await writeFile(notes, 'my precious notes\n');
    run.child.kill('SIGINT');
    const code = await run.exited;
    assert.equal(await readFile(notes, 'utf8'), 'my precious notes\n', 'the notes are kept');
    assert.equal(code, 1, run.stderr());
    assert.match(run.stderr(), /notes\.txt" appeared since this run started, so it is not replaced\. the run \(iteration \d+\) was saved to .*rescue/);
    const last = run.stderr().trimEnd().split('\n').at(-1)!;
    assert.match(last, /^char-rnn: could not save .*notes\.txt .*; the run was saved to .*rescue.*notes-.*\.ckpt instead\.$/);
    const [saved] = await rescued('notes-');
    assert.ok((await loadCheckpoint(saved)).iteration > 0);
  });

  test('a checkpoint another program writes over --out after this run\'s first save is not replaced', async () => {
    const out = join(dir, 'mine.ckpt');
    const theirs = join(dir, 'theirs.ckpt');
    ok(await runCli(['train', corpus, ...TINY, '--iterations', '3', '--out', theirs]), 'their checkpoint');
    const run = startCli(['train', corpus, ...TINY, '--save-every', '10', '--out', out], { env: env() });
    await run.waitFor(/saved .*mine\.ckpt/);
    await copyFile(theirs, out);
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 1, run.stderr());
    assert.deepEqual(await readFile(out), await readFile(theirs), 'their checkpoint is still there');
    assert.match(run.stderr(), /mine\.ckpt" was changed by another program since this run last wrote it/);
    assert.ok((await rescued('mine-')).length === 1, 'one rescue file for the run, however many saves');
  });

  test('two runs on one --out: the second refuses at its start, even with --force; the first saves', async () => {
    const out = join(dir, 'same.ckpt');
    const first = startCli(['train', corpus, ...TINY, '--out', out]);
    await first.waitFor(/^training: /m);
    const second = await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', out, '--force']);
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /^char-rnn: Refusing to write .*same\.ckpt": another run \(process \d+\) is writing it/m);
    assert.doesNotMatch(second.stderr, /^training: /m, 'refused before training');
    first.child.kill('SIGINT');
    assert.equal(await first.exited, 130, first.stderr());
    assert.ok((await loadCheckpoint(out)).iteration > 0);
    assert.ok(!(await readdir(dir)).includes('.same.ckpt.lock'), 'the lock is removed at the end');
  });

  test('a stale lock from a dead process is taken over and said', async () => {
    const out = join(dir, 'stale.ckpt');
    const pid = await deadPid();
    await writeFile(join(dir, '.stale.ckpt.lock'), `${pid}\n`);
    const run = ok(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', out]), 'stale lock');
    assert.match(run.stderr, new RegExp(`took over .*\\.stale\\.ckpt\\.lock: the run that held it \\(process ${pid}\\) is gone`));
    assert.equal((await loadCheckpoint(out)).iteration, 5);
  });

  test('temporary files of a killed run are removed at the next write to the same output; a live process\'s are kept', async () => {
    const out = join(dir, 'temps.ckpt');
    const dead = join(dir, `.temps.ckpt.${await deadPid()}.0badf00d.tmp`);
    const live = join(dir, `.temps.ckpt.${process.pid}.0badf00d.tmp`);
    await writeFile(dead, 'partial');
    await writeFile(live, 'in progress');
    ok(await runCli(['train', corpus, ...TINY, '--iterations', '5', '--out', out]), 'run');
    const names = await readdir(dir);
    assert.ok(!names.includes(dead.slice(dir.length + 1)), 'the dead run\'s temp file is gone');
    assert.ok(names.includes(live.slice(dir.length + 1)), 'a live process\'s temp file stays');
  });
});

describe('finding 2: --best-out is rescued like --out, and a closing line always comes', () => {
  test('the folder of --out and --best-out removed during the run: both are rescued, the last lines say so', async () => {
    const gone = join(dir, 'gone');
    await mkdir(gone);
    const run = startCli(['train', corpus, '--hidden', '8', '--seq-length', '10', '--print-every', '0', '--sample-every', '5',
      '--sample-length', '0', '--out', join(gone, 'm.ckpt'), '--best-out', join(gone, 'best.ckpt')], { env: env() });
    await run.waitFor(/^training: /m);
    await rm(gone, { recursive: true });
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 1, run.stderr());
    assert.ok(!run.stderr().includes('    at '), run.stderr());
    const lines = run.stderr().trimEnd().split('\n');
    assert.match(lines.at(-2)!, /^best validation loss \d/, 'the best validation is still said');
    assert.match(lines.at(-1)!, /^char-rnn: could not save .*m\.ckpt .*; the run was saved to .*rescue.*; could not save .*best\.ckpt .*; the best model was saved to .*rescue/);
    const [best] = await rescued('best-');
    const state = await loadCheckpoint(best);
    assert.ok(state.bestValLoss !== null && state.iteration > 0);
  });

  test('a full disk at --best-out: the best model goes to the rescue folder', async () => {
    const out = join(dir, 'full.ckpt'), bestOut = join(dir, 'fullbest.ckpt');
    const r = await runCli(['train', corpus, '--hidden', '8', '--seq-length', '10', '--print-every', '0', '--sample-every', '5',
      '--sample-length', '0', '--iterations', '20', '--out', out, '--best-out', bestOut],
    { entry: ['--import', 'tsx', '--import', join(process.cwd(), 'test/helpers/fs-fault-hook.mjs'), ENTRY],
      env: { ...env(), CHAR_RNN_FS_FAULT: JSON.stringify({ op: 'write', match: 'fullbest.ckpt', code: 'ENOSPC' }) } });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr.trimEnd().split('\n').at(-1)!, /^char-rnn: could not save .*fullbest\.ckpt .*the disk is full.*; the best model was saved to .*rescue/);
    assert.equal((await loadCheckpoint(out)).iteration, 20, '--out is saved');
    assert.equal((await rescued('fullbest-')).length, 1);
  });
});

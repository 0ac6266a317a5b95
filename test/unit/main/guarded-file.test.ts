// The output guard's parts (issue 17): a GuardedFile replaces only the file it last wrote (or found at
// the start), by inode, size, mtime and content; a lock beside an output, taken over from a dead process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { GuardedFile, OutputChanged } from '../../../main/files/guarded-file.js';
import { lockOutput, lockPathFor } from '../../../main/files/output-lock.js';
import { removeDeadTempFiles } from '../../../main/files/atomic-write.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

test('a GuardedFile writes over its own file again, and never over one that appeared or changed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'guarded-'));
  try {
    const path = join(dir, 'out.ckpt');
    const file = await GuardedFile.at(path);
    await file.write(bytes('one'));
    await file.write(bytes('two'));
    assert.equal(readFileSync(path, 'utf8'), 'two', 'its own file is replaced');
    writeFileSync(path, 'six'); // same inode, same size: only the content tells
    await assert.rejects(file.write(bytes('three')), (e: unknown) => e instanceof OutputChanged && /was changed by another program since this run last wrote it/.test(e.message));
    assert.equal(readFileSync(path, 'utf8'), 'six');

    const fresh = join(dir, 'fresh.ckpt');
    const later = await GuardedFile.at(fresh);
    writeFileSync(fresh, 'my notes');
    await assert.rejects(later.write(bytes('model')), /appeared since this run started/);
    assert.equal(readFileSync(fresh, 'utf8'), 'my notes');

    rmSync(fresh);
    await later.write(bytes('model')); // a file that is gone may be written again: nothing of anyone's is lost
    assert.equal(readFileSync(fresh, 'utf8'), 'model');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock refuses a live holder and takes over a dead one\'s, saying whose', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lock-'));
  try {
    const out = join(dir, 'm.ckpt');
    writeFileSync(lockPathFor(out), `${process.ppid}\n`); // a live process (the test runner's parent)
    await assert.rejects(lockOutput(out), new RegExp(`another run \\(process ${process.ppid}\\) is writing it`));
    const dead = deadPid();
    writeFileSync(lockPathFor(out), `${dead}\n`);
    const lock = await lockOutput(out);
    assert.equal(lock.tookOverFrom, dead);
    assert.equal(readFileSync(lockPathFor(out), 'utf8').trim(), String(process.pid));
    lock.release();
    assert.equal(existsSync(lockPathFor(out)), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('temporary files of a dead process are removed; a live one\'s and other names are kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'temps-'));
  try {
    const out = join(dir, 'm.ckpt');
    const dead = `.m.ckpt.${deadPid()}.0123abcd.tmp`, live = `.m.ckpt.${process.ppid}.0123abcd.tmp`, other = `.n.ckpt.${deadPid()}.0123abcd.tmp`;
    for (const name of [dead, live, other]) writeFileSync(join(dir, name), 'x');
    assert.deepEqual(await removeDeadTempFiles(out), [join(dir, dead)]);
    assert.ok(existsSync(join(dir, live)) && existsSync(join(dir, other)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

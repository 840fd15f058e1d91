import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { lockDataDir, processStartIdentity } from '#db/data-dir-lock';

function dataDir() {
  const root = mkdtempSync(path.join(tmpdir(), 'oc-lock-test-'));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return path.join(root, 'pglite');
}

/** The pid of a process that has already exited. */
function deadPid() {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

/** A live process that is not this app: a `sleep` that ends with the test. */
function unrelatedLivePid() {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  onTestFinished(() => void child.kill());
  return child.pid!;
}

function ourLock() {
  return `${process.pid}\n${processStartIdentity(process.pid)}\n`;
}

/** With `lock` already in place, locking takes it over, and releasing removes it. */
function expectTakenOver(lock: string) {
  const dir = dataDir();
  writeFileSync(`${dir}.lock`, lock);

  const release = lockDataDir(dir);

  expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(ourLock());
  release();
  expect(existsSync(`${dir}.lock`)).toBe(false);
}

/** With `lock` of a live `holder` in place, locking is refused and the lock is left alone. */
function expectRefused(lock: string, holder: number) {
  const dir = dataDir();
  writeFileSync(`${dir}.lock`, lock);

  expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${holder}`));
  expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(lock);
}

test('locking a data folder writes our pid and start time next to it; releasing removes the lock', () => {
  const dir = dataDir();

  const release = lockDataDir(dir);

  expect(processStartIdentity(process.pid)).toMatch(/^(starttime|lstart):./);
  expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(ourLock());
  release();
  expect(existsSync(`${dir}.lock`)).toBe(false);
  expect(() => release()).not.toThrow();
});

test('an old pid-only lock of another live process cannot be taken, and is left alone', () => {
  expectRefused(String(process.ppid), process.ppid);
});

test('a lock written by a live holder (pid and matching start time) is refused', () => {
  const holder = unrelatedLivePid();
  expectRefused(`${holder}\n${processStartIdentity(holder)}\n`, holder);
});

test('an old pid-only lock left by a process that has died is taken over', () => {
  expectTakenOver(String(deadPid()));
});

test('a lock with a start time, left by a process that has died, is taken over', () => {
  expectTakenOver(`${deadPid()}\nstarttime:12345\n`);
});

test('a lock whose pid now belongs to another process (another start time) is taken over', () => {
  const reused = unrelatedLivePid();
  expect(processStartIdentity(reused)).not.toBeNull();
  expectTakenOver(`${reused}\nstarttime:1\n`);
});

test('a lock file with a very large, unused pid is taken over', () => {
  expectTakenOver('999999');
});

test('an empty or unreadable lock file is treated as stale', () => {
  expectTakenOver('not a pid');
  expectTakenOver('');
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { lockDataDir } from '#db/data-dir-lock';

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

test('locking a data folder writes our pid next to it; releasing removes the lock', () => {
  const dir = dataDir();

  const release = lockDataDir(dir);

  expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
  release();
  expect(existsSync(`${dir}.lock`)).toBe(false);
  expect(() => release()).not.toThrow();
});

test('a folder locked by another live process cannot be locked, and its lock is left alone', () => {
  const dir = dataDir();
  const otherLivePid = process.ppid;
  writeFileSync(`${dir}.lock`, String(otherLivePid));

  expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${otherLivePid}`));
  expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(otherLivePid));
});

test('a lock left by a process that has died is taken over', () => {
  const dir = dataDir();
  writeFileSync(`${dir}.lock`, String(deadPid()));

  const release = lockDataDir(dir);

  expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
  release();
  expect(existsSync(`${dir}.lock`)).toBe(false);
});

test('a lock file with a very large, unused pid is taken over', () => {
  const dir = dataDir();
  writeFileSync(`${dir}.lock`, '999999');

  const release = lockDataDir(dir);

  expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
  release();
});

test('an empty or unreadable lock file is treated as stale', () => {
  const dir = dataDir();
  writeFileSync(`${dir}.lock`, 'not a pid');

  const release = lockDataDir(dir);

  expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
  release();
});

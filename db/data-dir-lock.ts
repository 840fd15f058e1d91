import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/**
 * PGlite lets two processes open one data folder and then corrupts it, so whoever opens a folder
 * holds `<dir>.lock` until it closes. The lock names the holder's pid and, on its second line,
 * when that process started: a pid alone is not enough, because after a crash or a reboot the
 * pid may belong to some other process, which would block the start for ever. A lock is taken
 * over when its pid is dead or now belongs to a process that started at another time. Lock files
 * written before the start time was kept hold only a pid, and get the pid check alone.
 */
export function lockDataDir(dir: string): () => void {
  const path = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const started = processStartIdentity(process.pid);
      writeSync(fd, started ? `${process.pid}\n${started}\n` : String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(path);
      if (holder && holder.pid !== process.pid && isHeldBy(holder)) {
        throw new Error(
          `The data folder ${dir} is in use by process ${holder.pid}. Stop that process first (two processes would corrupt it).`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock the data folder ${dir}`);
}

type LockHolder = { pid: number; started: string | null };

function readLock(path: string): LockHolder | null {
  const [pidLine = '', startedLine = ''] = readFileSync(path, 'utf8').split('\n');
  const pid = Number(pidLine.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  return { pid, started: startedLine.trim() || null };
}

function isHeldBy({ pid, started }: LockHolder) {
  if (!isAlive(pid)) return false;
  if (!started) return true;
  const now = processStartIdentity(pid);
  // Unknown (no /proc and no ps): trust the live pid rather than risk two writers.
  return now === null || now === started;
}

/**
 * When a process started, as a string that differs between two processes given the same pid:
 * Linux's `starttime` (field 22 of /proc/<pid>/stat, clock ticks since boot), else `ps`'s start
 * time, else null.
 */
export function processStartIdentity(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const starttime = fields[22 - 3];
    if (starttime && /^\d+$/.test(starttime)) return `starttime:${starttime}`;
  } catch {
    // No /proc (macOS, BSD) or the process is gone: try ps.
  }
  try {
    const lstart = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2_000,
    }).trim();
    return lstart ? `lstart:${lstart}` : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

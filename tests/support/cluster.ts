import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where Debian's postgresql-15 package puts its server binaries (PG_BIN overrides). */
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const SUPERUSER = 'postgres';
/** pg_ctl's own bound on start, stop and restart, in seconds. */
const PG_CTL_WAIT_SECONDS = 30;

export type RestartMode = 'fast' | 'immediate';

/** A table lock held in an open transaction by a connection of its own, until released. */
export type HeldLock = { pid: number; release(): Promise<void> };

export type Cluster = {
  port: number;
  /** A connection string for one database of this cluster. */
  url(database: string, applicationName?: string): string;
  /** A short-lived superuser connection for one statement. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    params?: unknown[],
    database?: string,
  ): Promise<pg.QueryResult<R>>;
  start(): Promise<void>;
  stop(mode?: RestartMode): Promise<void>;
  /** `pg_ctl restart -m <mode>`; resolves once Postgres accepts connections again. */
  restart(options: { mode: RestartMode }): Promise<void>;
  /**
   * pg_terminate_backend of every connection named `applicationName` that is running a query or
   * holds a transaction open (the ones `pg` has checked out of its pool). Returns how many.
   */
  terminateBusy(applicationName: string): Promise<number>;
  /**
   * Takes an ACCESS EXCLUSIVE lock on the tables and keeps it until `release()`, or at most
   * `releaseAfterMs`, so that an app that waits forever cannot hang the test.
   */
  lockTable(
    database: string,
    tables: string | string[],
    options?: { releaseAfterMs?: number },
  ): Promise<HeldLock>;
  /** Stops Postgres (if running) and removes its folder; safe to call more than once. */
  destroy(): Promise<void>;
};

/**
 * Whether this machine can run a throwaway cluster. Under CI=true a missing binary is an error, so
 * the fault suite cannot be skipped silently there.
 */
export function clusterAvailable(): boolean {
  const missing = ['initdb', 'pg_ctl'].filter((b) => !existsSync(path.join(PG_BIN, b)));
  if (missing.length === 0) return true;
  const message = `${missing.join(' and ')} not found in ${PG_BIN} (install postgresql-15, or set PG_BIN)`;
  if (process.env.CI === 'true') throw new Error(`The fault suite needs Postgres: ${message}.`);
  process.stderr.write(`The fault suite is not run: ${message}. CI would fail.\n`);
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Postgres 15 cluster of its own, in a fresh temporary folder, on a free port of 127.0.0.1 only
 * (never the shared server on 5432), trust authentication, no fsync (nothing here must survive
 * the machine). initdb refuses to run as root, so as root the binaries run as `postgres`.
 */
export async function startCluster(): Promise<Cluster> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oc-faults-pg-'));
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    chownSync(root, uid, gid);
  }
  const port = await freePort();
  let running = false;
  let destroyed = false;
  const locks = new Set<pg.Client>();

  async function pgBinary(binary: string, args: string[]) {
    const file = path.join(PG_BIN, binary);
    const [command, argv] = asRoot
      ? ['runuser', ['-u', SUPERUSER, '--', file, ...args]]
      : [file, args];
    try {
      return await run(command, argv, {
        cwd: root,
        timeout: (PG_CTL_WAIT_SECONDS + 10) * 1000,
      });
    } catch (error) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      const { stderr } = error as { stderr?: string };
      throw new Error(`${binary} ${args.join(' ')} failed: ${stderr || String(error)}\n${log}`);
    }
  }
  const pgCtl = (...args: string[]) =>
    pgBinary('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-w',
      '-t',
      String(PG_CTL_WAIT_SECONDS),
      ...args,
    ]);

  function url(database: string, applicationName?: string) {
    const u = new URL(`postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`);
    if (applicationName) u.searchParams.set('application_name', applicationName);
    return u.toString();
  }

  async function connect(database: string) {
    const client = new pg.Client({
      connectionString: url(database),
      connectionTimeoutMillis: 5000,
    });
    // A restart or a terminate drops this connection too: without a listener, that is a crash.
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  async function query<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    database = 'postgres',
  ) {
    const client = await connect(database);
    try {
      return await client.query<R>(sql, params);
    } finally {
      await client.end().catch(() => {});
    }
  }

  const cluster: Cluster = {
    port,
    url,
    query,
    async start() {
      await pgCtl('start');
      running = true;
    },
    async stop(mode = 'fast') {
      if (!running) return;
      await pgCtl('stop', '-m', mode);
      running = false;
    },
    async restart({ mode }) {
      await pgCtl('restart', '-m', mode);
      running = true;
    },
    async terminateBusy(applicationName) {
      const { rows } = await query<{ terminated: number }>(
        `select count(*) filter (where pg_terminate_backend(pid))::int as terminated
           from pg_stat_activity
          where application_name = $1 and pid <> pg_backend_pid()
            and state in ('active', 'idle in transaction', 'idle in transaction (aborted)')`,
        [applicationName],
      );
      return rows[0]!.terminated;
    },
    async lockTable(database, tables, { releaseAfterMs = 60_000 } = {}) {
      const names = (Array.isArray(tables) ? tables : [tables]).map((t) => pg.escapeIdentifier(t));
      const client = await connect(database);
      locks.add(client);
      try {
        await client.query(`set lock_timeout = '10s'`);
        for (let attempt = 1; ; attempt++) {
          await client.query('begin');
          try {
            await client.query(`lock table ${names.join(', ')} in access exclusive mode`);
            break;
          } catch (error) {
            await client.query('rollback');
            // Taking the tables one by one while writes hold some of them can deadlock, and
            // Postgres may pick this transaction to end: take them again.
            if ((error as { code?: string }).code !== '40P01' || attempt === 5) throw error;
          }
        }
      } catch (error) {
        locks.delete(client);
        await client.end().catch(() => {});
        throw error;
      }
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      let released = false;
      async function release() {
        if (released) return;
        released = true;
        clearTimeout(timer);
        locks.delete(client);
        await client.query('rollback').catch(() => {});
        await client.end().catch(() => {});
      }
      const timer = setTimeout(() => void release(), releaseAfterMs);
      return { pid: rows[0]!.pid, release };
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      process.off('exit', removeOnExit);
      for (const client of locks) await client.end().catch(() => {});
      try {
        if (running) await pgCtl('stop', '-m', 'immediate');
      } catch {
        killPostmaster(dataDir);
      } finally {
        running = false;
        rmSync(root, { recursive: true, force: true });
      }
    },
  };

  // If the test process ends without its cleanup (a crash, ^C), the cluster must not outlive it.
  function removeOnExit() {
    killPostmaster(dataDir);
    rmSync(root, { recursive: true, force: true });
  }
  process.once('exit', removeOnExit);

  try {
    await pgBinary('initdb', [
      '-D',
      dataDir,
      '--username',
      SUPERUSER,
      '--auth',
      'trust',
      '--encoding',
      'UTF8',
      '--no-sync',
    ]);
    // Written to the configuration file, so that restarts keep them.
    appendFileSync(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        `port = ${port}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${root}'`,
        // No fsync: the machine does not crash in these tests, Postgres does. Commits stay
        // synchronous, as an acknowledged commit must survive an immediate shutdown.
        'fsync = off',
        'full_page_writes = off',
        'max_connections = 100',
        '',
      ].join('\n'),
    );
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

async function postgresIds() {
  const [uid, gid] = await Promise.all([
    run('id', ['-u', SUPERUSER]),
    run('id', ['-g', SUPERUSER]),
  ]).catch(() => {
    throw new Error(`Running as root needs a "${SUPERUSER}" user to run initdb and pg_ctl as.`);
  });
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** The last resort when pg_ctl cannot stop it: SIGKILL the postmaster named in postmaster.pid. */
function killPostmaster(dataDir: string) {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // No pid file or no such process: nothing is running.
  }
}

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock';
import { PGliteDialect } from './pglite-dialect';

/** Every wait on the database is bounded by these (see README "Timeouts"). */
export type DatabaseLimits = {
  poolSize: number;
  /** Waiting for a free connection, or for a new one to be opened. */
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
};

export const DEFAULT_LIMITS: DatabaseLimits = {
  poolSize: 10,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 15_000,
  lockTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 30_000,
};

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; limits?: Partial<DatabaseLimits> }
  | { kind: 'pglite'; dir: string | null; limits?: Partial<DatabaseLimits> };

// Beyond the server's own statement_timeout: a server that stops answering at all (a network
// partition, a frozen host) is given up on by the client a little later.
const CLIENT_MARGIN_MS = 5_000;

/**
 * Picks the backend: a real Postgres server when a URL is given, otherwise embedded PGlite in a
 * data folder (or in memory when `dir` is null, for tests).
 */
export function createDialect(target: DatabaseTarget, log: (message: string) => void): Dialect {
  const limits = { ...DEFAULT_LIMITS, ...target.limits };
  if (target.kind === 'postgres')
    return new PostgresDialect({ pool: createPool(target.url, limits, log) });
  let release = () => {};
  return new PGliteDialect(
    async () => {
      const { PGlite } = await import('@electric-sql/pglite');
      if (target.dir) {
        // PGlite does not create missing parent folders.
        mkdirSync(path.dirname(target.dir), { recursive: true });
        release = lockDataDir(target.dir);
      }
      return PGlite.create(target.dir ?? undefined);
    },
    () => release(),
    // One connection and no other sessions to wait for: the queue for it is the only wait.
    { acquireTimeoutMs: limits.connectTimeoutMs },
  );
}

/** A pg pool with the limits and the error handling below; also the health check's own pool. */
export function createPool(url: string, limits: DatabaseLimits, log: (message: string) => void) {
  const pool = new pg.Pool({
    connectionString: url,
    max: limits.poolSize,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    // Sent as startup parameters, so every connection the pool opens has them.
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    query_timeout: limits.statementTimeoutMs + CLIENT_MARGIN_MS,
    keepAlive: true,
  });
  // pg-pool listens for errors only on idle clients. A client that is checked out when Postgres
  // drops it (a restart, pg_terminate_backend) emits 'error' too, and an 'error' event without a
  // listener ends the process. The query in flight fails on its own; the pool discards the
  // broken client when it is released and opens a fresh one on demand.
  pool.on('error', (error) => log(`postgres pool: idle connection lost: ${error.message}`));
  pool.on('connect', (client) => {
    client.on('error', (error) => log(`postgres pool: connection lost: ${error.message}`));
    // A query that failed because its connection is finished must take the connection with it:
    // Postgres reports the termination before the socket closes, so the client would otherwise
    // go back to the pool looking healthy and fail the next request too. After a client-side
    // read timeout, pg leaves the query outstanding on the socket.
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          // end() marks the client as ending at once (and cuts a hung socket), so the pool
          // removes it on release instead of lending it to the next request.
          if (endsTheConnection(error)) client.end().catch(() => {});
        });
      }
      return result;
    }) as typeof client.query;
  });
  return pool;
}

function endsTheConnection(error: unknown) {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (/^57P0[123]$/.test(code) || code.startsWith('08'))) return true;
  return error.message === 'Query read timeout';
}

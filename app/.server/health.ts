import { sql } from 'kysely';
import type pg from 'pg';
import { createPool } from '#db/dialect';
import type { Database } from './db';
import { DatabaseTimeoutError } from './db-errors';
import { getEnv } from './env';
import { logger } from './logger';

export type DatabaseHealth = { ok: boolean; latencyMs: number; problem?: string };

// Postgres: the check has a one-connection pool of its own, so it does not queue behind the
// requests that hold every connection of the app's pool and report "healthy" a minute later.
let healthPool: pg.Pool | undefined;

function poolFor(url: string, timeoutMs: number) {
  healthPool ??= createPool(
    url,
    {
      poolSize: 1,
      connectTimeoutMs: timeoutMs,
      statementTimeoutMs: timeoutMs,
      lockTimeoutMs: timeoutMs,
      idleInTransactionTimeoutMs: timeoutMs,
    },
    (message) => logger.warn(`health check: ${message}`),
  );
  return healthPool;
}

/**
 * Whether the database answers `select 1` within HEALTH_TIMEOUT_MS, and how long it took. PGlite
 * has only the app's one connection, so there the check waits in its queue (at most as long).
 */
export async function checkDatabase(db: Database): Promise<DatabaseHealth> {
  const env = getEnv();
  const timeoutMs = env.HEALTH_TIMEOUT_MS;
  const started = performance.now();
  const ping = env.DATABASE_URL
    ? poolFor(env.DATABASE_URL, timeoutMs).query('select 1')
    : sql`select 1`.execute(db);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseTimeoutError('health check', timeoutMs)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([ping, deadline]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    ping.catch(() => {}); // it may still fail after the deadline
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      problem: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function closeHealthCheck() {
  const pool = healthPool;
  healthPool = undefined;
  await pool?.end();
}

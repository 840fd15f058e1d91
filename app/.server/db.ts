import { Kysely, sql } from 'kysely';
import { createDialect } from '#db/dialect';
import type { DB } from '#db/schema';
import { getEnv } from './env';
import { logger } from './logger';

export type Database = Kysely<DB>;

let instance: Database | undefined;

/**
 * The process-wide database handle. Everything else receives `db` as an argument. Command-line
 * tasks (rebuilding results, retention) open it `longRunning`: no statement timeout, since one
 * statement may rightly take minutes there; the app's requests keep theirs.
 */
export function getDb(options: { longRunning?: boolean } = {}): Database {
  if (instance) return instance;
  const env = getEnv();
  const limits = {
    poolSize: env.DB_POOL_SIZE,
    connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: options.longRunning ? 0 : env.DB_STATEMENT_TIMEOUT_MS,
    lockTimeoutMs: env.DB_LOCK_TIMEOUT_MS,
    idleInTransactionTimeoutMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
  const target = env.DATABASE_URL
    ? ({ kind: 'postgres', url: env.DATABASE_URL, limits } as const)
    : ({ kind: 'pglite', dir: env.PGLITE_DIR, limits } as const);
  instance = new Kysely<DB>({ dialect: createDialect(target, (m) => logger.warn(m)) });
  return instance;
}

/**
 * Runs `fn` on one connection without the statement timeout (migrating or seeding at start may
 * take longer than any request should), then restores it for the requests that use it next.
 */
export async function withoutStatementTimeout<T>(db: Database, fn: (db: Database) => Promise<T>) {
  return db.connection().execute(async (connection) => {
    await sql`set statement_timeout = 0`.execute(connection);
    try {
      return await fn(connection);
    } finally {
      await sql`reset statement_timeout`.execute(connection);
    }
  });
}

export async function closeDb() {
  const db = instance;
  instance = undefined;
  await db?.destroy();
}

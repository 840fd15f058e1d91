import { Kysely } from 'kysely';
import { createDialect } from '#db/dialect';
import type { DB } from '#db/schema';
import { getEnv } from './env';
import { logger } from './logger';

export type Database = Kysely<DB>;

let instance: Database | undefined;

/** The process-wide database handle. Everything else receives `db` as an argument. */
export function getDb(): Database {
  if (instance) return instance;
  const env = getEnv();
  const target = env.DATABASE_URL
    ? ({ kind: 'postgres', url: env.DATABASE_URL } as const)
    : ({ kind: 'pglite', dir: env.PGLITE_DIR } as const);
  instance = new Kysely<DB>({ dialect: createDialect(target, (m) => logger.warn(m)) });
  return instance;
}

export async function closeDb() {
  const db = instance;
  instance = undefined;
  await db?.destroy();
}

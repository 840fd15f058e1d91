import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateToLatest } from '#db/migrate';
import { PGliteDialect } from '#db/pglite-dialect';
import type { DB } from '#db/schema';
import type { Backend } from './global-setup';

export type { Backend };

/** The backends chosen by `DB_BACKENDS` (and found reachable) in the global setup. */
export const BACKENDS: Backend[] = inject('backends');

export type TestDb = { db: Kysely<DB>; destroy(): Promise<void> };

let template: Blob | undefined;

/** A fresh, migrated database of its own, on the given backend. */
export async function createTestDb(backend: Backend): Promise<TestDb> {
  return backend === 'pglite' ? createPgliteDb() : createPgDb();
}

async function createPgliteDb(): Promise<TestDb> {
  template ??= new Blob([readFileSync(inject('pgliteTemplatePath'))]);
  const pglite = await PGlite.create({ loadDataDir: template });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(async () => pglite) });
  return { db, destroy: () => db.destroy() };
}

/**
 * A schema of its own in the shared Postgres, named at random, so test files (and whole runs)
 * running at once never see each other's rows.
 */
async function createPgDb(): Promise<TestDb> {
  const url = inject('pgUrl');
  const schema = `t_${randomBytes(8).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  try {
    await withSchemaChangeLock(async () => {
      await admin(url, `create schema ${schema}`);
      await migrateToLatest(db);
    });
  } catch (error) {
    await db.destroy();
    await admin(url, `drop schema if exists ${schema} cascade`);
    throw error;
  }
  return {
    db,
    async destroy() {
      await db.destroy();
      await withSchemaChangeLock(() => admin(url, `drop schema if exists ${schema} cascade`));
    },
  };
}

/**
 * Runs schema changes in the shared Postgres one test file at a time. Kysely's migrator looks its
 * tables up across every schema of the database, and that lookup fails ("column does not exist")
 * when another file is creating or dropping its schema at the same moment.
 */
export async function withSchemaChangeLock<T>(change: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('pgUrl') });
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext('open-consultation-test-ddl'))`);
    return await change();
  } finally {
    await client.end();
  }
}

async function admin(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

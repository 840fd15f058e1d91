import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../db/migrate';
import { PGliteDialect } from '../../db/pglite-dialect';

export type Backend = 'pglite' | 'pg';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The database backends every integration test file runs against. */
    backends: Backend[];
    /** A migrated PGlite data directory (uncompressed tar), restored for each test database. */
    pgliteTemplatePath: string;
    /** Where the `pg` backend's Postgres listens; each test database is a schema in it. */
    pgUrl: string;
  }
}

const KNOWN_BACKENDS: readonly Backend[] = ['pglite', 'pg'];
const DEFAULT_PG_URL = 'postgres://root@127.0.0.1:5432/test';

function requestedBackends(): Backend[] {
  const raw = process.env.DB_BACKENDS ?? 'pglite,pg';
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !KNOWN_BACKENDS.includes(name as Backend));
  if (unknown.length > 0) {
    throw new Error(
      `DB_BACKENDS lists unknown backends: ${unknown.join(', ')} (known: ${KNOWN_BACKENDS.join(', ')})`,
    );
  }
  if (names.length === 0) throw new Error('DB_BACKENDS is empty: name at least one backend');
  return [...new Set(names)] as Backend[];
}

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 3000,
    query_timeout: 3000,
  });
  // A refused connection emits 'error' as well as rejecting connect(); without a listener it
  // would crash the process instead of being reported below.
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Restoring a migrated template is several times faster than migrating each PGlite afresh. */
async function buildPgliteTemplate(): Promise<string> {
  const pglite = await PGlite.create();
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(async () => pglite) });
  try {
    await migrateToLatest(db);
    const dump = await pglite.dumpDataDir('none');
    const file = path.join(tmpdir(), `oc-pglite-template-${randomBytes(6).toString('hex')}.tar`);
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    return file;
  } finally {
    await db.destroy();
  }
}

export default async function setup(project: TestProject) {
  const backends = requestedBackends();
  const pgUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_PG_URL;

  if (backends.includes('pg')) {
    const problem = await reachable(pgUrl);
    if (problem) {
      const message = `Postgres for the pg backend is not reachable at ${pgUrl}: ${problem}`;
      if (process.env.CI === 'true') {
        throw new Error(
          `${message}. Under CI the pg backend must run: start Postgres or set TEST_DATABASE_URL (or DB_BACKENDS=pglite to opt out explicitly).`,
        );
      }
      process.stderr.write(
        `\nWARNING: ${message}\nWARNING: integration tests run on PGlite only.\n\n`,
      );
      backends.splice(backends.indexOf('pg'), 1);
    }
  }
  if (backends.length === 0) throw new Error('No database backend left to test against');

  const templatePath = backends.includes('pglite') ? await buildPgliteTemplate() : '';

  project.provide('backends', backends);
  project.provide('pgliteTemplatePath', templatePath);
  project.provide('pgUrl', pgUrl);

  return () => {
    if (templatePath) rmSync(templatePath, { force: true });
  };
}

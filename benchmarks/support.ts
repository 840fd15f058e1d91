// What every benchmark shares: a fresh database of its own and a steady timing.
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from '#db/pglite-dialect';
import type { DB } from '#db/schema';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/**
 * Postgres at TEST_DATABASE_URL in a schema of its own (named `<prefix>_<time>`, dropped on close)
 * if it is reachable, else in-memory PGlite.
 */
export async function openBenchDatabase(prefix: string) {
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
    const schema = `${prefix}_${Date.now()}`;
    await probe.query(`create schema ${schema}`);
    const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}` });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      name: 'Postgres',
      close: async () => {
        await db.destroy();
        await probe.query(`drop schema ${schema} cascade`);
        await probe.end();
      },
    };
  } catch {
    await probe.end().catch(() => {});
    const pglite = await PGlite.create();
    const db = new Kysely<DB>({ dialect: new PGliteDialect(async () => pglite) });
    return { db, name: 'PGlite (in memory)', close: () => db.destroy() };
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The median of `runs` (default 25) timed calls in milliseconds, after one untimed call to warm caches. */
export async function time(fn: () => Promise<unknown>, runs = 25) {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

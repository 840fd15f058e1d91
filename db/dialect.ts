import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock';
import { PGliteDialect } from './pglite-dialect';

export type DatabaseTarget =
  { kind: 'postgres'; url: string; max?: number } | { kind: 'pglite'; dir: string | null };

/**
 * Picks the backend: a real Postgres server when a URL is given, otherwise embedded PGlite in a
 * data folder (or in memory when `dir` is null, for tests).
 */
export function createDialect(target: DatabaseTarget, log: (message: string) => void): Dialect {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.max ?? 10 });
    // An idle client's error (e.g. Postgres restarting) must not crash the process; the pool
    // discards that client and opens a fresh one on the next query.
    pool.on('error', (error) => log(`postgres pool: idle client error: ${error.message}`));
    return new PostgresDialect({ pool });
  }
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
  );
}

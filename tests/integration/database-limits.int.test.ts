import { randomBytes } from 'node:crypto';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDialect, type DatabaseLimits } from '#db/dialect';
import { isDatabaseUnavailable } from '~/.server/db-errors';
import { adminQuery, postgresAvailable, TEST_DATABASE_URL } from '#tests/support/postgres';

// Every wait on the database is bounded, and losing a connection mid-query is an error for that
// query only: the process and the pool carry on.
const available = await postgresAvailable();
const suffix = randomBytes(5).toString('hex');
const schema = `limits_${suffix}`;
const applicationName = `oc-limits-${suffix}`;
const logged: string[] = [];

function open(limits: Partial<DatabaseLimits>, name = applicationName) {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('application_name', name);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return new Kysely<any>({
    dialect: createDialect({ kind: 'postgres', url: url.toString(), limits }, (m) =>
      logged.push(m),
    ),
  });
}

async function failure(promise: Promise<unknown>) {
  const started = Date.now();
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return { error, ms: Date.now() - started };
}

describe.runIf(available)('postgres', () => {
  beforeAll(async () => {
    await adminQuery(`create schema ${schema}`);
    await adminQuery(`create table ${schema}.things (id int primary key)`);
    await adminQuery(`insert into ${schema}.things values (1)`);
  });
  afterAll(() => adminQuery(`drop schema ${schema} cascade`));

  test('a connection killed while its query runs fails that query only; the pool replaces it', async () => {
    const name = `${applicationName}-kill`;
    const db = open({ poolSize: 2 }, name);
    try {
      const busy = failure(sql`select pg_sleep(5)`.execute(db));
      await expect
        .poll(async () => {
          const r = await adminQuery(
            "select count(*)::int as n from pg_stat_activity where application_name = $1 and state = 'active'",
            [name],
          );
          return r.rows[0].n;
        })
        .toBe(1);
      await adminQuery(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [name],
      );
      const { error, ms } = await busy;
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(ms).toBeLessThan(4_000);
      const after = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(after.rows[0]!.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  test('a checked-out connection dropped between two queries is an error event we listen to, not a crash', async () => {
    const name = `${applicationName}-held`;
    const db = open({ poolSize: 1 }, name);
    try {
      const second = await db.connection().execute(async (connection) => {
        await sql`select 1`.execute(connection);
        await adminQuery(
          'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
          [name],
        );
        // Without a listener on the checked-out client, this 'error' event ends the process.
        await expect.poll(() => logged.some((m) => m.includes('connection lost'))).toBe(true);
        return failure(sql`select 1`.execute(connection));
      });
      expect(isDatabaseUnavailable(second.error)).toBe(true);
      const after = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(after.rows[0]!.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });

  test('a statement longer than the statement timeout is cancelled', async () => {
    const db = open({ statementTimeoutMs: 300 });
    try {
      const { error, ms } = await failure(sql`select pg_sleep(3)`.execute(db));
      expect((error as { code?: string }).code).toBe('57014');
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(ms).toBeLessThan(2_000);
    } finally {
      await db.destroy();
    }
  });

  test('a write that waits for a lock gives up after the lock timeout', async () => {
    const db = open({ lockTimeoutMs: 200 });
    const holder = open({}, `${applicationName}-holder`);
    try {
      await holder.connection().execute(async (connection) => {
        await sql`begin`.execute(connection);
        await sql`lock table things in access exclusive mode`.execute(connection);
        const { error, ms } = await failure(sql`update things set id = 2`.execute(db));
        await sql`rollback`.execute(connection);
        expect((error as { code?: string }).code).toBe('55P03');
        expect(isDatabaseUnavailable(error)).toBe(true);
        expect(ms).toBeLessThan(1_500);
      });
    } finally {
      await Promise.all([db.destroy(), holder.destroy()]);
    }
  });

  test('waiting for a pooled connection is bounded by the connect timeout', async () => {
    const db = open({ poolSize: 1, connectTimeoutMs: 300 });
    try {
      let release!: () => void;
      const held = db.connection().execute(
        (connection) =>
          new Promise<void>((resolve) => {
            release = resolve;
            void sql`select 1`.execute(connection);
          }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { error, ms } = await failure(sql`select 1`.execute(db));
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(1_500);
      release();
      await held;
      await sql`select 1`.execute(db);
    } finally {
      await db.destroy();
    }
  });

  test('a transaction left idle is ended by Postgres and its connection discarded', async () => {
    const db = open({ idleInTransactionTimeoutMs: 200, poolSize: 1 });
    try {
      const trx = await db.startTransaction().execute();
      await sql`select 1`.execute(trx);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const { error } = await failure(sql`select 1`.execute(trx));
      expect(isDatabaseUnavailable(error)).toBe(true);
      await trx
        .rollback()
        .execute()
        .catch(() => {});
      const after = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(after.rows[0]!.one).toBe(1);
    } finally {
      await db.destroy();
    }
  });
});

describe('pglite', () => {
  let db: Kysely<any>;
  beforeAll(async () => {
    db = new Kysely<any>({
      dialect: createDialect(
        { kind: 'pglite', dir: null, limits: { connectTimeoutMs: 200 } },
        () => {},
      ),
    });
    await sql`select 1`.execute(db); // opening PGlite takes seconds: not part of the wait
  });
  afterAll(() => db.destroy());

  test('waiting behind a long transaction is bounded, and the queue carries on afterwards', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const long = db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await gate;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { error, ms } = await failure(sql`select 1`.execute(db));
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(ms).toBeLessThan(1_000);
    release();
    await long;
    // The caller that gave up passed its turn on: the next queries are not stuck behind it.
    const results = await Promise.all(
      [1, 2, 3].map((n) => sql<{ n: number }>`select ${n}::int as n`.execute(db)),
    );
    expect(results.map((r) => r.rows[0]!.n)).toEqual([1, 2, 3]);
  });
});

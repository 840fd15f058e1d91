import pg from 'pg';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/**
 * Whether the test Postgres server answers. Under CI=true an unreachable server is an error, so
 * the run fails instead of quietly skipping the Postgres half of the suite.
 */
export async function postgresAvailable(url = TEST_DATABASE_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(
        `Postgres at ${url} is unreachable (${(error as Error).message}); CI must test against it. ` +
          'Start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start',
      );
    }
    process.stderr.write(
      `Postgres at ${url} is unreachable: its tests are not run (CI would fail).\n`,
    );
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs one statement on the test server with a short-lived client. */
export async function adminQuery(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

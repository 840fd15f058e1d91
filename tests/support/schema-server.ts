import { randomBytes } from 'node:crypto';
import { adminQuery, TEST_DATABASE_URL } from './postgres';
import { startServer, type TestServer } from './server';

/**
 * The built server on the test Postgres, in a schema of its own (migrated and seeded at start),
 * for tests that must look at or change what it stored. `query` runs SQL with `{schema}`
 * standing for the schema's name; `stop` stops the server and drops the schema.
 */
export async function startServerInSchema(prefix: string, env: Record<string, string> = {}) {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  let server: TestServer;
  try {
    server = await startServer({ DATABASE_URL: url.toString(), ...env });
  } catch (error) {
    await adminQuery(`drop schema if exists ${schema} cascade`);
    throw error;
  }
  return {
    server,
    schema,
    query: (sql: string, params: unknown[] = []) =>
      adminQuery(sql.replaceAll('{schema}', schema), params),
    async stop() {
      await server.stop();
      await adminQuery(`drop schema if exists ${schema} cascade`);
    },
  };
}

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { adminQuery, postgresAvailable, TEST_DATABASE_URL } from '#tests/support/postgres';
import { startServer, type TestServer } from '#tests/support/server';

// The same server, pointed at a real Postgres with DATABASE_URL, in a schema of its own.
const available = await postgresAvailable();
const suffix = randomBytes(6).toString('hex');
const schema = `e2e_${suffix}`;
const applicationName = `oc-e2e-${suffix}`;
let server: TestServer;

beforeAll(async () => {
  if (!available) return;
  await adminQuery(`create schema ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', applicationName);
  server = await startServer({ DATABASE_URL: url.toString() });
});

afterAll(async () => {
  await server?.stop();
  if (available) await adminQuery(`drop schema if exists ${schema} cascade`);
});

test.runIf(available)(
  'on Postgres the server migrates, seeds and serves the consultation',
  async () => {
    expect(server.output()).toContain('Database: Postgres at');
    const page = await fetch(`${server.url}/consultations/hidden-in-plain-sight`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Seventh reform (not named in our source)');

    const signIn = await fetch(`${server.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'email=organiser%40demo.test&password=organiser-demo-2026&redirectTo=%2Forganise',
    });
    expect(signIn.status).toBe(302);
    expect(signIn.headers.get('set-cookie')).toMatch(/oc_session=.+HttpOnly.+SameSite=Lax/i);
    const organise = await fetch(`${server.url}/organise`, {
      headers: { Cookie: signIn.headers.get('set-cookie')!.split(';')[0]! },
    });
    expect(await organise.text()).toContain('Organise consultations');
  },
);

test.runIf(available)('losing every database connection does not crash the server', async () => {
  const killed = await adminQuery(
    'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
    [applicationName],
  );
  expect(killed.rowCount).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const health = await fetch(`${server.url}/healthcheck`);
  expect(health.status).toBe(200);
  const page = await fetch(`${server.url}/consultations`);
  expect(page.status).toBe(200);
});

test.runIf(available)(
  'an unexpected failure shows a generic page and logs the request id',
  async () => {
    await adminQuery(`drop table ${schema}.recommendations cascade`);
    const response = await fetch(`${server.url}/consultations/hidden-in-plain-sight`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toContain('Sorry, there is a problem with the service');
    expect(body).not.toMatch(/recommendations|relation|at async|\.ts:/);
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => server.output(), { timeout: 5000 }).toContain(requestId);
    expect(server.output()).toMatch(new RegExp(`"requestId":"${requestId}"[^\\n]*relation`));
  },
);

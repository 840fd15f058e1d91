import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  expectAccessible,
  hasValue,
  launchBrowser,
  MODE_WIDTHS,
  screenshot,
  visible,
} from '#tests/support/browser';
import { adminQuery, postgresAvailable, TEST_DATABASE_URL } from '#tests/support/postgres';
import { startServer, type TestServer } from '#tests/support/server';
import { DEMO_ACCOUNTS, signedInPage } from '#tests/support/accounts';

// A write that meets a lock held past DB_LOCK_TIMEOUT_MS, as in a stalled database: the person
// gets a 503 page with everything they typed and a "Try again" that saves it once.
const available = await postgresAvailable();
const schema = `e2e_unavailable_${randomBytes(5).toString('hex')}`;
const LOCK_TIMEOUT_MS = 800;
const recommendation =
  '/consultations/hidden-in-plain-sight/recommendations/publicly-funded-ai-open-release';
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  await adminQuery(`create schema ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  [server, browser] = await Promise.all([
    startServer({ DATABASE_URL: url.toString(), DB_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS) }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (available) await adminQuery(`drop schema if exists ${schema} cascade`);
});

/** Holds an exclusive lock on a table until `release` is called, as a stuck migration would. */
async function lockTable(table: string) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query('begin');
  await client.query(`lock table ${schema}.${table} in access exclusive mode`);
  return async () => {
    await client.query('rollback');
    await client.end();
  };
}

async function expectRetryPage(page: Page) {
  await visible(page.getByRole('heading', { name: 'Not saved yet: please try again' }));
  await expectAccessible(page);
}

for (const { mode, width } of MODE_WIDTHS) {
  test.runIf(available)(
    `${mode.label}: a comment sent while its table is locked comes back with its text, and Try again posts it once`,
    async () => {
      const page = await signedInPage(browser, server.url, DEMO_ACCOUNTS.founder, undefined, {
        javaScript: mode.javaScript,
        width,
      });
      await page.goto(`${server.url}${recommendation}`);
      const text = `Typed while the database was stuck (${mode.label}, ${randomBytes(3).toString('hex')})`;
      const release = await lockTable('comments');
      try {
        await page.getByLabel('Add a comment').fill(text);
        const started = Date.now();
        const [response] = await Promise.all([
          mode.javaScript ? null : page.waitForResponse((r) => r.request().method() === 'POST'),
          page.getByRole('button', { name: 'Post comment' }).click(),
        ]);
        await expectRetryPage(page);
        // Bounded by the lock timeout, not by how long the lock is held (until release() below,
        // after these checks); the margin is the browser's round trip on a busy 2-core machine.
        expect(Date.now() - started).toBeLessThan(LOCK_TIMEOUT_MS + 10_000);
        if (response) {
          expect(response.status()).toBe(503);
          expect(response.headers()['retry-after']).toBe('5');
        }
        await hasValue(page.getByLabel('Your comment'), text);
        await screenshot(page, `unavailable-comment-${mode.label}-${width}`);
      } finally {
        await release();
      }
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.waitForURL(/notice=posted/);
      await visible(page.getByRole('article').getByText(text));
      const stored = await adminQuery(
        `select count(*)::int as n from ${schema}.comments where body = $1`,
        [text],
      );
      expect(stored.rows[0].n).toBe(1);
    },
  );
}

test.runIf(available)(
  'while a table is locked, the health check, readiness and pages that do not need it keep answering',
  async () => {
    const release = await lockTable('comments');
    try {
      const started = Date.now();
      const [health, ready, home] = await Promise.all([
        fetch(`${server.url}/healthcheck`),
        fetch(`${server.url}/readyz`),
        fetch(`${server.url}/`),
      ]);
      expect([health.status, ready.status, home.status]).toEqual([200, 200, 200]);
      expect(Date.now() - started).toBeLessThan(LOCK_TIMEOUT_MS);
      // A page that reads the locked table gives up within the lock timeout with a 503.
      const page = await fetch(`${server.url}${recommendation}`);
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      expect(await page.text()).toContain('The service is briefly unavailable');
    } finally {
      await release();
    }
  },
);

test.runIf(available)(
  'without JavaScript: when the session cannot be read, an index-route form still comes back whole and Try again saves it',
  async () => {
    const page = await signedInPage(browser, server.url, DEMO_ACCOUNTS.organiser, undefined, {
      javaScript: false,
      width: 1280,
    });
    await page.goto(`${server.url}/organise/hidden-in-plain-sight`);
    const runBy = `Startup Coalition and Mozilla ${randomBytes(3).toString('hex')}`;
    await page.getByLabel('Run by').fill(runBy);
    const release = await lockTable('sessions');
    try {
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expectRetryPage(page);
      await hasValue(page.getByLabel('Run by'), runBy);
    } finally {
      await release();
    }
    await page.getByRole('button', { name: 'Try again' }).click();
    await visible(page.getByRole('heading', { name: /Hidden in Plain Sight/ }).first());
    const stored = await adminQuery(`select run_by from ${schema}.consultations where slug = $1`, [
      'hidden-in-plain-sight',
    ]);
    expect(stored.rows[0].run_by).toBe(runBy);
  },
);

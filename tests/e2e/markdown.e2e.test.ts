import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  MODES,
  expectAccessible,
  hasValue,
  launchBrowser,
  newPage,
  visible,
} from '#tests/support/browser';
import { startServer, type TestServer } from '#tests/support/server';
import { DEMO_ACCOUNTS, signInInBrowser } from '#tests/support/accounts';

let server: TestServer;
let browser: Browser;
const recommendationPage =
  '/consultations/hidden-in-plain-sight/recommendations/publicly-funded-ai-open-release';
// 4,998 characters that used to overflow the renderer's stack and take the page down with them.
const NESTED_LISTS = '1. '.repeat(1666).trim();

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test.each(MODES)(
  '$label: the nested-list comment gets a field error, keeps its text, and the page stays up',
  async ({ javaScript }) => {
    const page = await newPage(browser, { javaScript });
    await signInInBrowser(page, server.url, DEMO_ACCOUNTS.founder, recommendationPage);
    await visible(page.getByRole('heading', { name: 'Endorsements' }));

    await page.getByLabel('Add a comment').fill(NESTED_LISTS);
    await page.getByRole('button', { name: 'Post comment' }).click();

    await visible(page.getByRole('alert').getByText('We could not save this text'));
    await visible(page.locator('#field-body-error').getByText(/more than 10 levels deep/));
    await hasValue(page.getByLabel('Add a comment'), NESTED_LISTS);
    await expectAccessible(page);

    // Nothing was stored, so the page answers everyone as before.
    const reader = await newPage(browser, { javaScript: false });
    const response = await reader.goto(`${server.url}${recommendationPage}`);
    expect(response?.status()).toBe(200);
    await visible(reader.getByRole('heading', { name: 'Endorsements' }));
    await reader.close();
    await page.close();
  },
);

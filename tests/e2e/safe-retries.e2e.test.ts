import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { signInInBrowser } from '#tests/support/accounts';
import { hasText, newPage } from '#tests/support/browser';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createConsultation, createRecommendation, createUser } from '#tests/support/factories';
import { startFixtureServer } from '#tests/support/fixtures';

// Retrying the same form is safe: each showing of a form carries a key of its own, and the same
// POST sent again (a double click, "Try again" after an error page) answers as the first did.

/** An open consultation with two recommendations, and a respondent with a confirmed address. */
const env = serverAndBrowser(() =>
  startFixtureServer(async (db) => {
    const consultation = await createConsultation(db, { status: 'open' });
    const first = await createRecommendation(db, consultation.id);
    await createRecommendation(db, consultation.id);
    return { consultation, first, respondent: await createUser(db) };
  }),
);
const slug = () => env.fixtures.consultation.slug;
const recommendationPage = () =>
  `/consultations/${slug()}/recommendations/${env.fixtures.first.slug}`;
const KEY = /name="idempotencyKey" value="([0-9a-f-]{36})"/;

async function signIn(page: Page, redirectTo: string) {
  await signInInBrowser(page, env.url, env.fixtures.respondent, redirectTo);
}

const keyOnPage = (page: Page) => page.locator('input[name="idempotencyKey"]').first();

test('with JavaScript, each questionnaire page moved to carries a new key', async () => {
  const page = await newPage(env.browser, { javaScript: true });
  await signIn(page, `/consultations/${slug()}/respond/about-you`);
  await page.getByRole('heading', { name: 'About you' }).waitFor();
  const keys = [await keyOnPage(page).inputValue()];

  for (const number of [1, 2]) {
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await hasText(
      page.getByText(/^Recommendation \d+ of \d+$/),
      new RegExp(`^Recommendation ${number} of`),
    );
    keys.push(await keyOnPage(page).inputValue());
  }

  expect(keys.every((k) => /^[0-9a-f-]{36}$/.test(k))).toBe(true);
  expect(new Set(keys).size).toBe(3);
});

test('the same endorse POST sent again answers as the first, and after a withdrawal does not endorse again', async () => {
  const { server } = env;
  const page = await newPage(env.browser, { javaScript: false });
  await signIn(page, recommendationPage());
  await page.getByRole('heading', { name: 'Endorsements' }).waitFor();
  const cookie = (await page.context().cookies()).find((c) => c.name === 'oc_session')!;
  const headers = { Cookie: `oc_session=${cookie.value}` };
  const show = async () => {
    const html = await (await fetch(`${server.url}${recommendationPage()}`, { headers })).text();
    const count = /endorse__count[^>]*><strong>([\d,]+)<\/strong>/.exec(html)![1]!;
    return { key: KEY.exec(html)![1]!, count: Number(count.replace(/,/g, '')) };
  };
  const send = async (body: string) => {
    const response = await fetch(`${server.url}${recommendationPage()}`, {
      method: 'POST',
      headers: {
        ...headers,
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: server.url,
      },
      body,
      redirect: 'manual',
    });
    return { status: response.status, location: response.headers.get('Location') };
  };
  const start = await show();
  await send(`intent=withdraw&idempotencyKey=${start.key}`);
  const before = await show();

  const endorseForm = `intent=endorse&idempotencyKey=${before.key}`;
  const first = await send(endorseForm);
  const retry = await send(endorseForm);

  expect(first).toEqual({ status: 302, location: expect.stringContaining('notice=endorsed') });
  expect(retry).toEqual(first);
  const endorsed = await show();
  expect(endorsed.count).toBe(before.count + 1);

  expect((await send(`intent=withdraw&idempotencyKey=${endorsed.key}`)).location).toContain(
    'notice=withdrawn',
  );
  expect(await send(endorseForm)).toEqual(first);
  expect((await show()).count).toBe(before.count);
});

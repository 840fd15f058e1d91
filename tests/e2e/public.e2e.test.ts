import { expect, test } from 'vitest';
import {
  expectAccessible,
  hasText,
  isFocused,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { startServer } from '#tests/support/server';

// What a newcomer sees: the demo seed itself is the subject here.
const env = serverAndBrowser(() => startServer());

test('a visitor reads the seeded consultation and walks through its recommendations', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.url);
  await hasText(page.getByRole('heading', { level: 1 }), /Have your say/);
  await expectAccessible(page);
  await screenshot(page, 'home');

  await page
    .getByRole('link', { name: 'Hidden in Plain Sight: open source AI policy reforms' })
    .click();
  await page.waitForURL('**/consultations/hidden-in-plain-sight');
  await visible(page.getByRole('heading', { name: 'The 7 recommendations' }));
  const items = page.getByRole('list', { name: 'The 7 recommendations' }).getByRole('listitem');
  expect(await items.count()).toBe(7);
  await visible(page.getByText('Closes', { exact: true }));
  await expectAccessible(page);
  await screenshot(page, 'consultation');

  await page.getByRole('link', { name: /Recommendation 1:/ }).click();
  await visible(page.getByText('Recommendation 1 of 7'));
  await hasText(page.getByRole('heading', { level: 1 }), 'open source first');
  await expectAccessible(page);
  await screenshot(page, 'recommendation');

  await page.getByRole('link', { name: /Next: recommendation 2/ }).click();
  await visible(page.getByText('Recommendation 2 of 7'));
  await expectAccessible(page);

  await page.goto(
    `${env.url}/consultations/hidden-in-plain-sight/recommendations/seventh-reform-not-named-in-source`,
  );
  await hasText(page.getByRole('heading', { level: 1 }), 'not named in our source');
  // The placeholder is listed but cannot be answered, endorsed or discussed.
  await visible(
    page.getByText('Not yet open for comment: the source does not name this reform.').first(),
  );
  expect(await page.getByRole('link', { name: 'Give your view' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: /Endorse/ }).count()).toBe(0);
  await expectAccessible(page);

  await page.goto(`${env.url}/consultations`);
  await visible(page.getByRole('heading', { name: 'Consultations', level: 1 }));
  await expectAccessible(page);
});

test('the pages work without JavaScript and on a phone-sized screen', async () => {
  const page = await newPage(env.browser, { javaScript: false, width: 390 });
  await page.goto(`${env.url}/consultations/hidden-in-plain-sight`);
  await hasText(page.getByRole('heading', { level: 1 }), 'Hidden in Plain Sight');
  await page.getByRole('link', { name: /Recommendation 3:/ }).click();
  await visible(page.getByText('Recommendation 3 of 7'));
  await expectAccessible(page);
  await screenshot(page, 'recommendation-mobile');
});

test('keyboard users can skip to the content and reach every link', async () => {
  const page = await newPage(env.browser);
  await page.goto(env.url);
  await page.keyboard.press('Tab');
  await isFocused(page.getByRole('link', { name: 'Skip to main content' }));
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.closest('main') !== null);
  expect(focused).toBe(true);
});

test('an unknown consultation shows a 404 page, not an error', async () => {
  const page = await newPage(env.browser);
  const response = await page.goto(`${env.url}/consultations/no-such-thing`);
  expect(response?.status()).toBe(404);
  await visible(page.getByRole('heading', { name: 'Page not found' }));
  await expectAccessible(page);
  const unknownPath = await page.goto(`${env.url}/nowhere/at/all`);
  expect(unknownPath?.status()).toBe(404);
});

test('the health and readiness checks answer OK when the database does', async () => {
  const response = await fetch(`${env.url}/healthcheck`);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = await response.json();
  expect(body).toMatchObject({ status: 'ok', database: { ok: true } });
  expect(body.database.latencyMs).toBeGreaterThanOrEqual(0);
  const ready = await fetch(`${env.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ status: 'ready' });
});

import { expect, test } from 'vitest';
import { MODES, expectAccessible, hasValue, newPage, visible } from '#tests/support/browser';
import { signInInBrowser } from '#tests/support/accounts';
import { createCast, startFixtureServer } from '#tests/support/fixtures';
import { serverAndBrowser } from '#tests/support/e2e-env';

const env = serverAndBrowser(() => startFixtureServer((db) => createCast(db)));
const recommendationPage = () => {
  const { consultation, recommendations } = env.fixtures;
  return `/consultations/${consultation.slug}/recommendations/${recommendations[0]!.slug}`;
};
// 4,998 characters that used to overflow the renderer's stack and take the page down with them.
const NESTED_LISTS = '1. '.repeat(1666).trim();

test.each(MODES)(
  '$label: the nested-list comment gets a field error, keeps its text, and the page stays up',
  async ({ javaScript }) => {
    const { browser, url } = env;
    const page = await newPage(browser, { javaScript });
    await signInInBrowser(page, url, env.fixtures.founder, recommendationPage());
    await visible(page.getByRole('heading', { name: 'Endorsements' }));

    await page.getByLabel('Add a comment').fill(NESTED_LISTS);
    await page.getByRole('button', { name: 'Post comment' }).click();

    await visible(page.getByRole('alert').getByText('We could not save this text'));
    await visible(page.locator('#field-body-error').getByText(/more than 10 levels deep/));
    await hasValue(page.getByLabel('Add a comment'), NESTED_LISTS);
    await expectAccessible(page);

    // Nothing was stored, so the page answers everyone as before.
    const reader = await newPage(browser, { javaScript: false });
    const response = await reader.goto(`${url}${recommendationPage()}`);
    expect(response?.status()).toBe(200);
    await visible(reader.getByRole('heading', { name: 'Endorsements' }));
    expect(await reader.locator('.comment__body').count()).toBe(0);
    await reader.close();
    await page.close();
  },
);

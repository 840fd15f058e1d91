import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  MODE_WIDTHS,
  expectAccessible,
  hasText,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { signInInBrowser, signUpInBrowser } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createUser } from '#tests/support/factories';
import { createOpenConsultation, startFixtureServer } from '#tests/support/fixtures';
import { latestEmailTo } from '#tests/support/outbox';
import { submitOneAnswer } from '#tests/support/questionnaire';

/** The consultation's own notice names who runs it; the rest of its notice is set below. */
const CONTROLLER = 'The Fixture Panel, who run this test consultation and no one else';
const PASSWORD = 'a long enough password';
const env = serverAndBrowser(() =>
  startFixtureServer(async (db) => ({
    ...(await createOpenConsultation(db, {
      consultation: {
        privacy_controller: CONTROLLER,
        privacy_retention_months: 6,
        deletion_policy: 'erase',
      },
    })),
    investor: await createUser(db, { displayName: 'Fixture Investor', segment: 'investor' }),
  })),
);
const slug = () => env.fixtures.consultation.slug;
const respond = () => `/consultations/${slug()}/respond`;

const footer = (page: Page) => page.getByRole('navigation', { name: 'Site information' });

for (const width of [1280, 390]) {
  test(`at ${width} px the footer leads to the privacy notice, accessibility statement and contact page, and each consultation page to its own notice`, async () => {
    const { browser, server } = env;
    const page = await newPage(browser, { width });
    await page.goto(`${server.url}/`);
    await footer(page).getByRole('link', { name: 'Privacy', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Privacy notice', level: 1 }));
    await visible(page.getByText('The operator of this Open Consultation site').first());
    await expectAccessible(page);
    await footer(page).getByRole('link', { name: 'Accessibility statement' }).click();
    await visible(page.getByRole('heading', { name: 'Accessibility statement', level: 1 }));
    await visible(page.getByText(/WCAG\) version 2\.2 at level AA/));
    await expectAccessible(page);
    await footer(page).getByRole('link', { name: 'Contact' }).click();
    await visible(page.getByRole('heading', { name: 'Contact', level: 1 }));
    await expectAccessible(page);
    expect(await footer(page).getByText('Privacy notice for this consultation').count()).toBe(0);

    for (const path of [`/consultations/${slug()}`, `/consultations/${slug()}/results`]) {
      await page.goto(`${server.url}${path}`);
      await visible(
        footer(page).getByRole('link', { name: 'Privacy notice for this consultation' }),
      );
    }
    await footer(page).getByRole('link', { name: 'Privacy notice for this consultation' }).click();
    await visible(page.getByRole('heading', { name: 'Privacy notice', level: 1 }));
    await visible(page.getByText(CONTROLLER));
    await visible(page.getByText(/6 months after the consultation closes/));
    await visible(page.getByText(/Erased: your response is removed completely/));
    await expectAccessible(page);
    if (width === 390) await screenshot(page, 'privacy-consultation-notice-390');
  });
}

for (const { mode, width } of MODE_WIDTHS) {
  test(`${mode.label} at ${width} px, a person reads the notice before responding, responds, downloads their data and deletes their account`, async () => {
    const { browser, server } = env;
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    const who = `${mode.javaScript ? 'js' : 'nojs'}-${width}`;
    const email = `leaver-${who}@example.test`;
    await signUpInBrowser(page, server.url, {
      name: `Leaver ${who}`,
      email,
      password: PASSWORD,
      redirectTo: respond(),
    });

    // The start page says how the response is used before anything is typed.
    await visible(page.getByRole('heading', { name: 'How your response is used' }));
    await visible(page.getByText(/It is kept for 6 months after the consultation closes/));
    await visible(
      page.getByRole('link', { name: 'Read the privacy notice for this consultation' }),
    );
    await expectAccessible(page);
    const reference = await submitOneAnswer(page, `Reasons from ${who}.`);
    const copy = await latestEmailTo(server.url, email, new RegExp(`Your response .*${reference}`));
    expect(copy.text).toContain(`Reasons from ${who}.`);

    // Download: a JSON file with the response and its reasons.
    await page.goto(`${server.url}/account/profile`);
    await expectAccessible(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download all your data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^my-open-consultation-data-\d{4}-\d{2}-\d{2}\.json$/,
    );
    const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(data.account.email).toBe(email);
    expect(data.responses).toHaveLength(1);
    expect(data.responses[0].status).toBe('submitted');
    expect(data.responses[0].receipts).toHaveLength(1);
    expect(JSON.stringify(data)).toContain(`Reasons from ${who}.`);
    expect(JSON.stringify(data)).not.toContain('argon2');

    // Delete: refused without the confirmation and password, then done.
    await page.getByRole('link', { name: 'Delete your account' }).click();
    await visible(page.getByRole('heading', { name: 'Delete your account' }));
    await visible(page.getByText(/your response is erased and no longer counted/));
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await visible(page.getByRole('heading', { name: 'There is a problem' }));
    await visible(page.getByRole('link', { name: 'Confirm that you want to delete your account' }));
    await visible(page.getByRole('link', { name: 'Enter your password' }));
    await expect.poll(() => page.title()).toMatch(/^Error: /);
    await expectAccessible(page);
    await page.getByLabel('I understand that this cannot be undone').check();
    await page.getByLabel('Your password').fill('the wrong password');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await visible(page.getByRole('link', { name: 'The password is not right' }));
    expect(await page.getByLabel('I understand that this cannot be undone').isChecked()).toBe(true);
    await page.getByLabel('Your password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await visible(page.getByRole('heading', { name: 'Your account has been deleted' }));
    await visible(page.getByRole('link', { name: 'Sign in' }));
    await expectAccessible(page);
    if (mode.javaScript) await screenshot(page, `privacy-account-deleted-${width}`);

    // The account is gone: its password no longer signs in.
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByText('The email address or password is not right'));
  });
}

test('a deleted account leaves a tombstone that keeps its reply, and its endorsement is no longer counted', async () => {
  const { browser, server } = env;
  const page1 = `/consultations/${slug()}/recommendations/${env.fixtures.recommendations[0]!.slug}`;
  const count = (page: Page) => page.locator('.endorse__count strong');
  const leaver = await newPage(browser, { javaScript: false, width: 390 });
  await signUpInBrowser(leaver, server.url, {
    name: 'Leaving Commenter',
    email: 'leaving-commenter@example.test',
    segment: 'Investor',
    password: PASSWORD,
    redirectTo: page1,
  });
  await visible(leaver.getByRole('heading', { name: 'Endorsements' }));
  const before = Number(await count(leaver).textContent());
  await leaver.getByRole('button', { name: 'Endorse this recommendation' }).click();
  await hasText(count(leaver), String(before + 1));
  await leaver.getByLabel('Add a comment').fill('A comment from someone who will leave.');
  await leaver.getByRole('button', { name: 'Post comment' }).click();
  await visible(leaver.getByText('Your comment is published.'));

  const investor = await newPage(browser, { javaScript: false });
  await signInInBrowser(investor, server.url, env.fixtures.investor, page1);
  const theirs = investor.locator('article', { hasText: 'someone who will leave' });
  await theirs.getByRole('link', { name: 'Reply' }).click();
  await investor.getByLabel(/Your reply to Leaving Commenter/).fill('A reply that stays.');
  await investor.getByRole('button', { name: 'Post reply' }).click();
  await visible(investor.locator('.comments--replies').getByText('A reply that stays.'));

  await leaver.goto(`${server.url}/account/delete`);
  await visible(leaver.getByText(/Your comment is replaced by "Comment deleted by its author"/));
  await visible(leaver.getByText('Your endorsement is removed and no longer counted.'));
  await leaver.getByLabel('I understand that this cannot be undone').check();
  await leaver.getByLabel('Your password').fill(PASSWORD);
  await leaver.getByRole('button', { name: 'Delete my account' }).click();
  await visible(leaver.getByRole('heading', { name: 'Your account has been deleted' }));

  await leaver.goto(`${server.url}${page1}`);
  await hasText(count(leaver), String(before));
  expect(await leaver.getByText('A comment from someone who will leave.').count()).toBe(0);
  expect(await leaver.getByText('Leaving Commenter').count()).toBe(0);
  await visible(leaver.getByText('This comment was deleted').first());
  await visible(leaver.locator('.comments--replies').getByText('A reply that stays.'));
  await expectAccessible(leaver);
});

test('an organiser sets the privacy notice, fixing a mistake first', async () => {
  const { browser, server } = env;
  const page = await newPage(browser, { javaScript: false, width: 390 });
  await signInInBrowser(page, server.url, env.fixtures.organiser, `/organise/${slug()}`);
  await visible(page.getByRole('heading', { name: 'Privacy notice' }));
  await page.getByLabel('Retention period in months (optional)').fill('two years');
  await page.getByLabel('Contact email address (optional)').fill('privacy@demo.test');
  await page.getByRole('button', { name: 'Save privacy notice' }).click();
  await visible(
    page.getByRole('link', {
      name: 'Enter the retention period as a whole number of months, like 24',
    }),
  );
  expect(await page.getByLabel('Contact email address (optional)').inputValue()).toBe(
    'privacy@demo.test',
  );
  await expectAccessible(page);
  await page.getByLabel('Retention period in months (optional)').fill('12');
  await page.getByRole('button', { name: 'Save privacy notice' }).click();
  await visible(page.getByText('The privacy notice has been saved.'));
  await page.goto(`${server.url}/consultations/${slug()}/privacy`);
  await visible(page.getByText(/12 months after the consultation closes/));
  await visible(page.getByRole('link', { name: 'privacy@demo.test' }));
});

import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  expectAccessible,
  hasText,
  MODES,
  MODE_WIDTHS,
  newPage,
  visible,
} from '#tests/support/browser';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createCast, startFixtureServer } from '#tests/support/fixtures';
import { confirmEmail, latestEmailTo, linkInEmail } from '#tests/support/outbox';
import { startServer } from '#tests/support/server';

const env = serverAndBrowser(() => startFixtureServer((db) => createCast(db)));
const slug = () => env.fixtures.consultation.slug;

/** Opens the newest email to `address` with this subject from the outbox page, as a developer would. */
async function openEmail(page: Page, address: string, subject: RegExp) {
  await page.goto(`${env.url}/dev/outbox`);
  await visible(page.getByRole('heading', { name: 'Development outbox' }));
  const row = page.getByRole('row').filter({ hasText: address }).filter({ hasText: subject });
  await row.first().getByRole('link').click();
  await visible(page.getByRole('heading', { name: subject }));
}

for (const { mode, width } of MODE_WIDTHS) {
  test(`${mode.label} at ${width} px a new person confirms their email, responds, gets a copy and resets their password`, async () => {
    const { browser, server } = env;
    const count = env.fixtures.recommendations.length;
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    const address = `email-${mode.javaScript ? 'js' : 'nojs'}-${width}@example.test`;

    await page.goto(`${server.url}/signup?redirectTo=/consultations/${slug()}/respond`);
    await page.getByLabel('Your name').fill('Mary Founder');
    await page.getByLabel('Email address').fill(address);
    await page.getByLabel('Create a password').fill('first long password');
    await page.getByLabel('Founder or startup team member').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await visible(page.getByRole('heading', { name: 'Check your email to finish signing up' }));
    await expectAccessible(page);

    // The confirmation email, read in the development outbox; the link only shows a button.
    await openEmail(page, address, /Confirm your email address/);
    await expectAccessible(page);
    await page.getByRole('link', { name: /\/account\/confirm-email\?token=/ }).click();
    await visible(page.getByRole('heading', { name: 'Confirm your email address' }));
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Confirm email address' }).click();
    // Confirmed and signed in, the person is back where they were going.
    await page.waitForURL((url) => url.pathname === `/consultations/${slug()}/respond`);
    await hasText(page.getByText('Signed in as'), 'Mary Founder');
    await expectAccessible(page);

    // Respond: one recommendation is enough to submit.
    await page.getByRole('link', { name: 'Start now' }).click();
    await visible(page.getByRole('heading', { name: 'About you' }));
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await hasText(page.getByText(/^Recommendation \d of \d$/), `Recommendation 1 of ${count}`);
    await page.getByLabel('Support', { exact: true }).check();
    await page.getByLabel('Your reasons and evidence (optional)').fill('Copied to my inbox.');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await hasText(page.getByText(/^Recommendation \d of \d$/), `Recommendation 2 of ${count}`);
    // Publishing is an active choice, made on the last page.
    await page.goto(`${server.url}/consultations/${slug()}/respond/final`);
    await page.getByLabel('Publish my answers anonymously').check();
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await visible(page.getByRole('heading', { name: /Check your answers/ }));
    await page.getByRole('button', { name: 'Submit response' }).click();
    await visible(page.getByRole('heading', { name: 'Response submitted' }));
    const reference = (await page.locator('.confirmation__reference').textContent())!.trim();

    // The copy of the response, with its receipt reference.
    await openEmail(page, address, new RegExp(`Your response to .*${reference}`));
    await visible(page.getByText(`Receipt reference: ${reference}`, { exact: false }));
    await visible(page.getByText('Copied to my inbox.', { exact: false }));
    await expectAccessible(page);

    // Sign out, forget the password, reset it by email, sign in with the new one.
    await page.getByRole('button', { name: 'Sign out' }).click();
    // With JavaScript the click returns before the sign-out is answered.
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'detached' });
    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await visible(page.getByRole('heading', { name: 'Reset your password' }));
    await page.getByRole('button', { name: 'Send the link' }).click();
    await visible(page.getByRole('link', { name: 'Enter your email address' }));
    await expectAccessible(page);
    await page.getByLabel('Email address').fill(address);
    await page.getByRole('button', { name: 'Send the link' }).click();
    await visible(page.getByText(/If an account uses that address/));
    await expectAccessible(page);

    await page.goto(
      await linkInEmail(server.url, address, '/account/reset-password', /Reset your password/),
    );
    await visible(page.getByRole('heading', { name: 'Choose a new password' }));
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await visible(page.getByRole('link', { name: 'Password must be at least 10 characters' }));
    await expectAccessible(page);
    await page.getByLabel('New password').fill('second long password');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await visible(
      page.getByText('Your password has been changed. Sign in with your new password.'),
    );
    await expectAccessible(page);

    await page.getByLabel('Email address').fill(address);
    await page.getByLabel('Password', { exact: true }).fill('first long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByText('The email address or password is not right'));
    await page.getByLabel('Password', { exact: true }).fill('second long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await hasText(page.getByText('Signed in as'), 'Mary Founder');

    // The reset link worked once only.
    const used = await linkInEmail(server.url, address, '/account/reset-password');
    await page.goto(used);
    await visible(page.getByText('This link has expired or has already been used.'));
    await page.context().close();
  });
}

test('an unconfirmed person is told to confirm before they can submit; later a mail client unsubscribes them in one click', async () => {
  const { browser, server } = env;
  const page = await newPage(browser);
  const address = 'unconfirmed-person@example.test';
  await page.goto(`${server.url}/signup`);
  await page.getByLabel('Your name').fill('Una Confirmed');
  await page.getByLabel('Email address').fill(address);
  await page.getByLabel('Create a password').fill('a long enough password');
  await page.getByLabel('Investor').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await visible(page.getByRole('heading', { name: 'Check your email to finish signing up' }));
  // They do not open the link, but sign in with their password.
  await page.getByRole('main').getByRole('link', { name: 'sign in' }).click();
  await page.getByLabel('Email address').fill(address);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByRole('link', { name: 'Send the link again' }));

  await page.goto(`${server.url}/consultations/${slug()}/respond`);
  await page.getByRole('link', { name: 'Start now' }).click();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.getByLabel('Oppose', { exact: true }).check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await page.goto(`${server.url}/consultations/${slug()}/respond/final`);
  await page.getByLabel('Do not publish my answers').check();
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await visible(page.getByRole('heading', { name: /Check your answers/ }));
  await page.getByRole('button', { name: 'Submit response' }).click();
  await visible(page.getByText(/Confirm your email address first/));
  await expectAccessible(page);

  await page.getByRole('main').getByRole('link', { name: 'Send the link again' }).first().click();
  await page.getByRole('button', { name: 'Send the link again' }).click();
  await visible(page.getByText(`We have sent a new link to ${address}`, { exact: false }));
  await expectAccessible(page);
  const email = await latestEmailTo(server.url, address, /Confirm your email address/);
  expect(email.text).toContain('The link works once, for 48 hours.');
  await confirmEmail(page, server.url, address);

  // An organiser invites them to a role and they accept: the message is emailed with RFC 8058 headers, and a mail
  // client's one-click POST (no cookie, no page) unsubscribes them from that kind of email.
  const login = await fetch(`${server.url}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      email: env.fixtures.organiser.email,
      password: env.fixtures.organiser.password,
      redirectTo: '/',
    }),
    redirect: 'manual',
  });
  const organiser = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const granted = await fetch(`${server.url}/organise/${slug()}/team`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: server.url,
      Cookie: organiser,
    },
    body: new URLSearchParams({ intent: 'grant', email: address, role: 'moderator' }),
    redirect: 'manual',
  });
  expect(granted.status).toBe(302);
  await page.goto(await linkInEmail(server.url, address, '/invitations/accept', /You are invited/));
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await visible(page.getByText(/You are now a moderator/));
  const news = await latestEmailTo(server.url, address, /You are now a moderator/);
  expect(news.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  const unsubscribeUrl = new URL(/^<(.+)>$/.exec(news.headers['List-Unsubscribe']!)![1]!);
  const oneClick = await fetch(`${server.url}${unsubscribeUrl.pathname}${unsubscribeUrl.search}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
    redirect: 'manual',
  });
  expect(oneClick.status).toBe(200);

  await page.goto(`${server.url}/account/email-preferences`);
  await expectAccessible(page);
  await page.getByLabel('Moderation decisions about what I post').uncheck();
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await visible(page.getByText('Your email preferences are saved.'));
  expect(await page.getByLabel('Moderation decisions about what I post').isChecked()).toBe(false);
  // Unsubscribed by the one-click request above.
  expect(await page.getByLabel('News about my account').isChecked()).toBe(false);
  expect(await page.getByLabel('Consultation news').isChecked()).toBe(true);
  await page.context().close();
});

for (const mode of MODES) {
  test(`${mode.label} a person changes their email address (the old one is told) and their password (other sessions end)`, async () => {
    const { browser, server } = env;
    const page = await newPage(browser, { javaScript: mode.javaScript, width: 390 });
    const other = await newPage(browser);
    const who = mode.javaScript ? 'js' : 'nojs';
    const before = `change-${who}@example.test`;
    const after = `changed-${who}@example.test`;
    await page.goto(`${server.url}/signup`);
    await page.getByLabel('Your name').fill('Chang Person');
    await page.getByLabel('Email address').fill(before);
    await page.getByLabel('Create a password').fill('first long password');
    await page.getByLabel('Investor').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await visible(page.getByRole('heading', { name: 'Check your email to finish signing up' }));
    await confirmEmail(page, server.url, before);
    await hasText(page.getByText('Signed in as'), 'Chang Person');
    // A second device signed in to the same account.
    await other.goto(`${server.url}/login`);
    await other.getByLabel('Email address').fill(before);
    await other.getByLabel('Password', { exact: true }).fill('first long password');
    await other.getByRole('button', { name: 'Sign in' }).click();
    await hasText(other.getByText('Signed in as'), 'Chang Person');

    await page.goto(`${server.url}/account/profile`);
    await page.getByRole('link', { name: 'Change your email address' }).click();
    await page.getByLabel('New email address').fill(after);
    await page.getByLabel('Current password').fill('wrong password');
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await visible(page.getByRole('link', { name: 'Your current password is not right' }));
    expect(await page.getByLabel('New email address').inputValue()).toBe(after);
    expect(await page.getByLabel('Current password').inputValue()).toBe('');
    await expectAccessible(page);
    await page.getByLabel('Current password').fill('first long password');
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await visible(page.getByText(`We have sent a link to ${after}`, { exact: false }));
    await expectAccessible(page);
    await confirmEmail(page, server.url, after);
    await visible(page.getByText('Your new email address is confirmed'));
    const told = await latestEmailTo(
      server.url,
      before,
      /email address of your account has changed/,
    );
    expect(told.text).toContain(after);

    await page.goto(`${server.url}/account/password`);
    await page.getByLabel('Current password').fill('first long password');
    await page.getByLabel('New password').fill('second long password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await visible(page.getByText('Your password has been changed.', { exact: false }));
    await expectAccessible(page);
    await hasText(page.getByText('Signed in as'), 'Chang Person');
    await other.reload();
    await visible(other.getByRole('link', { name: 'Sign in' }));
    await page.context().close();
    await other.context().close();
  });
}

test('in production the server refuses to start without mail settings, and has no outbox page', async () => {
  const production = { NODE_ENV: 'production', SEED_DEMO: 'false' };
  await expect(startServer(production)).rejects.toThrow(
    /SMTP_URL, MAIL_FROM, APP_URL must be set in production/,
  );
  const live = await startServer({
    ...production,
    // Nothing listens there; no mail is queued in this test, so nothing is sent.
    SMTP_URL: 'smtp://127.0.0.1:9',
    MAIL_FROM: 'Open Consultation <noreply@example.org>',
    APP_URL: 'https://consult.example.org',
  });
  try {
    expect((await fetch(`${live.url}/dev/outbox`)).status).toBe(404);
    expect((await fetch(`${live.url}/healthcheck`)).status).toBe(200);
  } finally {
    await live.stop();
  }
});

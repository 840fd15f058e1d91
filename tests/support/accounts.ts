import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { demoAccounts, type DemoAccount } from '#db/seed-content';
import { newPage } from './browser';
import { linkInEmail } from './outbox';

/** Whoever can sign in: a demo account, a factory-made one, one made through the sign-up form. */
export type Account = { email: string; password: string };

function demo(role: string) {
  const account = demoAccounts.find((a) => (a.role ?? a.segment) === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

/** The demo seed's accounts (db/seed-content.ts), for tests that run on the demo data. */
export const DEMO_ACCOUNTS: Readonly<
  Record<'organiser' | 'moderator' | 'founder' | 'investor', DemoAccount>
> = {
  organiser: demo('organiser'),
  moderator: demo('moderator'),
  founder: demo('founder'),
  investor: demo('investor'),
};

/**
 * Signs in with the sign-in form in `page`, going on to `redirectTo` (a path, maybe with a query
 * or fragment), and waits until the page has arrived there: at that path, or, without
 * `redirectTo`, anywhere but the sign-in page.
 */
export async function signInInBrowser(
  page: Page,
  baseUrl: string,
  account: Account,
  redirectTo?: string,
) {
  const query = redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : '';
  await page.goto(`${baseUrl}/login${query}`);
  await page.getByLabel('Email address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const target = redirectTo?.split('#')[0]?.split('?')[0];
  await page.waitForURL((url) => (target ? url.pathname === target : url.pathname !== '/login'));
}

/** A new page (see newPage for the options), signed in as `account` and arrived at `redirectTo`. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  account: Account,
  redirectTo?: string,
  options: { javaScript?: boolean; width?: number } = {},
) {
  const page = await newPage(browser, options);
  await signInInBrowser(page, baseUrl, account, redirectTo);
  return page;
}

// Signing up ends on "check your email"; the confirmation link signs the person in. Every
// browser or HTTP test that needs a new account through the real sign-up goes through these,
// as a person would (integration tests have signUpAndConfirm in factories.ts).

/** The password every account made through the sign-up form here uses. */
export const SIGN_UP_PASSWORD = 'a long enough password';

function sessionCookie(response: Response) {
  return response.headers.getSetCookie().find((c) => c.startsWith('oc_session='));
}

export type BrowserSignUp = {
  name: string;
  email: string;
  /** The label of the segment radio to pick. */
  segment?: string;
  organisation?: string;
  password?: string;
  /** Where the person was going: the email link brings them back there, signed in. */
  redirectTo?: string;
};

/**
 * Signs up in `page` as a person does: fills the form, sees "check your email", opens the
 * link from the development outbox and presses the button. Leaves the page, signed in, on
 * `redirectTo` (or on the confirmation page when there is none).
 */
export async function signUpInBrowser(page: Page, baseUrl: string, person: BrowserSignUp) {
  const query = person.redirectTo ? `?redirectTo=${encodeURIComponent(person.redirectTo)}` : '';
  await page.goto(`${baseUrl}/signup${query}`);
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Create a password').fill(person.password ?? SIGN_UP_PASSWORD);
  if (person.organisation) {
    await page.getByLabel('Organisation (optional)').fill(person.organisation);
  }
  await page.getByLabel(person.segment ?? 'Founder or startup team member').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your email to finish signing up' }).waitFor();
  await page.goto(
    await linkInEmail(baseUrl, person.email, '/account/confirm-email', /Confirm your email/),
  );
  await page.getByRole('button', { name: 'Confirm email address' }).click();
  const target = person.redirectTo?.split('#')[0]?.split('?')[0];
  if (target && target !== '/') {
    await page.waitForURL((url) => url.pathname === target);
  } else {
    await page.getByText(/email address is confirmed/).waitFor();
  }
}

/**
 * Signs up over HTTP (no browser) and follows the emailed link with the form its page sends:
 * returns the session cookie (`name=value`) the link gave.
 */
export async function signUpOverHttp(
  baseUrl: string,
  person: { name: string; email: string; segment?: string },
) {
  const response = await fetch(`${baseUrl}/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl },
    body: new URLSearchParams({
      email: person.email,
      password: SIGN_UP_PASSWORD,
      displayName: person.name,
      organisation: '',
      segment: person.segment ?? 'investor',
      segmentOther: '',
      redirectTo: '/',
    }),
    redirect: 'manual',
  });
  expect(response.status, `sign up ${person.email}`).toBe(302);
  expect(response.headers.get('Location')).toBe('/signup/check-email');
  expect(sessionCookie(response), 'no session at sign-up').toBeUndefined();
  const link = new URL(await linkInEmail(baseUrl, person.email, '/account/confirm-email'));
  const confirmed = await fetch(`${baseUrl}/account/confirm-email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl },
    body: new URLSearchParams({ intent: 'confirm', token: link.searchParams.get('token')! }),
    redirect: 'manual',
  });
  expect(confirmed.status, `confirm ${person.email}`).toBe(302);
  const cookie = sessionCookie(confirmed);
  expect(cookie, `a session for ${person.email}`).toBeDefined();
  return cookie!.split(';')[0]!;
}

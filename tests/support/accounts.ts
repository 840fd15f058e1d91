import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { linkInEmail } from './outbox';

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

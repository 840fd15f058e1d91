import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { GOOD_REDIRECT, OPEN_REDIRECTS, type OpenRedirect } from '#tests/fixtures/open-redirects';
import { SIGN_UP_PASSWORD } from '#tests/support/accounts';
import { launchBrowser, MODES } from '#tests/support/browser';
import { Visitor } from '#tests/support/http-client';
import { latestEmailTo } from '#tests/support/outbox';
import { startServer, type TestServer } from '#tests/support/server';

// Open redirects, end to end, on every place that takes somewhere to go next: the sign-in and
// sign-up forms (`redirectTo`), their pages when already signed in, the hidden fields and links
// their pages carry it in, the confirmation link's `next` (in the email and posted back), the
// invitation page's sign-in links and the sign-in redirect of a signed-out visit. Each must
// land on a path of this site (its Location parsed against the app's address), never a 500.
// tests/unit/safe-redirect.test.ts checks safeRedirectPath itself, payload by payload.

let server: TestServer;
let browser: Browser | undefined;
const FULL = process.env.SECURITY === 'full';
/** The short run: every third payload, always the first (the classic "//evil.example"). */
const PAYLOADS = FULL ? OPEN_REDIRECTS : OPEN_REDIRECTS.filter((_, i) => i % 3 === 0);
/** Sign-ups are limited to 30 a network, and confirming takes one each: a sample in any run. */
const SIGN_UP_PAYLOADS = OPEN_REDIRECTS.filter((p) =>
  [
    'protocol-relative',
    'slash then backslash',
    'javascript:',
    'an encoded CR LF (header injection)',
  ].includes(p.name),
);
const EMAIL = 'walker@redirects.test';
let signedIn: Visitor;

beforeAll(async () => {
  server = await startServer();
  // An account of the suite's own: it signs in dozens of times, which no demo account should.
  signedIn = await Visitor.signUp(server.url, { name: 'Wanda Walker', email: EMAIL });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Why `location` could leave the site, or null when it is a path here. */
function offSite(location: string | null) {
  if (location === null) return 'no Location';
  if (!location.startsWith('/') || location.startsWith('//')) return `not a path: ${location}`;
  if (/[\p{Cc}\\]/u.test(location)) return `control character or backslash: ${location}`;
  const url = new URL(location, server.url);
  return url.origin === server.url ? null : `leaves for ${url.origin}`;
}

function unescapeHtml(text: string) {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every value of a hidden field named `name`, and every `redirectTo` in a link on the page. */
function targetsIn(html: string, name: string) {
  const fields = [...html.matchAll(new RegExp(`name="${name}" value="([^"]*)"`, 'g'))].map((m) =>
    unescapeHtml(m[1]!),
  );
  const links = [...html.matchAll(/href="([^"]*redirectTo=[^"]*)"/g)].map(
    (m) => new URL(unescapeHtml(m[1]!), server.url).searchParams.get('redirectTo') ?? '',
  );
  return [...fields, ...links];
}

const q = (payload: OpenRedirect) => encodeURIComponent(payload.value);

/**
 * An address with a control character in it (a raw tab, CR or LF, percent-encoded in the
 * query) never reaches the app: the edge answers 400 with its own page and no Location
 * (tests/e2e/edge.e2e.test.ts). That is a safe answer too; anything else goes on to be checked.
 */
function refusedAtTheEdge(response: Response, payload: OpenRedirect) {
  return (
    response.status === 400 &&
    response.headers.get('Location') === null &&
    /\p{Cc}/u.test(payload.value)
  );
}

test('signing in with a hostile redirectTo lands on a path of this site; a good one is honoured', async () => {
  const failures: string[] = [];
  for (const payload of [...PAYLOADS, { name: 'the control', value: GOOD_REDIRECT }]) {
    const visitor = new Visitor(server.url);
    const response = await visitor.post('/login', {
      email: EMAIL,
      password: SIGN_UP_PASSWORD,
      redirectTo: payload.value,
    });
    if (response.status !== 302) failures.push(`${payload.name}: status ${response.status}`);
    const why = offSite(response.headers.get('Location'));
    if (why) failures.push(`${payload.name}: ${why}`);
    if (payload.value === GOOD_REDIRECT) {
      expect(response.headers.get('Location'), 'the good redirectTo').toBe(GOOD_REDIRECT);
    }
  }
  expect(failures).toEqual([]);
}, 60_000);

test('already signed in, GET /login and /signup with a hostile redirectTo send you on to a path here', async () => {
  const failures: string[] = [];
  for (const page of ['/login', '/signup']) {
    for (const payload of [...PAYLOADS, { name: 'the control', value: GOOD_REDIRECT }]) {
      const response = await signedIn.get(`${page}?redirectTo=${q(payload)}`);
      if (refusedAtTheEdge(response, payload)) continue;
      if (response.status !== 302) failures.push(`${page} ${payload.name}: ${response.status}`);
      const why = offSite(response.headers.get('Location'));
      if (why) failures.push(`${page} ${payload.name}: ${why}`);
      if (payload.value === GOOD_REDIRECT && response.headers.get('Location') !== GOOD_REDIRECT) {
        failures.push(`${page}: the good redirectTo was not honoured`);
      }
    }
  }
  expect(failures).toEqual([]);
});

test('signed out, the sign-in and sign-up pages carry only a path of this site in their forms and links', async () => {
  const anonymous = new Visitor(server.url);
  const failures: string[] = [];
  for (const page of ['/login', '/signup']) {
    for (const payload of [...PAYLOADS, { name: 'the control', value: GOOD_REDIRECT }]) {
      const response = await anonymous.get(`${page}?redirectTo=${q(payload)}`);
      if (refusedAtTheEdge(response, payload)) continue;
      if (response.status !== 200) failures.push(`${page} ${payload.name}: ${response.status}`);
      const targets = targetsIn(await response.text(), 'redirectTo');
      if (targets.length === 0) failures.push(`${page} ${payload.name}: no redirectTo on the page`);
      for (const target of targets) {
        const why = offSite(target);
        if (why) failures.push(`${page} ${payload.name}: ${why}`);
      }
      if (payload.value === GOOD_REDIRECT && !targets.includes(GOOD_REDIRECT)) {
        failures.push(`${page}: the good redirectTo was not kept`);
      }
    }
  }
  expect(failures).toEqual([]);
});

test('the confirmation page keeps only a path of this site as the `next` it posts back', async () => {
  // A real, unused link: the page shows its button (and the hidden `next`) only for one.
  const email = 'unconfirmed@redirects.test';
  const signedUp = await new Visitor(server.url).post('/signup', {
    email,
    password: SIGN_UP_PASSWORD,
    displayName: 'Una Unconfirmed',
    organisation: '',
    segment: 'investor',
    segmentOther: '',
    redirectTo: '/',
  });
  expect(signedUp.headers.get('Location')).toBe('/signup/check-email');
  const mail = await latestEmailTo(server.url, email, /Confirm your email/);
  const link = new URL(mail.links.find((l) => l.includes('/account/confirm-email'))!);
  const token = encodeURIComponent(link.searchParams.get('token')!);
  const anonymous = new Visitor(server.url);
  const failures: string[] = [];
  for (const payload of [...PAYLOADS, { name: 'the control', value: GOOD_REDIRECT }]) {
    const response = await anonymous.get(
      `/account/confirm-email?token=${token}&next=${q(payload)}`,
    );
    if (refusedAtTheEdge(response, payload)) continue;
    if (response.status !== 200) failures.push(`${payload.name}: ${response.status}`);
    const targets = targetsIn(await response.text(), 'next');
    if (targets.length === 0) failures.push(`${payload.name}: no next on the page`);
    for (const next of targets) {
      const why = offSite(next);
      if (why) failures.push(`${payload.name}: ${why}`);
    }
    if (payload.value === GOOD_REDIRECT && !targets.includes(GOOD_REDIRECT)) {
      failures.push('the good next was not kept');
    }
  }
  expect(failures).toEqual([]);
});

test('signing up with a hostile redirectTo: the emailed link and the confirmation both stay on this site', async () => {
  const failures: string[] = [];
  for (const [index, payload] of [
    ...SIGN_UP_PAYLOADS,
    { name: 'the control', value: GOOD_REDIRECT },
  ].entries()) {
    const email = `signup-${index}@redirects.test`;
    const response = await new Visitor(server.url).post('/signup', {
      email,
      password: SIGN_UP_PASSWORD,
      displayName: `Rita Ramble ${index}`,
      organisation: '',
      segment: 'investor',
      segmentOther: '',
      redirectTo: payload.value,
    });
    expect(response.headers.get('Location'), `sign up ${payload.name}`).toBe('/signup/check-email');
    const mail = await latestEmailTo(server.url, email, /Confirm your email/);
    const link = new URL(mail.links.find((l) => l.includes('/account/confirm-email'))!);
    expect(link.origin, 'the emailed link is ours').toBe(server.url);
    const next = link.searchParams.get('next');
    if (payload.value === GOOD_REDIRECT) {
      expect(next, 'the good redirectTo travels in the link').toBe(GOOD_REDIRECT);
    } else if (next !== null && offSite(next)) {
      failures.push(`${payload.name}: the link's next ${offSite(next)}`);
    }
    // The person, or an attacker who sent them a doctored link, posts the hostile next back.
    const confirmed = await new Visitor(server.url).post('/account/confirm-email', {
      intent: 'confirm',
      token: link.searchParams.get('token')!,
      next: payload.value,
    });
    if (confirmed.status !== 302) failures.push(`${payload.name}: confirm ${confirmed.status}`);
    const why = offSite(confirmed.headers.get('Location'));
    if (why) failures.push(`${payload.name}: confirmed, ${why}`);
    if (payload.value === GOOD_REDIRECT && confirmed.headers.get('Location') !== GOOD_REDIRECT) {
      failures.push('the good next was not honoured after confirming');
    }
  }
  expect(failures).toEqual([]);
}, 60_000);

test('the invitation page and a signed-out visit to a staff page send to sign in on this site only', async () => {
  const anonymous = new Visitor(server.url);
  const failures: string[] = [];
  for (const payload of PAYLOADS) {
    const invitation = await anonymous.get(`/invitations/accept?token=${q(payload)}`);
    if (invitation.status >= 500) failures.push(`invitation ${payload.name}: ${invitation.status}`);
    for (const target of targetsIn(await invitation.text(), 'redirectTo')) {
      const why = offSite(target);
      if (why) failures.push(`invitation ${payload.name}: ${why}`);
    }
    const staff = await anonymous.get(`/organise?next=${q(payload)}`);
    if (refusedAtTheEdge(staff, payload)) continue;
    const why = offSite(staff.headers.get('Location'));
    if (why) failures.push(`staff page ${payload.name}: ${why}`);
    const back = new URL(staff.headers.get('Location') ?? '/', server.url).searchParams;
    if (offSite(back.get('redirectTo'))) {
      failures.push(`staff page ${payload.name}: redirectTo ${offSite(back.get('redirectTo'))}`);
    }
  }
  expect(failures).toEqual([]);
});

/**
 * A sample for the browser (each is a sign-in, about a second): protocol-relative, backslash,
 * encoded tab, another scheme, javascript:, full-width solidus. The short run gives each mode
 * half of them; SECURITY=full runs all in both.
 */
const BROWSER_PAYLOADS = OPEN_REDIRECTS.filter((p) =>
  [
    'protocol-relative',
    'slash then backslash',
    'slash, encoded tab, slash',
    'an absolute https address',
    'javascript:',
    'a full-width solidus',
  ].includes(p.name),
);

for (const [index, mode] of MODES.entries()) {
  test(`Chromium ${mode.label}: after signing in through the form with a hostile redirectTo, the page is still this site`, async () => {
    browser ??= await launchBrowser();
    const sample = FULL ? BROWSER_PAYLOADS : BROWSER_PAYLOADS.filter((_, i) => i % 2 === index);
    const context = await browser.newContext({ javaScriptEnabled: mode.javaScript });
    try {
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      for (const payload of [...sample, { name: 'the control', value: GOOD_REDIRECT }]) {
        await context.clearCookies();
        await page.goto(`${server.url}/login?redirectTo=${q(payload)}`);
        await page.getByLabel('Email address').fill(EMAIL);
        await page.getByLabel('Password').fill(SIGN_UP_PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 10_000 });
        const url = new URL(page.url());
        expect(url.origin, payload.name).toBe(server.url);
        expect(dialogs, `${payload.name}: no script ran`).toEqual([]);
        if (payload.value === GOOD_REDIRECT) expect(url.pathname).toBe(GOOD_REDIRECT);
      }
    } finally {
      await context.close();
    }
  }, 60_000);
}

import { expect, test } from 'vitest';
import {
  expectAccessible,
  hasText,
  hasValue,
  MODES,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { latestEmailTo, linkInEmail } from '#tests/support/outbox';
import { signInInBrowser } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createCast, startFixtureServer } from '#tests/support/fixtures';

const env = serverAndBrowser(() => startFixtureServer((db) => createCast(db)));

test('without JavaScript a founder signs up after fixing a mistake, signs out and back in', async () => {
  const { browser, server } = env;
  const page = await newPage(browser, { javaScript: false });
  await page.goto(`${server.url}/signup`);
  await expectAccessible(page);
  await page.getByLabel('Your name').fill('Ada Founder');
  await page.getByLabel('Email address').fill('Ada@Example.com');
  await page.getByLabel('Create a password').fill('correct horse battery');
  await page.getByLabel('Organisation (optional)').fill('Analytical Engines Ltd');
  await page.getByRole('button', { name: 'Create account' }).click();

  await visible(page.getByRole('heading', { name: 'There is a problem' }));
  await visible(page.getByRole('link', { name: 'Select which best describes you' }));
  await hasValue(page.getByLabel('Your name'), 'Ada Founder');
  await hasValue(page.getByLabel('Email address'), 'Ada@Example.com');
  await hasValue(page.getByLabel('Organisation (optional)'), 'Analytical Engines Ltd');
  await hasValue(page.getByLabel('Create a password'), '');
  await expectAccessible(page);
  await screenshot(page, 'signup-error');

  // A common password is refused on its field, everything else kept.
  await page.getByLabel('Create a password').fill('password123');
  await page.getByLabel('Founder or startup team member').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await visible(page.getByRole('link', { name: /on a list of common passwords/ }));
  await hasValue(page.getByLabel('Your name'), 'Ada Founder');
  await hasValue(page.getByLabel('Organisation (optional)'), 'Analytical Engines Ltd');
  expect(await page.getByLabel('Founder or startup team member').isChecked()).toBe(true);

  await page.getByLabel('Create a password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await visible(page.getByRole('heading', { name: 'Check your email to finish signing up' }));
  await expect(page.getByText('Signed in as').count()).resolves.toBe(0);
  await expectAccessible(page);
  await page.goto(await linkInEmail(server.url, 'ada@example.com', '/account/confirm-email'));
  await page.getByRole('button', { name: 'Confirm email address' }).click();
  await hasText(page.getByText('Signed in as'), 'Ada Founder');
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await visible(page.getByRole('link', { name: 'Sign in' }));

  await page.getByRole('link', { name: 'Sign in' }).click();
  await expectAccessible(page);
  await page.getByLabel('Email address').fill('ada@example.com');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByText('The email address or password is not right'));
  await hasValue(page.getByLabel('Email address'), 'ada@example.com');
  await expectAccessible(page);

  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await hasText(page.getByText('Signed in as'), 'Ada Founder');
});

for (const mode of MODES) {
  test(`${mode.label}: signing up with a registered email looks exactly like a new sign-up, and the owner is emailed the way in`, async () => {
    const { browser, server } = env;
    const { founder } = env.fixtures;
    const page = await newPage(browser, { javaScript: mode.javaScript, width: 375 });
    const fresh = `fresh-${mode.javaScript ? 'js' : 'nojs'}@example.test`;
    const statuses: number[] = [];
    for (const email of [founder.email, fresh]) {
      await page.goto(`${server.url}/signup`);
      await page.getByLabel('Your name').fill('Someone Else');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Create a password').fill('another long password');
      await page.getByLabel('Investor').check();
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Create account' }).click(),
      ]);
      statuses.push(response.status());
      await visible(page.getByRole('heading', { name: 'Check your email to finish signing up' }));
      expect(new URL(page.url()).pathname).toBe('/signup/check-email');
    }
    expect(statuses[0]).toBe(statuses[1]);
    await expectAccessible(page);

    const owner = await latestEmailTo(server.url, founder.email, /already have an account/);
    expect(owner.links.map((l) => new URL(l).pathname)).toEqual(
      expect.arrayContaining(['/login', '/account/forgot-password']),
    );
    await latestEmailTo(server.url, fresh, /Confirm your email address/);
  });
}

test('after five wrong passwords the account waits a minute, and the page offers the reset link', async () => {
  const { browser, server } = env;
  const { investor } = env.fixtures;
  const page = await newPage(browser);
  await page.goto(`${server.url}/login`);
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.getByLabel('Email address').fill(investor.email);
    await page.getByLabel('Password').fill(`guess ${attempt}`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(response.status()).toBe(422);
    await visible(page.getByText('The email address or password is not right'));
  }
  await page.getByLabel('Email address').fill(investor.email);
  await page.getByLabel('Password').fill(investor.password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  expect(response.status()).toBe(429);
  await visible(
    page.getByText(/Too many wrong passwords for this account\. Try again in 1 minute\./),
  );
  await hasValue(page.getByLabel('Email address'), investor.email);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Reset your password' }).first().click();
  await visible(page.getByRole('heading', { name: 'Reset your password' }));
  expect(new URL(page.url()).pathname).toBe('/account/forgot-password');
});

test('a respondent who opens an organiser page sees a 403 page', async () => {
  const { browser, server } = env;
  const { consultation, founder } = env.fixtures;
  const page = await newPage(browser);
  await signInInBrowser(page, server.url, founder, '/organise');
  await visible(page.getByRole('heading', { name: 'You do not have access to this page' }));
  const response = await page.goto(`${server.url}/organise/${consultation.slug}`);
  expect(response?.status()).toBe(403);
  await expectAccessible(page);
});

test('a cross-site form post is refused', async () => {
  const { founder } = env.fixtures;
  const response = await fetch(`${env.url}/login`, {
    method: 'POST',
    headers: {
      Origin: 'https://evil.example',
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ email: founder.email, password: founder.password }).toString(),
  });
  expect(response.status).toBe(403);
});

test('a browser holding a stale session cookie signs in cleanly with JavaScript', async () => {
  const { browser, server } = env;
  const { founder } = env.fixtures;
  const page = await newPage(browser);
  await page.goto(`${server.url}/login`);
  await page
    .context()
    .addCookies([{ name: 'oc_session', value: 'expired-or-forged', url: server.url }]);
  await page.getByLabel('Email address').fill(founder.email);
  await page.getByLabel('Password').fill(founder.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await hasText(page.getByText('Signed in as'), founder.displayName);
  await page.reload();
  await hasText(page.getByText('Signed in as'), founder.displayName);
});

test('refused inputs come back as 400 pages that keep what was typed', async () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${env.url}/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  const fields = 'email=kept%40example.com&password=long+enough+pw&segment=founder';

  const nul = await post(`displayName=Ada%00Lovelace&${fields}`);
  expect(nul.status).toBe(400);
  const nulPage = await nul.text();
  expect(nulPage).toContain('Remove the invisible control characters');
  expect(nulPage).toContain('value="kept@example.com"');

  const unknown = await post(`displayName=Ada&${fields}&isAdmin=true`);
  expect(unknown.status).toBe(400);
  expect(await unknown.text()).toContain('fields we did not expect');

  const wrongType = await post(
    'displayName=Ada&email=kept%40example.com&password=long+enough+pw&segment=alien',
  );
  expect(wrongType.status).toBe(400);
  expect(await wrongType.text()).toContain('Select which best describes you');

  const oversized = await post(`displayName=${'a'.repeat(300_000)}&${fields}`);
  expect(oversized.status).toBe(413);
  expect(await oversized.text()).toContain('too large');
});

import { expect, test } from 'vitest';
import {
  expectAccessible,
  hasText,
  hasValue,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { signInInBrowser, signUpInBrowser } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createCastWithPlaceholder, startFixtureServer } from '#tests/support/fixtures';
import { saveAndContinue } from '#tests/support/questionnaire';

// Six open recommendations, one stance each in STANCE_PLAN, and a placeholder after them.
const env = serverAndBrowser(() => startFixtureServer((db) => createCastWithPlaceholder(db, 6)));
const slug = () => env.fixtures.consultation.slug;
/** The question page of the recommendation at `index` (0 for the first). */
const questionPage = (index: number) =>
  `/consultations/${slug()}/respond/recommendations/${env.fixtures.recommendations[index]!.slug}`;

const STANCE_PLAN = [
  'Support',
  'Strongly support',
  'Oppose',
  'Neither support nor oppose',
  'Support',
  'Strongly oppose',
];

test('without JavaScript a founder answers the six open recommendations, skipping the placeholder, fixes a mistake, submits, edits and resubmits', async () => {
  const { browser, server } = env;
  const { consultation, recommendations, placeholder, organiser: organiserAccount } = env.fixtures;
  const count = recommendations.length;
  const page = await newPage(browser, { javaScript: false });
  // Submitting needs a confirmed address: the emailed link confirms, signs in and comes back.
  await signUpInBrowser(page, server.url, {
    name: 'Grace Founder',
    email: 'grace@example.test',
    organisation: 'Compilers Ltd',
    redirectTo: `/consultations/${consultation.slug}/respond`,
  });

  await visible(page.getByRole('heading', { level: 1, name: /Your response$/ }));
  await expectAccessible(page);
  await screenshot(page, 'respond-1-start');
  await page.getByRole('link', { name: 'Start now' }).click();

  await visible(page.getByRole('heading', { name: 'About you' }));
  // About you, each open recommendation, then the overall comments.
  await hasText(page.getByText(/^Step \d+ of \d+$/), `Step 1 of ${count + 2}`);
  await page.getByLabel('Company stage or investor type (optional)').selectOption('seed');
  await page.getByLabel('Where are you based? (optional)').selectOption('Scotland');
  await expectAccessible(page);
  await screenshot(page, 'respond-2-about-you');
  await saveAndContinue(page);

  // Recommendation 1: reasons without a view is refused, and the reasons are kept.
  await hasText(page.getByText(/^Step \d+ of \d+$/), `Step 2 of ${count + 2}`);
  await page
    .getByLabel('Your reasons and evidence (optional)')
    .fill('Public money should build public goods.');
  await saveAndContinue(page);
  await visible(
    page.getByRole('link', {
      name: 'Choose how far you support this recommendation, or "No view"',
    }),
  );
  await hasValue(
    page.getByLabel('Your reasons and evidence (optional)'),
    'Public money should build public goods.',
  );
  await expectAccessible(page);
  await screenshot(page, 'respond-3-error');

  // Six steps, not seven: the seventh is a placeholder, not open for answers.
  expect(count).toBe(STANCE_PLAN.length);
  for (let index = 0; index < count; index++) {
    await hasText(
      page.getByText(/^Recommendation \d of \d$/),
      `Recommendation ${index + 1} of ${count}`,
    );
    await page.getByLabel(STANCE_PLAN[index]!, { exact: true }).check();
    await page.getByRole('radio', { name: `${(index % 5) + 1}:` }).check();
    if (index === 2) {
      await page
        .getByLabel('What would change your mind? (optional)')
        .fill('Evidence that procurement would slow down.');
    }
    if (index === 1) await screenshot(page, 'respond-4-recommendation');
    await expectAccessible(page);
    await saveAndContinue(page);
  }

  await visible(page.getByRole('heading', { name: 'Overall comments and publishing choice' }));
  await page
    .getByLabel('Overall comments (optional)')
    .fill('A welcome agenda; the reform still to be named should be published.');
  await page.getByLabel('Publish my answers with my name and organisation').check();
  await expectAccessible(page);
  await saveAndContinue(page);

  await visible(page.getByRole('heading', { name: 'Check your answers before submitting' }));
  await visible(page.getByText('Public money should build public goods.'));
  await visible(page.getByText(`Your views (${count} of ${count} answered)`));
  // The placeholder is neither listed nor counted as unanswered.
  expect(await page.getByText(placeholder.title).count()).toBe(0);
  await expectAccessible(page);
  await screenshot(page, 'respond-5-check');
  await page.getByRole('button', { name: 'Submit response' }).click();

  await visible(page.getByRole('heading', { name: 'Response submitted' }));
  const reference = (await page.locator('.confirmation__reference').textContent())!.trim();
  expect(reference).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expectAccessible(page);
  await screenshot(page, 'respond-6-receipt');

  // Edit: change the view on recommendation 3 and resubmit.
  await page.getByRole('link', { name: 'change your response' }).click();
  await page.getByRole('link', { name: /^3\. / }).click();
  await page.getByLabel('Strongly support', { exact: true }).check();
  await saveAndContinue(page);
  await page.goto(`${server.url}/consultations/${consultation.slug}/respond`);
  await visible(page.getByText('You have changes that are not submitted yet.'));
  await page.getByRole('link', { name: 'Check your answers and submit' }).click();
  await page.getByRole('button', { name: 'Submit changes' }).click();
  await visible(page.getByRole('heading', { name: 'Changes submitted' }));
  await hasText(page.locator('.confirmation__reference'), reference);
  await visible(page.getByText(/This is version 2 of your response/));
  // Sent again with nothing changed (a reload, a second tab): no version 3 is stored.
  await page.goto(`${server.url}/consultations/${consultation.slug}/respond/check`);
  await page.getByRole('button', { name: /^Submit/ }).click();
  await visible(
    page.getByText('Nothing had changed since version 2, so no new version was saved.'),
  );
  await expectAccessible(page);

  await page.getByRole('link', { name: 'See all your responses' }).click();
  await visible(page.getByText(/Submitted .*, edited /));
  await expectAccessible(page);
  await screenshot(page, 'respond-7-your-responses');

  // The organiser sees the response, as edited, with its history.
  const organiser = await newPage(browser);
  await signInInBrowser(
    organiser,
    server.url,
    organiserAccount,
    `/organise/${consultation.slug}/responses`,
  );
  await visible(organiser.getByRole('heading', { name: 'Responses' }));
  await expectAccessible(organiser);
  await organiser.getByRole('link', { name: reference }).click();
  await visible(organiser.getByRole('heading', { name: reference }));
  await hasText(
    organiser.locator('section', { hasText: '3. ' }).getByRole('definition').first(),
    'Strongly support',
  );
  await visible(organiser.getByText('Version 2, submitted', { exact: false }));
  await visible(organiser.getByText('Compilers Ltd'));
  await expectAccessible(organiser);
  await screenshot(organiser, 'respond-8-organiser-view');
});

test('with JavaScript the counter is live and a double-clicked submit makes one response', async () => {
  const { browser, server } = env;
  const { recommendations } = env.fixtures;
  const last = recommendations.length - 1;
  const page = await newPage(browser);
  await signInInBrowser(page, server.url, env.fixtures.investor, questionPage(last));
  await visible(page.getByRole('heading', { name: recommendations[last]!.title }));
  await page.getByLabel('Support', { exact: true }).check();
  await page
    .getByLabel('Your reasons and evidence (optional)')
    .fill('Tooling is where the value is.');
  await hasText(
    page.getByText(/characters remaining/).first(),
    'You have 4,970 characters remaining',
  );
  await page.getByLabel('Your reasons and evidence (optional)').fill('x'.repeat(5003));
  await hasText(page.getByText(/too many/).first(), 'You have 3 characters too many');
  await saveAndContinue(page);
  await visible(page.getByRole('link', { name: 'Your reasons must be 5,000 characters or fewer' }));
  await page
    .getByLabel('Your reasons and evidence (optional)')
    .fill('Tooling is where the value is.');
  await saveAndContinue(page);
  // The last open recommendation leads to the final page: the placeholder is skipped.
  await visible(page.getByRole('heading', { name: 'Overall comments and publishing choice' }));
  await page.getByLabel('Publish my answers anonymously').check();
  await saveAndContinue(page);
  await visible(page.getByRole('heading', { name: /Check your answers/ }));

  await page.goto(`${server.url}/consultations/${slug()}/respond/check`);
  const submit = page.getByRole('button', { name: 'Submit response' });
  await submit.dblclick();
  await visible(page.getByRole('heading', { name: 'Response submitted' }));
  await page.goto(`${server.url}/account/responses`);
  await visible(page.getByText(/^Submitted /));
  expect(await page.getByText(/edited/).count()).toBe(0);
});

test('a page sent after the session ended is kept through signing in again', async () => {
  const { browser, server } = env;
  const { founder, recommendations } = env.fixtures;
  const page = await newPage(browser, { javaScript: false });
  await signInInBrowser(page, server.url, founder, questionPage(3));
  await visible(page.getByRole('heading', { name: recommendations[3]!.title }));
  await page.getByLabel('Oppose', { exact: true }).check();
  await page
    .getByLabel('Your reasons and evidence (optional)')
    .fill('Written just before my session ended.');
  await page.context().clearCookies();
  await saveAndContinue(page);

  await visible(page.getByText('You were signed out, so that page was not saved.'));
  await page.getByLabel('Email address').fill(founder.email);
  await page.getByLabel('Password').fill(founder.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await visible(page.getByRole('heading', { name: recommendations[3]!.title }));
  await visible(page.getByText('We kept what you typed'));
  await hasValue(
    page.getByLabel('Your reasons and evidence (optional)'),
    'Written just before my session ended.',
  );
  expect(await page.getByLabel('Oppose', { exact: true }).isChecked()).toBe(true);
  await expectAccessible(page);
});

test('only questionnaire pages keep a signed-out post; other forms send to sign in without storing it', async () => {
  const post = (path: string, body: Record<string, string>) =>
    fetch(`${env.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
  const recommendation = env.fixtures.recommendations[3]!;
  const comment = await post(`/consultations/${slug()}/recommendations/${recommendation.slug}`, {
    intent: 'comment',
    body: 'A signed-out comment that nobody can resume.',
  });
  expect(comment.status).toBe(302);
  expect(comment.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
  expect(comment.headers.get('location')).not.toContain('kept=1');
  expect(comment.headers.get('set-cookie') ?? '').not.toContain('oc_parked');

  const answer = await post(questionPage(3), {
    stance: 'support',
    importance: '3',
    reasons: 'Kept for after signing in.',
  });
  expect(answer.status).toBe(302);
  expect(answer.headers.get('location')).toContain('kept=1');
  expect(answer.headers.get('set-cookie')).toMatch(/oc_parked=[A-Za-z0-9_-]+/);
});

test('after the close the questionnaire is read-only and the server refuses changes', async () => {
  const { browser, server } = env;
  const { investor, recommendations } = env.fixtures;
  const last = questionPage(recommendations.length - 1);
  const organiser = await newPage(browser, { javaScript: false });
  await signInInBrowser(organiser, server.url, env.fixtures.organiser, `/organise/${slug()}`);
  await organiser.getByRole('link', { name: 'Close consultation now' }).click();
  await visible(organiser.getByRole('heading', { name: /Close this consultation now\?/ }));
  await organiser.getByRole('button', { name: 'Yes, close the consultation now' }).click();
  await visible(organiser.getByText('The consultation is closed.'));

  const page = await newPage(browser, { javaScript: false });
  await signInInBrowser(page, server.url, investor, `/consultations/${slug()}/respond`);
  await visible(page.getByText(/This consultation closed on/));
  await page.goto(`${server.url}${last}`);
  expect(await page.getByRole('button', { name: 'Save and continue' }).count()).toBe(0);
  await expectAccessible(page);

  // Whatever the client sends, the server says no, and keeps what was sent on the page.
  const cookie = (await page.context().cookies()).find((c) => c.name === 'oc_session')!;
  const response = await fetch(`${server.url}${last}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: server.url,
      Cookie: `oc_session=${cookie.value}`,
    },
    body: 'stance=oppose&reasons=Too+late',
  });
  expect(response.status).toBe(409);
  const body = await response.text();
  expect(body).toContain('responses can no longer be changed');

  await page.goto(`${server.url}/consultations/${slug()}/respond/receipt`);
  await visible(page.getByRole('heading', { name: 'Response submitted' }));
});

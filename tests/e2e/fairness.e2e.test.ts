import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  MODES,
  MODE_WIDTHS,
  expectAccessible,
  hasText,
  hasValue,
  newPage,
  visible,
} from '#tests/support/browser';
import { signInInBrowser, signUpInBrowser } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createCast, startFixtureServer } from '#tests/support/fixtures';

const env = serverAndBrowser(() => startFixtureServer((db) => createCast(db)));
const slug = () => env.fixtures.consultation.slug;
const recommendationPage = () =>
  `/consultations/${slug()}/recommendations/${env.fixtures.recommendations[0]!.slug}`;
let people = 0;

async function signUp(page: Page, redirectTo: string) {
  people += 1;
  const email = `fair-${people}-${Date.now()}@example.test`;
  await signUpInBrowser(page, env.url, { name: `Fair Person ${people}`, email, redirectTo });
}

for (const { mode, width } of MODE_WIDTHS) {
  test(`${mode.label}, ${width}px: publishing and showing a name are choices nobody makes for you`, async () => {
    const { browser, server } = env;
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    const final = `/consultations/${slug()}/respond/final`;
    await signUp(page, final);
    await visible(page.getByRole('heading', { name: 'Overall comments and publishing choice' }));
    for (const label of [
      'Publish my answers anonymously',
      'Publish my answers with my name and organisation',
      'Do not publish my answers',
    ]) {
      expect(await page.getByLabel(label).isChecked()).toBe(false);
    }
    await visible(page.getByText(/nothing is chosen for you/));
    await visible(page.getByText(/without your name or organisation/));
    await expectAccessible(page);

    await page.getByLabel('Overall comments (optional)').fill('Keep it simple.');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await visible(page.getByRole('link', { name: 'Choose how your response may be published' }));
    expect(await page.title()).toMatch(/^Error: /);
    await hasValue(page.getByLabel('Overall comments (optional)'), 'Keep it simple.');
    await expectAccessible(page);

    await page.getByLabel('Do not publish my answers').check();
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await visible(page.getByRole('heading', { name: /Check your answers/ }));
    await visible(page.getByText('Do not publish my answers'));
    // Back on the page, the saved choice is shown: it is theirs, not a default.
    await page.goto(`${server.url}${final}`);
    expect(await page.getByLabel('Do not publish my answers').isChecked()).toBe(true);

    await page.goto(`${server.url}${recommendationPage()}`);
    const showName = page.getByLabel('Show my name in the public list of endorsers');
    expect(await showName.isChecked()).toBe(false);
    await visible(page.getByText(/counted without your name/));
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Endorse this recommendation' }).click();
    await visible(page.getByRole('button', { name: 'Withdraw my endorsement' }));
    await page.getByRole('link', { name: 'See who endorsed it' }).click();
    await visible(page.getByRole('heading', { level: 1 }));
    expect(await page.locator('main').getByText(`Fair Person ${people}`).count()).toBe(0);
    await page.close();
  });
}

for (const { mode, width } of MODE_WIDTHS) {
  test(`${mode.label}, ${width}px: a moderator's own hide says so; the author asks once for a review, which comes back to the queue as an appeal`, async () => {
    const { browser, server } = env;
    const text = `A link to our published evidence, number ${mode.label} ${width}.`;
    const author = await newPage(browser, { javaScript: mode.javaScript, width });
    await signUp(author, recommendationPage());
    await author.getByLabel('Add a comment').fill(text);
    await author.getByRole('button', { name: 'Post comment' }).click();
    await visible(author.getByText('Your comment is published.'));
    const articleId = await author.locator('article', { hasText: text }).getAttribute('id');
    const ref = `c.${articleId!.replace('comment-', '')}`;

    const moderator = await newPage(browser, { javaScript: mode.javaScript, width });
    await signInInBrowser(moderator, server.url, env.fixtures.moderator, '/moderation');
    await moderator.goto(`${server.url}/moderation/${slug()}/items/${ref}`);
    await moderator.getByText('Hide this comment').click();
    await moderator.locator('#hide-reason').selectOption('spam');
    await moderator.getByRole('button', { name: 'Hide comment' }).click();
    await visible(moderator.getByText('Decision saved.'));

    await author.goto(`${server.url}/account/messages`);
    const message = author.locator('.messages li').first();
    await hasText(
      message,
      /A moderator hid your comment on recommendation \d+, .* because it is spam or advertising\./,
    );
    expect(await message.getByText(/reported/).count()).toBe(0);
    await expectAccessible(author);
    await message.getByRole('link', { name: /Ask for a review/ }).click();
    await visible(author.getByRole('heading', { name: 'Ask for a review' }));
    await visible(author.getByText('It is spam or advertising'));
    await expectAccessible(author);
    const appealUrl = author.url();

    // A second tab, opened before the first sends its request.
    const secondTab = await newPage(browser, { javaScript: mode.javaScript, width });
    await secondTab.context().addCookies(await author.context().cookies());
    await secondTab.goto(appealUrl);

    await author.getByRole('button', { name: 'Ask for a review' }).click();
    await visible(author.getByRole('link', { name: 'Say why the decision should be reviewed' }));
    await expectAccessible(author);
    await author
      .getByLabel('Why should the decision be reviewed?')
      .fill('It links to our own public evidence, not an advert.');
    await author.getByRole('button', { name: 'Ask for a review' }).click();
    await visible(author.getByText('Your request has been sent.'));
    await visible(author.getByText('It links to our own public evidence, not an advert.'));
    await expectAccessible(author);

    await secondTab
      .getByLabel('Why should the decision be reviewed?')
      .fill('Again, from another tab.');
    await secondTab.getByRole('button', { name: 'Ask for a review' }).click();
    await visible(secondTab.getByText('You have already asked for a review of this decision.'));
    await expectAccessible(secondTab);

    await moderator.goto(`${server.url}/moderation/${slug()}/queue?state=appeal`);
    await visible(moderator.locator('.state-tabs a[aria-current="page"]', { hasText: 'Appeal' }));
    await visible(moderator.locator('tr', { hasText: text }).getByText('Appeal'));
    await expectAccessible(moderator);
    await moderator.goto(`${server.url}/moderation/${slug()}/items/${ref}`);
    await visible(moderator.getByRole('heading', { name: 'Appeal' }));
    await visible(moderator.getByText('It links to our own public evidence, not an advert.'));
    await expectAccessible(moderator);
    await moderator.getByRole('button', { name: 'Approve and publish again' }).click();
    await visible(moderator.getByText('Decision saved.'));

    await author.goto(`${server.url}/account/messages`);
    await hasText(
      author.locator('.messages li').first(),
      /again, as you asked, and made it visible/,
    );
    await expectAccessible(author);
    for (const p of [author, moderator, secondTab]) await p.close();
  });
}

test('sign-up limits: a room can sign up together, and the one too many is told the wait in minutes', async () => {
  const { browser, server } = env;
  /** Plain form posts from this network until one is refused, as a room of people would. */
  async function fillTheBucket() {
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) {
      const response = await fetch(`${server.url}/signup`, {
        method: 'POST',
        body: new URLSearchParams({
          redirectTo: '/',
          displayName: `Room ${i}`,
          email: `room-${i}-${Date.now()}@example.test`,
          password: 'a long enough password',
          organisation: '',
          segment: 'founder',
        }),
        redirect: 'manual',
      });
      status = response.status;
      expect([302, 429]).toContain(status);
    }
    expect(status).toBe(429);
  }
  for (const mode of MODES) {
    const page = await newPage(browser, { javaScript: mode.javaScript, width: 390 });
    await page.goto(`${server.url}/signup`);
    await page.getByLabel('Your name').fill('One Too Many');
    await page
      .getByLabel('Email address')
      .fill(`late-${mode.javaScript ? 'js' : 'html'}@example.test`);
    await page.getByLabel('Create a password').fill('a long enough password');
    await page.getByLabel('Founder or startup team member').check();
    // Just before the click: the bucket refills a little every second.
    await fillTheBucket();
    await page.getByRole('button', { name: 'Create account' }).click();
    await visible(page.getByText(/Try again in \d+ minutes?\./));
    expect(await page.getByText(/seconds/).count()).toBe(0);
    await hasValue(page.getByLabel('Your name'), 'One Too Many');
    await expectAccessible(page);
    await page.close();
  }
});

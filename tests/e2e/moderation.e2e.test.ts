import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  expectAccessible,
  hasText,
  hasValue,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { signUpInBrowser, signedInPage } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createCast, createModerationQueue, startFixtureServer } from '#tests/support/fixtures';
import { QUEUE_PAGE_SIZE } from '~/.server/moderation';

// A consultation whose queue already holds what readers and the rules left (held spam, a held
// duplicate, reported and hidden comments, quotes waiting): the journeys act among them. More
// quotes wait than one page of the queue shows, so only newest first finds a new one at once.
const env = serverAndBrowser(() =>
  startFixtureServer(async (db) => {
    const cast = await createCast(db);
    const queue = await createModerationQueue(db, cast, { quotes: QUEUE_PAGE_SIZE + 1 });
    return { ...cast, queue };
  }),
);
const slug = () => env.fixtures.consultation.slug;
/** The recommendation the journeys comment on and answer: the last of the cast's three. */
const discussed = () => env.fixtures.recommendations[2]!;
const recommendationPage = () => `/consultations/${slug()}/recommendations/${discussed().slug}`;

async function signUp(name: string, email: string) {
  const page = await newPage(env.browser, { javaScript: false });
  // Commenting and endorsing need a confirmed address: the emailed link confirms and signs in.
  await signUpInBrowser(page, env.url, {
    name,
    email,
    segment: 'Founder',
    redirectTo: recommendationPage(),
  });
  await visible(page.getByRole('heading', { name: 'Endorsements' }));
  return page;
}

async function report(page: Page, text: string) {
  await page.goto(`${env.url}${recommendationPage()}`);
  await page.locator('article', { hasText: text }).getByRole('link', { name: 'Report' }).click();
  await page.getByLabel('Abusive, hateful or threatening').check();
  await page.getByRole('button', { name: 'Send report' }).click();
  await visible(page.getByText('Thank you: the moderators will look at the comment you reported.'));
}

test('a comment reported three times is hidden by a moderator (without JavaScript), the author reads why, an organiser restores it, and the audit log shows every step', async () => {
  const text =
    'The grants panel should publish its scoring sheet, including for Rachel at 12 Elm Road.';
  const { browser, server } = env;
  const {
    consultation,
    founder,
    investor: investorAccount,
    moderator: moderatorAccount,
  } = env.fixtures;
  const author = await signedInPage(browser, server.url, founder, recommendationPage());
  await author.getByLabel('Add a comment').fill(text);
  await author.getByRole('button', { name: 'Post comment' }).click();
  await visible(author.getByText('Your comment is published.'));

  const investor = await signedInPage(browser, server.url, investorAccount, recommendationPage(), {
    javaScript: false,
  });
  for (const reporter of [
    investor,
    await signUp('Reporter Alpha', 'alpha@example.test'),
    await signUp('Reporter Beta', 'beta@example.test'),
  ]) {
    await report(reporter, 'publish its scoring sheet');
  }

  // The moderator works without JavaScript: links, forms, POST and redirect.
  const moderator = await signedInPage(browser, server.url, moderatorAccount, '/consultations', {
    javaScript: false,
  });
  await moderator
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Moderation' })
    .click();
  await visible(moderator.getByRole('heading', { name: 'Moderation', exact: true }));
  await expectAccessible(moderator);
  await moderator.getByRole('link', { name: consultation.title }).click();
  await visible(moderator.getByRole('heading', { name: /Waiting, by state/ }));
  await expectAccessible(moderator);
  await screenshot(moderator, 'moderation-1-overview');
  await moderator.getByRole('link', { name: /Hidden by reports/ }).click();
  const row = moderator.locator('tr', { hasText: 'publish its scoring sheet' });
  await visible(row);
  await visible(row.getByText('Reported as abusive'));
  await expectAccessible(moderator);
  await screenshot(moderator, 'moderation-2-queue');
  await row.getByRole('link', { name: /Review/ }).click();
  await visible(moderator.getByRole('heading', { name: /Review a comment/ }));
  await visible(moderator.getByRole('heading', { name: 'Reports (3)' }));
  await expectAccessible(moderator);

  // Hiding without a reason is refused, keeping the note typed.
  await moderator.getByText('Hide this comment').click();
  await moderator.locator('#hide-note').fill('Please leave out home addresses.');
  await moderator.getByRole('button', { name: 'Hide comment' }).click();
  await visible(moderator.getByRole('link', { name: 'Choose why you are hiding it' }));
  await hasValue(moderator.locator('#hide-note'), 'Please leave out home addresses.');
  await expectAccessible(moderator);
  await moderator.locator('#hide-reason').selectOption('personal_data');
  await moderator.getByRole('button', { name: 'Hide comment' }).click();
  await visible(moderator.getByText('Decision saved.'));
  // Back on the tab the moderator came from, to carry on.
  await visible(
    moderator.locator('.state-tabs a[aria-current="page"]', { hasText: 'Hidden by reports' }),
  );
  expect(await moderator.locator('tr', { hasText: 'publish its scoring sheet' }).count()).toBe(0);
  await expectAccessible(moderator);
  await screenshot(moderator, 'moderation-3-after-decision');

  // The author is told why, in Messages, with the unread count in the navigation.
  await author.goto(`${server.url}/consultations`);
  await hasText(author.getByRole('link', { name: /Messages/ }), /1\s*unread/);
  await author.getByRole('link', { name: /Messages/ }).click();
  await visible(author.getByRole('heading', { name: /was hidden/ }));
  // Three readers reported it before the moderator hid it, and the message says so.
  await visible(
    author.getByText(
      /Readers reported your comment on .* \(3 reports\) and a moderator hid it because it contains personal information about someone\./,
    ),
  );
  await visible(author.getByRole('link', { name: /Ask for a review/ }));
  await visible(author.getByText(/Please leave out home addresses\./));
  await expectAccessible(author);
  await screenshot(author, 'moderation-4-author-messages');
  await author.getByRole('button', { name: 'Mark all as read' }).click();
  await visible(author.getByText('All messages are marked as read.'));
  expect(await author.getByRole('link', { name: /unread/ }).count()).toBe(0);

  // An organiser finds the decision and restores the comment.
  const organiser = await signedInPage(browser, server.url, env.fixtures.organiser, '/organise');
  await organiser.goto(`${server.url}/organise/${slug()}`);
  await organiser.locator('aside').getByRole('link', { name: 'Moderation' }).click();
  await visible(organiser.getByRole('heading', { name: 'Latest decisions' }));
  await organiser
    .getByRole('link', { name: `a comment on recommendation ${discussed().number}` })
    .first()
    .click();
  await visible(organiser.getByText('Hidden', { exact: true }).first());
  await expectAccessible(organiser);
  await screenshot(organiser, 'moderation-5-item');
  await organiser.getByText('Restore this comment').click();
  await organiser.getByRole('button', { name: 'Restore comment' }).click();
  await visible(organiser.getByText('Decision saved.'));
  await author.goto(`${server.url}${recommendationPage()}`);
  await visible(author.getByText('publish its scoring sheet'));

  await organiser.goto(`${server.url}/organise/${slug()}/audit`);
  const log = organiser.locator('ol.audit');
  const actions = await log.locator('li > strong').allTextContents();
  const journey = actions.slice(0, 3).reverse();
  expect(journey).toEqual(['comment.auto_hidden', 'moderation.hide', 'moderation.restore']);
  await visible(log.getByText(/It contains personal information about someone/).first());
  await expectAccessible(organiser);
});

test('a moderator clears a spam wave in one bulk action, and two moderators at once get one decision', async () => {
  const { browser, server } = env;
  const { queue } = env.fixtures;
  const moderator = await signedInPage(
    browser,
    server.url,
    env.fixtures.moderator,
    `/moderation/${slug()}/queue`,
    { javaScript: false },
  );
  await moderator.getByRole('link', { name: /^Held for review/ }).click();
  await visible(
    moderator.locator('.state-tabs a[aria-current="page"]', { hasText: 'Held for review' }),
  );
  const spam = moderator.locator('tr', { hasText: /example-gpu-deals|example-grants/ });
  expect(await spam.count()).toBe(2);
  for (const checkbox of await spam.getByRole('checkbox').all()) await checkbox.check();
  await moderator.getByRole('radio', { name: 'Hide' }).check();
  await moderator.getByRole('button', { name: 'Apply to selected items' }).click();
  await visible(moderator.getByRole('link', { name: 'Choose why you are hiding them' }));
  // The selection survives the refusal.
  expect(await moderator.getByRole('checkbox', { checked: true }).count()).toBe(2);
  await moderator.getByLabel('Reason for hiding (needed to hide)').selectOption('spam');
  await moderator.getByRole('button', { name: 'Apply to selected items' }).click();
  await visible(moderator.getByText('2 items hidden.'));
  expect(
    await moderator.locator('tr', { hasText: /example-gpu-deals|example-grants/ }).count(),
  ).toBe(0);
  await expectAccessible(moderator);

  // Two moderators open the same item; the second to decide is told someone was first.
  const row = moderator.locator('tr', { hasText: queue.duplicate.slice(0, 60) });
  const href = await row.getByRole('link', { name: /Review/ }).getAttribute('href');
  const organiser = await signedInPage(browser, server.url, env.fixtures.organiser, href!);
  await moderator.goto(`${server.url}${href}`);
  await moderator.getByRole('button', { name: 'Approve' }).click();
  await visible(moderator.getByText('Decision saved.'));
  await organiser.getByRole('button', { name: 'Approve' }).click();
  await visible(organiser.getByText(/Someone else decided on this item first/));
  await visible(organiser.getByText('No decision needed.'));
  await visible(organiser.locator('.history').getByText('Approved', { exact: true }));
  await expectAccessible(organiser);
});

test('an organiser turns on pre-moderation with house rules; a new comment waits for approval', async () => {
  const { browser, server } = env;
  const organiser = await signedInPage(
    browser,
    server.url,
    env.fixtures.organiser,
    `/moderation/${slug()}/policy`,
  );
  await organiser.getByLabel('After a moderator approves them (pre-moderation)').check();
  await organiser.getByLabel('Reports that hide a comment').fill('0');
  await organiser
    .getByLabel('House rules')
    .fill('- Be **kind** and stay on topic.\n- No personal details.');
  await organiser.getByRole('button', { name: 'Save policy' }).click();
  await visible(organiser.getByRole('link', { name: 'Enter a number of reports from 1 to 50' }));
  await hasValue(
    organiser.getByLabel('House rules'),
    '- Be **kind** and stay on topic.\n- No personal details.',
  );
  await organiser.getByLabel('Reports that hide a comment').fill('3');
  await organiser.getByRole('button', { name: 'Save policy' }).click();
  await visible(organiser.getByText('The moderation policy has been saved.'));
  await expectAccessible(organiser);
  await screenshot(organiser, 'moderation-6-policy');

  const author = await signUp('Careful Poster', 'careful@example.test');
  await visible(author.getByRole('heading', { name: 'House rules' }));
  await visible(author.locator('.house-rules strong', { hasText: 'kind' }));
  await author.getByLabel('Add a comment').fill('Please fund maintainers, not only new projects.');
  await author.getByRole('button', { name: 'Post comment' }).click();
  await visible(author.getByText(/Your comment is held for review/));
  await expectAccessible(author);
  await screenshot(author, 'moderation-7-house-rules');

  await organiser.goto(`${server.url}/moderation/${slug()}/queue?state=held`);
  await visible(
    organiser.locator('tr', { hasText: 'fund maintainers' }).getByText('Held: pre-moderation'),
  );

  // Reasons given in a response wait too, before they can be quoted in the results.
  await author.goto(
    `${server.url}/consultations/${slug()}/respond/recommendations/${discussed().slug}`,
  );
  await author.getByLabel('Support', { exact: true }).check();
  await author
    .getByLabel('Your reasons and evidence (optional)')
    .fill('Maintenance grants would keep our dependencies alive.');
  await author.getByRole('button', { name: 'Save and continue' }).click();
  // Nothing is chosen for the respondent: they say how their words may be published.
  await author.goto(`${server.url}/consultations/${slug()}/respond/final`);
  await author.getByLabel('Publish my answers anonymously').check();
  await author.getByRole('button', { name: 'Save and continue' }).click();
  await visible(author.getByRole('heading', { name: /Check your answers/ }));
  await author.goto(`${server.url}/consultations/${slug()}/respond/check`);
  await author.getByRole('button', { name: 'Submit response' }).click();
  await visible(author.getByRole('heading', { name: 'Response submitted' }));

  // Older responses have quotes waiting too: newest first finds this one.
  const pendingTab = `${server.url}/moderation/${slug()}/queue?state=pending_quote&order=newest`;
  await organiser.goto(pendingTab);
  const waiting = Number(
    /\((\d+)\)/.exec(
      (await organiser.locator('.state-tabs a[aria-current="page"]').textContent()) ?? '',
    )?.[1],
  );
  const quote = organiser.locator('tr', { hasText: 'keep our dependencies alive' });
  await quote.getByRole('link', { name: /Review/ }).click();
  await visible(organiser.getByRole('heading', { name: /Review a quote/ }));
  await visible(organiser.getByText('Anonymously'));
  await expectAccessible(organiser);
  await screenshot(organiser, 'moderation-8-quote');
  await organiser.getByRole('button', { name: 'Approve' }).click();
  await visible(organiser.getByText('Decision saved.'));
  await visible(
    organiser.locator('.state-tabs a[aria-current="page"]', {
      hasText: `Quotes to approve (${waiting - 1})`,
    }),
  );
  expect(await organiser.locator('tr', { hasText: 'keep our dependencies alive' }).count()).toBe(0);
});

/** Presses Tab until the focused element matches, as a keyboard user would. */
async function tabTo(page: Page, matches: (el: Element) => boolean, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`(${matches.toString()})(document.activeElement)`)) return;
  }
  throw new Error('Tab never reached the element');
}

test('with the keyboard only, a moderator selects a reported comment and approves it', async () => {
  const page = await signedInPage(
    env.browser,
    env.url,
    env.fixtures.moderator,
    `/moderation/${slug()}/queue?state=reported`,
  );
  await visible(page.locator('tbody tr').first());
  const before = await page.locator('tbody tr').count();
  await tabTo(page, (el) => el instanceof HTMLInputElement && el.type === 'checkbox');
  await page.keyboard.press('Space');
  expect(await page.getByRole('checkbox', { checked: true }).count()).toBe(1);
  await tabTo(page, (el) => el instanceof HTMLInputElement && el.value === 'approve');
  await page.keyboard.press('Space');
  await tabTo(page, (el) => el.textContent === 'Apply to selected items');
  await page.keyboard.press('Enter');
  await visible(page.getByText('1 item approved.'));
  expect(await page.locator('tbody tr').count()).toBe(before - 1);
  await expectAccessible(page);
});

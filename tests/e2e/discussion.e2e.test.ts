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
import { signUpInBrowser, signedInPage, type Account } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createCast, startFixtureServer } from '#tests/support/fixtures';

const env = serverAndBrowser(() => startFixtureServer((db) => createCast(db)));
const page1 = () => {
  const { consultation, recommendations } = env.fixtures;
  return `/consultations/${consultation.slug}/recommendations/${recommendations[0]!.slug}`;
};

async function signedIn(account: Account, options: { javaScript?: boolean } = {}) {
  const page = await signedInPage(env.browser, env.url, account, page1(), options);
  await visible(page.getByRole('heading', { name: 'Endorsements' }));
  return page;
}
async function signUp(name: string, email: string) {
  const page = await newPage(env.browser, { javaScript: false });
  // Commenting and endorsing need a confirmed address: the emailed link confirms and signs in.
  await signUpInBrowser(page, env.url, { name, email, segment: 'Investor', redirectTo: page1() });
  await visible(page.getByRole('heading', { name: 'Endorsements' }));
  return page;
}

function endorsementCount(page: Page) {
  return page.locator('.endorse__count strong');
}

test('without JavaScript: endorse, withdraw, comment, reply, report, and hiding after three reports', async () => {
  const { server } = env;
  const { founder: founderAccount, investor: investorAccount } = env.fixtures;
  const founder = await signedIn(founderAccount, { javaScript: false });
  await hasText(endorsementCount(founder), '0');
  await founder.getByRole('button', { name: 'Endorse this recommendation' }).click();
  await visible(founder.getByText('Thank you: your endorsement is counted.'));
  await hasText(endorsementCount(founder), '1');
  await expectAccessible(founder);
  await founder.getByRole('button', { name: 'Withdraw my endorsement' }).click();
  await hasText(endorsementCount(founder), '0');
  // Showing a name is an active choice: the box starts unticked.
  expect(await founder.getByLabel('Show my name in the public list of endorsers').isChecked()).toBe(
    false,
  );
  await founder.getByLabel('Show my name in the public list of endorsers').check();
  await founder.getByRole('button', { name: 'Endorse this recommendation' }).click();
  await hasText(endorsementCount(founder), '1');

  await founder.getByRole('link', { name: 'See who endorsed it' }).click();
  await visible(founder.locator('.endorser-list').getByText(founderAccount.displayName));
  await expectAccessible(founder);
  await founder.goto(`${server.url}${page1()}`);

  // A comment, then attempted stored XSS, which must come out inert.
  await founder
    .getByLabel('Add a comment')
    .fill('Releasing **weights and data** would let startups build on public work.');
  await founder.getByRole('button', { name: 'Post comment' }).click();
  await visible(founder.getByText('Your comment is published.'));
  await founder
    .getByLabel('Add a comment')
    .fill(
      '<script>window.pwned=1</script><img src=x onerror="window.pwned=1"> [click](javascript:window.pwned=1)',
    );
  await founder.getByRole('button', { name: 'Post comment' }).click();
  await visible(founder.getByText('Your comment is published.'));
  const discussion = founder.locator('#discussion');
  expect(await discussion.locator('script, img, iframe, svg').count()).toBe(0);
  expect(await discussion.locator('[onerror], [onload], [onclick]').count()).toBe(0);
  expect(await discussion.locator('a[href^="javascript" i]').count()).toBe(0);
  await visible(discussion.getByText('<script>window.pwned=1</script>', { exact: false }));
  await expectAccessible(founder);
  await screenshot(founder, 'discussion-1-comments');

  // An investor replies to the first comment, then three people report it.
  const investor = await signedIn(investorAccount, { javaScript: false });
  const first = investor.locator('article', { hasText: 'weights and data' });
  await first.getByRole('link', { name: 'Reply' }).click();
  await investor
    .getByLabel(`Your reply to ${founderAccount.displayName}`, { exact: false })
    .fill('Agreed, but licences matter as much as release.');
  await investor.getByRole('button', { name: 'Post reply' }).click();
  await visible(investor.locator('.comments--replies').getByText('licences matter'));
  await expectAccessible(investor);

  const reporters = [
    investor,
    await signUp('Reporter Two', 'two@example.test'),
    await signUp('Reporter Three', 'three@example.test'),
  ];
  for (const [index, reporter] of reporters.entries()) {
    await reporter.goto(`${server.url}${page1()}`);
    await reporter
      .locator('article', { hasText: 'weights and data' })
      .getByRole('link', { name: 'Report' })
      .click();
    await visible(reporter.getByRole('heading', { name: 'Report a comment' }));
    if (index === 0) {
      await reporter.getByRole('button', { name: 'Send report' }).click();
      await visible(
        reporter.getByRole('link', { name: 'Choose why you are reporting this comment' }),
      );
      await expectAccessible(reporter);
    }
    await reporter.getByLabel('Not about this recommendation').check();
    await reporter.getByRole('button', { name: 'Send report' }).click();
    await visible(
      reporter.getByText('Thank you: the moderators will look at the comment you reported.'),
    );
  }

  await investor.goto(`${server.url}${page1()}`);
  await visible(investor.getByText('This comment is hidden while a moderator reviews it'));
  expect(await investor.getByText('weights and data').count()).toBe(0);
  await visible(investor.getByText('licences matter'));
  await expectAccessible(investor);
  await screenshot(investor, 'discussion-2-hidden-after-reports');

  await founder.goto(`${server.url}${page1()}`);
  await visible(founder.getByText(/Only you can see this comment/));
  await visible(founder.getByText('weights and data'));
});

test('with JavaScript the endorse button answers at once, without reloading the page', async () => {
  const page = await signedIn(env.fixtures.moderator);
  const before = Number(await endorsementCount(page).textContent());
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  await page.getByRole('button', { name: 'Endorse this recommendation' }).click();
  await hasText(endorsementCount(page), String(before + 1));
  await visible(page.getByRole('button', { name: 'Withdraw my endorsement' }));
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  await page.reload();
  await hasText(endorsementCount(page), String(before + 1));
  await page.getByRole('button', { name: 'Withdraw my endorsement' }).click();
  await hasText(endorsementCount(page), String(before));
});

test('posting too fast is refused with a friendly message that keeps the text', async () => {
  const page = await signUp('Fast Typist', 'fast@example.test');
  for (let n = 1; n <= 5; n++) {
    await page.getByLabel('Add a comment').fill(`Point number ${n} about open release.`);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await visible(page.getByText('Your comment is published.'));
  }
  await page.getByLabel('Add a comment').fill('A sixth thought, kept for me.');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Post comment' }).click(),
  ]);
  expect(response.status()).toBe(429);
  // The wait is said in whole minutes, never seconds.
  await visible(page.getByText(/too often in a short time\. Try again in \d+ minutes?\./).first());
  await hasValue(page.getByLabel('Add a comment'), 'A sixth thought, kept for me.');
  await expectAccessible(page);
});

test('the author can edit within the window and delete, leaving a placeholder above replies', async () => {
  const page = await signUp('Editor Person', 'editor@example.test');
  await page.getByLabel('Add a comment').fill('First draft of my thought.');
  await page.getByRole('button', { name: 'Post comment' }).click();
  const mine = page.locator('article', { hasText: 'First draft of my thought.' });
  await mine.getByRole('link', { name: 'Edit' }).click();
  await hasValue(page.getByLabel('Your comment'), 'First draft of my thought.');
  await expectAccessible(page);
  await page.getByLabel('Your comment').fill('Second draft of my thought.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await visible(page.getByText('Your comment has been changed.'));
  const edited = page.locator('article', { hasText: 'Second draft of my thought.' });
  await visible(edited.getByText('edited', { exact: false }));
  await edited.getByRole('link', { name: 'Delete' }).click();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Delete comment' }).click();
  await visible(page.getByText('Your comment has been deleted.'));
  expect(await page.getByText('Second draft of my thought.').count()).toBe(0);
});

import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { expectAccessible, hasText, hasValue, screenshot, visible } from '#tests/support/browser';
import { signedInPage } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createCast, startFixtureServer } from '#tests/support/fixtures';

const env = serverAndBrowser(() => startFixtureServer((db) => createCast(db)));
const recommendationPage = () => {
  const { consultation, recommendations } = env.fixtures;
  return `/consultations/${consultation.slug}/recommendations/${recommendations[0]!.slug}`;
};

const asOrganiser = (to: string, options?: { javaScript?: boolean }) =>
  signedInPage(env.browser, env.url, env.fixtures.organiser, to, options);

async function comment(page: Page, text: string) {
  await page.getByLabel('Add a comment').fill(text);
  await page.getByRole('button', { name: 'Post comment' }).click();
}

test('without JavaScript: a founder asks for verification, an organiser approves it, and the badge shows on her comment', async () => {
  const { server } = env;
  const { founder: founderAccount } = env.fixtures;
  const founder = await signedInPage(
    env.browser,
    server.url,
    founderAccount,
    recommendationPage(),
    {
      javaScript: false,
    },
  );
  await founder.getByLabel('Show my name in the public list of endorsers').check();
  await founder.getByRole('button', { name: 'Endorse this recommendation' }).click();
  await visible(founder.getByText('Thank you: your endorsement is counted.'));
  await comment(founder, 'Open weights let small teams check the claims made about models.');
  await visible(founder.getByText('Your comment is published.'));
  const byline = founder.locator('.comment', { hasText: 'Open weights let small teams' });
  expect(await byline.getByText('Verified', { exact: true }).count()).toBe(0);

  await founder.goto(`${server.url}/account/verification`);
  await founder.getByLabel('Organisation').fill('Acme Robotics Ltd');
  await founder.getByLabel('Your role there').fill('Founder and CEO');
  await founder.getByLabel('How we can check this').fill('Listed as founder on our team page.');
  await founder.getByLabel('A link that shows it (optional)').fill('javascript:alert(1)');
  await founder.getByRole('button', { name: 'Send request' }).click();
  await visible(founder.getByRole('link', { name: /starting with https:\/\/ or http:\/\// }));
  await hasValue(founder.getByLabel('Your role there'), 'Founder and CEO');
  await expectAccessible(founder);
  await screenshot(founder, 'trust-1-verification-error');
  await founder.getByLabel('A link that shows it (optional)').fill('https://acme.example/team');
  await founder.getByRole('button', { name: 'Send request' }).click();
  await visible(founder.getByText('Your request has been sent.'));
  await visible(founder.getByRole('heading', { name: 'Your request is waiting' }));
  await expectAccessible(founder);

  const organiser = await asOrganiser('/organise', { javaScript: false });
  await organiser.getByRole('link', { name: 'Verification requests' }).click();
  await expectAccessible(organiser);
  await organiser.getByRole('link', { name: founderAccount.displayName }).click();
  await visible(organiser.getByText('Founder and CEO at Acme Robotics Ltd'));
  await organiser.getByRole('button', { name: 'Save decision' }).click();
  await visible(organiser.getByRole('link', { name: 'Choose approve or reject' }));
  await organiser.getByLabel('Approve').check();
  await organiser
    .getByLabel('Note to the person (needed to reject)')
    .fill('Checked the team page.');
  await screenshot(organiser, 'trust-2-verification-decision');
  await organiser.getByRole('button', { name: 'Save decision' }).click();
  await visible(organiser.getByText('Decision saved.'));
  await expectAccessible(organiser);

  await founder.goto(`${server.url}${recommendationPage()}`);
  await visible(byline.getByText('Verified', { exact: true }));
  await expectAccessible(founder);
  await screenshot(founder, 'trust-3-verified-badge');
  await founder.getByRole('link', { name: 'See who endorsed it' }).click();
  await visible(
    founder
      .locator('.endorser-list li', { hasText: founderAccount.displayName })
      .getByText('Verified'),
  );
  await expectAccessible(founder);
  await founder.goto(`${server.url}/account/verification`);
  await visible(founder.getByText('You are verified as Founder and CEO at Acme Robotics Ltd.'));
});

test('an organiser suspends an account, the person cannot comment and keeps their text, the organiser lifts it, invites them to a role, and the audit log shows each step', async () => {
  const { server } = env;
  const { consultation, investor: investorAccount, organiser: organiserAccount } = env.fixtures;
  const investor = await signedInPage(
    env.browser,
    server.url,
    investorAccount,
    recommendationPage(),
  );
  await comment(investor, 'Compute grants matter more than open weights for us.');
  await visible(investor.getByText('Your comment is published.'));

  const organiser = await asOrganiser('/organise');
  await organiser.getByRole('link', { name: 'Accounts and suspensions' }).click();
  await organiser.getByLabel('Email address of the account').fill('nobody@cast.test');
  await organiser.getByRole('button', { name: 'Find account' }).click();
  await visible(organiser.getByRole('link', { name: /No account uses that email address/ }));
  await organiser.getByLabel('Email address of the account').fill(investorAccount.email);
  await organiser.getByRole('button', { name: 'Find account' }).click();
  await visible(organiser.getByRole('heading', { name: 'Suspend this account' }));
  await expectAccessible(organiser);
  await organiser
    .getByLabel('Reason (the person will see this)')
    .fill('Repeated personal attacks on other respondents');
  await organiser.getByLabel('7 days').check();
  await organiser.getByLabel('Also hide all their comments (1).', { exact: false }).check();
  await screenshot(organiser, 'trust-4-suspend');
  await organiser.getByRole('button', { name: 'Suspend account' }).click();
  await visible(organiser.getByText('The account is suspended.'));
  await visible(organiser.getByRole('heading', { name: 'Lift the suspension' }));
  await expectAccessible(organiser);

  // Signed out everywhere, and the comment is hidden from readers.
  await investor.reload();
  const header = investor.getByRole('navigation', { name: 'Main' });
  await visible(header.getByRole('link', { name: 'Sign in' }));
  expect(await investor.getByText('Compute grants matter more than open weights').count()).toBe(0);
  await header.getByRole('link', { name: 'Sign in' }).click();
  await investor.getByLabel('Email address').fill(investorAccount.email);
  await investor.getByLabel('Password').fill(investorAccount.password);
  await investor.getByRole('button', { name: 'Sign in' }).click();
  await visible(investor.getByText(/Your account is suspended until/).first());
  await visible(
    investor.getByText('it was hidden when your account was suspended', { exact: false }),
  );
  await comment(investor, 'This is what I wanted to say, and I do not want to lose it.');
  const summary = investor.getByRole('alert');
  await hasText(summary, /Your account is suspended until \d+ \w+ \d{4} at/);
  await hasText(summary, 'Repeated personal attacks on other respondents');
  await hasValue(
    investor.getByLabel('Add a comment'),
    'This is what I wanted to say, and I do not want to lose it.',
  );
  await expectAccessible(investor);
  await screenshot(investor, 'trust-5-suspended-comment');

  await organiser.getByLabel('Why you are lifting it').fill('Apology received');
  await organiser.getByRole('button', { name: 'Lift suspension' }).click();
  await visible(organiser.getByText('The suspension is lifted.'));
  await investor.reload();
  await visible(investor.getByText('Compute grants matter more than open weights for us.'));
  await comment(investor, 'Back again, with a calmer point about compute costs.');
  await visible(investor.getByText('Your comment is published.'));

  await organiser.goto(`${server.url}/organise/${consultation.slug}/team`);
  await organiser.getByLabel('Their email address').fill(investorAccount.email);
  await organiser.getByRole('radio', { name: 'Moderator' }).check();
  await organiser.getByRole('button', { name: 'Send invitation' }).click();
  await visible(organiser.getByText('Invitation sent.'));
  await visible(
    organiser.getByRole('button', { name: `Revoke the invitation to ${investorAccount.email}` }),
  );
  await expectAccessible(organiser);
  await screenshot(organiser, 'trust-6-team');

  await organiser.goto(`${server.url}/organise/audit`);
  await organiser.getByLabel('Done by (email address)').fill(organiserAccount.email);
  await organiser.getByRole('button', { name: 'Apply filters' }).click();
  const entries = organiser.getByRole('list', { name: 'Audit entries, newest first' });
  await visible(entries);
  const actions = await entries.locator('li > strong').allTextContents();
  expect(actions.slice(0, 6)).toEqual([
    'role.invited',
    'comment.restored_after_suspension',
    'account.suspension_lifted',
    'comment.hidden_by_suspension',
    'account.suspended',
    'verification.approved',
  ]);
  await expectAccessible(organiser);
  await screenshot(organiser, 'trust-7-audit-filtered');
  await organiser.getByLabel('Action').selectOption('account.suspended');
  await organiser.getByRole('button', { name: 'Apply filters' }).click();
  await expect
    .poll(() => entries.locator('li > strong').allTextContents())
    .toEqual(['account.suspended']);
});

type Focused = { id: string; name: string; text: string };

test('with the keyboard only, an organiser invites someone to a team and finds the audit entry', async () => {
  const { consultation, founder } = env.fixtures;
  const page = await asOrganiser(`/organise/${consultation.slug}/team`);
  const tabTo = async (matches: (el: Focused) => boolean, what: string) => {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return { id: el?.id ?? '', name: el?.name ?? '', text: el?.textContent?.trim() ?? '' };
      });
      if (matches(focused)) return;
    }
    throw new Error(`Tab never reached ${what}`);
  };
  await tabTo((el) => el.id === 'field-email', 'the email field');
  await page.keyboard.type(founder.email);
  await tabTo((el) => el.name === 'role', 'the role radios');
  await page.keyboard.press('ArrowDown');
  await tabTo((el) => el.text === 'Send invitation', 'the submit button');
  await page.keyboard.press('Enter');
  await visible(page.getByText('Invitation sent.'));
  await visible(page.getByRole('button', { name: `Revoke the invitation to ${founder.email}` }));

  await page.goto(`${env.url}/organise/${consultation.slug}/audit`);
  await tabTo((el) => el.id === 'field-action', 'the action filter');
  // A closed select picks the option whose text starts with what is typed.
  await page.keyboard.type('role.invited');
  await tabTo((el) => el.text === 'Apply filters', 'the apply button');
  await page.keyboard.press('Enter');
  await page.waitForURL(/action=role.invited/);
  const entries = page.getByRole('list', { name: 'Audit entries, newest first' });
  await visible(entries.getByText('role_invitation', { exact: false }).first());
  await expect
    .poll(() => entries.locator('li > strong').allTextContents())
    .toContain('role.invited');
  expect(new Set(await entries.locator('li > strong').allTextContents())).toEqual(
    new Set(['role.invited']),
  );
});

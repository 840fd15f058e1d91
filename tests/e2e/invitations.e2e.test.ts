import { expect, test } from 'vitest';
import {
  expectAccessible,
  MODE_WIDTHS,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { linkInEmail } from '#tests/support/outbox';
import { signedInPage } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createCast, startFixtureServer } from '#tests/support/fixtures';

const env = serverAndBrowser(() => startFixtureServer((db) => createCast(db)));

for (const { mode, width } of MODE_WIDTHS) {
  test(`${mode.label} at ${width} px an organiser invites an address; its owner signs up from the email, confirms, accepts and moderates`, async () => {
    const { browser, server } = env;
    const { consultation, organiser: organiserAccount } = env.fixtures;
    const slug = consultation.slug;
    const who = mode.javaScript ? 'js' : 'nojs';
    const address = `invited-${who}@example.test`;
    const name = `Ivy Invited ${who}`;
    const organiser = await signedInPage(
      browser,
      server.url,
      organiserAccount,
      `/organise/${slug}/team`,
      { javaScript: mode.javaScript, width },
    );
    await visible(organiser.getByRole('heading', { name: 'Invite someone to the team' }));
    await organiser.getByLabel('Their email address').fill(address);
    await organiser.getByRole('radio', { name: 'Moderator' }).check();
    await organiser.getByRole('button', { name: 'Send invitation' }).click();
    await visible(organiser.getByText('Invitation sent.'));
    const pending = organiser.getByRole('row').filter({ hasText: address });
    await expectAccessible(organiser);
    const firstLink = await linkInEmail(
      server.url,
      address,
      '/invitations/accept',
      /You are invited/,
    );
    await pending.getByRole('button', { name: `Resend the invitation to ${address}` }).click();
    await visible(organiser.getByText('Invitation sent again, with a new link.'));
    await expect
      .poll(() => linkInEmail(server.url, address, '/invitations/accept', /You are invited/))
      .not.toBe(firstLink);

    // Resending replaced the first link.
    await organiser.goto(firstLink);
    await visible(organiser.getByText('This invitation link is not valid.', { exact: false }));
    // The new link, opened by someone else who is signed in, grants nothing.
    const link = await linkInEmail(server.url, address, '/invitations/accept', /You are invited/);
    await organiser.goto(link);
    await visible(organiser.getByText(`This invitation is for ${address}`, { exact: false }));
    expect(await organiser.getByRole('button', { name: 'Accept invitation' }).count()).toBe(0);

    const owner = await newPage(browser, { javaScript: mode.javaScript, width });
    await owner.goto(link);
    await visible(
      owner.getByRole('heading', { name: `Invitation to be a moderator of ${consultation.title}` }),
    );
    await expectAccessible(owner);
    await owner.getByRole('link', { name: 'Create an account to accept' }).click();
    await owner.getByLabel('Your name').fill(name);
    await owner.getByLabel('Email address').fill(address);
    await owner.getByLabel('Create a password').fill('a long enough password');
    await owner.getByLabel('Investor').check();
    await owner.getByRole('button', { name: 'Create account' }).click();
    await visible(owner.getByRole('heading', { name: 'Check your email to finish signing up' }));
    // The emailed link confirms the address, signs in and comes back to the invitation.
    await owner.goto(
      await linkInEmail(server.url, address, '/account/confirm-email', /Confirm your email/),
    );
    await owner.getByRole('button', { name: 'Confirm email address' }).click();
    await visible(owner.getByRole('heading', { name: /Invitation to be a moderator of/ }));
    await owner.getByRole('button', { name: 'Accept invitation' }).click();
    await visible(owner.getByText(`You are now a moderator of ${consultation.title}.`));
    await expectAccessible(owner);
    if (mode.javaScript) await screenshot(owner, 'trust-8-invitation-accepted');
    await owner.getByRole('link', { name: 'Open the moderation pages' }).click();
    await visible(owner.getByRole('heading', { name: /Moderation/ }));

    await organiser.goto(`${server.url}/organise/${slug}/team`);
    await visible(organiser.getByRole('button', { name: `Remove ${name} as moderator` }));
    expect(await organiser.getByRole('row').filter({ hasText: 'Resend' }).count()).toBe(0);
    await organiser.context().close();
    await owner.context().close();
  });
}

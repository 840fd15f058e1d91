import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  MODE_WIDTHS,
  expectAccessible,
  newPage,
  screenshot,
  tabToAndPress,
  visible,
} from '#tests/support/browser';
import { signInInBrowser, signUpInBrowser } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createOpenConsultation, startFixtureServer } from '#tests/support/fixtures';
import { latestEmailTo } from '#tests/support/outbox';
import { submitOneAnswer } from '#tests/support/questionnaire';

const TITLE = 'Withdrawing a response: a test consultation';
const PASSWORD = 'a long enough password';
const env = serverAndBrowser(() =>
  startFixtureServer((db) => createOpenConsultation(db, { consultation: { title: TITLE } })),
);
const slug = () => env.fixtures.consultation.slug;
const respond = () => `/consultations/${slug()}/respond`;

/** A new respondent who answers one recommendation and submits; returns the receipt reference. */
async function submitOne(page: Page, who: string) {
  const email = `withdrawer-${who}@example.test`;
  await signUpInBrowser(page, env.url, {
    name: `Withdrawer ${who}`,
    email,
    password: PASSWORD,
    redirectTo: respond(),
  });
  const reference = await submitOneAnswer(page, `Reasons from ${who}.`);
  return { email, reference };
}

async function organiserPage(width: number) {
  const page = await newPage(env.browser, { javaScript: false, width });
  const to = `/organise/${slug()}/responses`;
  await signInInBrowser(page, env.url, env.fixtures.organiser, to);
  await page.waitForURL(`**${to}`);
  return page;
}

for (const { mode, width } of MODE_WIDTHS) {
  test(`${mode.label} at ${width} px, a respondent withdraws their response from the receipt by keyboard, and the organiser no longer sees it`, async () => {
    const { browser, server } = env;
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    const who = `${mode.javaScript ? 'js' : 'nojs'}-${width}`;
    const { email, reference } = await submitOne(page, who);
    const organiser = await organiserPage(width);
    await visible(organiser.getByText(reference));

    // The receipt offers the withdrawal; the confirmation says plainly what it does.
    await tabToAndPress(page, 'link', 'withdraw this response');
    await visible(page.getByRole('heading', { name: /Withdraw your response/, level: 1 }));
    await visible(page.getByText(reference));
    await visible(page.getByText(/deletes your answers, your overall comments/));
    await visible(page.getByText(/removes it from the results/));
    await visible(page.getByText(/leaves your comments and endorsements as they are/));
    await visible(page.getByText(/does not stop you responding again/));
    await expectAccessible(page);
    await screenshot(page, `withdraw-confirmation-${width}`);

    await tabToAndPress(page, 'button', 'Yes, withdraw my response');
    await page.waitForURL('**/account/responses?notice=withdrawn');
    await visible(page.getByRole('status').getByText(/Your response has been withdrawn/));
    expect(await page.getByText(reference).count()).toBe(0);
    await expectAccessible(page);

    const confirmation = await latestEmailTo(
      server.url,
      email,
      new RegExp(`has been withdrawn \\(${reference}\\)`),
    );
    expect(confirmation.text).toContain('no longer count in the results');
    expect(confirmation.text).not.toContain(`Reasons from ${who}.`);

    // The same page shown again (another tab): a calm statement, not an error.
    await page.goto(`${server.url}${respond()}/withdraw`);
    await visible(page.getByText(/Your response was withdrawn on .* There is nothing more/));
    await expectAccessible(page);

    await organiser.reload();
    await visible(organiser.getByRole('heading', { level: 1 }));
    expect(await organiser.getByText(reference).count()).toBe(0);
    await organiser.goto(`${server.url}/organise/${slug()}/audit?action=response.withdrawn`);
    // The entry's details (with the reference) are folded away; the entry itself is listed.
    const entry = organiser.locator('ol.audit > li', { hasText: reference });
    await visible(entry.getByText('response.withdrawn', { exact: true }));
    await organiser.context().close();
    await page.context().close();
  });
}

test('the list of your responses links to the withdrawal of each open one', async () => {
  const page = await newPage(env.browser, { javaScript: false, width: 390 });
  const { reference } = await submitOne(page, 'list-390');
  await page.goto(`${env.url}/account/responses`);
  await tabToAndPress(page, 'link', `Withdraw this response to ${TITLE}`);
  await visible(page.getByRole('heading', { name: /Withdraw your response/, level: 1 }));
  await visible(page.getByText(reference));
  await page.getByRole('link', { name: 'Cancel: keep my response' }).click();
  await visible(page.getByRole('heading', { name: 'Response submitted' }));
  await page.context().close();
});

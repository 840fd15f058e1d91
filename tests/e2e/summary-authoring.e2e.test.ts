import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { signedInPage } from '#tests/support/accounts';
import {
  MODES,
  expectAccessible,
  hasValue,
  launchBrowser,
  screenshot,
  tabToAndPress,
  visible,
} from '#tests/support/browser';
import { startFixtureServer } from '#tests/support/fixtures';
import type { TestServer } from '#tests/support/server';
import { createAnalysedConsultation } from '#tests/support/summaries';

// The organisers' side of a consultation's summary, in the browser with JavaScript and
// without: the dashboard's checklist, drafting (with a conflict from a second organiser's tab),
// citing a figure and choosing a quote, the preview, publishing, a correction and a dated
// outcome update. Keyboard for the main buttons, axe on every page, and phone width with
// JavaScript (375 px), as a person on a phone would write.

type Fixture = Awaited<ReturnType<typeof createAnalysedConsultation>>;

let server: TestServer;
let browser: Browser;
const journeys: Fixture[] = [];

const RUNS = [
  { mode: MODES[0]!, width: 375 },
  { mode: MODES[1]!, width: 1280 },
];

beforeAll(async () => {
  const started = startFixtureServer(async (db) => [
    await createAnalysedConsultation(db, {
      title: 'Seed funding rules (with JavaScript)',
      status: 'closed',
    }),
    await createAnalysedConsultation(db, {
      title: 'Seed funding rules (without JavaScript)',
      status: 'closed',
    }),
  ]);
  let fixtures: Fixture[];
  [{ server, fixtures }, browser] = await Promise.all([started, launchBrowser()]);
  journeys.push(...fixtures);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Presses a button from the keyboard: no pointer, so no click lands where the page moved. */
async function pressButton(button: Locator) {
  await button.focus();
  await button.press('Enter');
}

/** The error summary focuses itself once it has rendered. */
async function takesFocus(locator: Locator) {
  await expect
    .poll(() => locator.evaluate((element) => element === document.activeElement))
    .toBe(true);
}

/** Types into a field by keyboard: focus, select what is there, type over it. */
async function typeInto(page: Page, label: string | RegExp, text: string) {
  const field = page.getByLabel(label, { exact: typeof label === 'string' });
  await field.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

for (const [index, { mode, width }] of RUNS.entries()) {
  test(`${mode.label} at ${width} px, an organiser drafts, cites, previews, publishes, corrects and records an outcome`, async () => {
    const f = journeys[index]!;
    const slug = f.consultation.slug;
    const [first, second] = f.recommendations;
    const base = `/organise/${slug}/summary`;
    const options = { javaScript: mode.javaScript, width };
    const page = await signedInPage(browser, server.url, f.organiser, `/organise/${slug}`, options);
    const shot = async (name: string) => {
      if (width === 375 || index === 1)
        await screenshot(page, `summary-authoring-${name}-${width}`);
    };

    // The dashboard's checklist says what is done and what is missing, with links; analysing
    // starts from the closing page.
    const checklist = page.getByRole('region', { name: 'From closing to a published summary' });
    await visible(checklist.getByText('Closed: no more responses are accepted.'));
    await visible(checklist.getByText('1 item waits for a moderator', { exact: false }));
    await visible(checklist.getByText('Published once the responses are being analysed.'));
    await expectAccessible(page);
    await tabToAndPress(page, 'link', 'Start analysing (review the analysis)');
    await page.waitForURL(`**/organise/${slug}/close`);
    await visible(page.getByRole('heading', { name: /Start analysing the responses\?/ }));
    await expectAccessible(page);
    await shot('start-analysing');
    await tabToAndPress(page, 'button', 'Start analysing the responses');
    await page.waitForURL(`**/organise/${slug}?saved=analyse`);
    await visible(
      page.getByRole('status').getByText(/Analysing responses: what respondents answered/),
    );
    await visible(checklist.getByText('Responses are settled and being analysed.'));
    await visible(
      checklist.getByText(
        '7 parts are missing: the introduction; recommendation 1 (3 parts); recommendation 2 (3 parts).',
      ),
    );
    await visible(checklist.getByText('Not published yet.'));
    await expectAccessible(page);
    await shot('dashboard');

    // The introduction, saved from the summary's page by keyboard.
    await tabToAndPress(page, 'link', 'Summary editor (write the summary)');
    await page.waitForURL(`**${base}`);
    await visible(page.getByRole('heading', { name: /Summary: we asked, you said, we did/ }));
    await typeInto(
      page,
      'Introduction: what you asked, and why',
      'We asked founders and investors how **seed rounds** should be regulated.',
    );
    await tabToAndPress(page, 'button', 'Save the introduction');
    await visible(page.getByRole('status').getByText(/The introduction has been saved/));
    await visible(page.getByText('Missing: what people said, what you did, outcome').first());
    await expectAccessible(page);
    await shot('overview');

    // A second organiser opens the first recommendation in another tab, before the first saves.
    const other = await signedInPage(
      browser,
      server.url,
      f.secondOrganiser,
      `${base}/recommendations/${first.slug}`,
      options,
    );

    // The first organiser writes recommendation 1, citing two figures and choosing a quote.
    await page.getByRole('link', { name: `1. ${first.title}` }).click();
    await page.waitForURL(`**${base}/recommendations/${first.slug}`);
    await visible(page.getByRole('table', { name: /Results by group/ }).first());
    await typeInto(
      page,
      'You said: what people told you',
      'Founders backed a cap [1]; investors opposed it [2].',
    );
    await page
      .getByRole('group', { name: 'Founders' })
      .getByLabel('Net support: +100 (+45 to +100)')
      .check();
    await page
      .getByRole('group', { name: 'Investors' })
      .getByLabel(/Net support: −100/)
      .check();
    const quote = page.getByRole('listitem').filter({ hasText: 'Fees eat a tenth' });
    await visible(quote.getByText('Ada Founder, Acme Ltd'));
    // Reasons given in private, hidden by a moderator, or held, are not offered at all.
    expect(await page.getByText('I would rather this stayed between us.').count()).toBe(0);
    expect(await page.getByText('Something a moderator took down.').count()).toBe(0);
    expect(await page.getByText('See my site').count()).toBe(0);
    const quoteBox = quote.getByLabel('Quote it in the summary');
    await quoteBox.focus();
    await page.keyboard.press('Space');
    expect(await quoteBox.isChecked()).toBe(true);
    await typeInto(
      page,
      'We did: what you did or will do, and what happens next',
      'We will consult on a cap of 2%.',
    );
    await page.getByLabel('Adopted with changes').check();
    await page.getByRole('button', { name: 'Save', exact: true }).last().click();
    await visible(page.getByRole('status').getByText(/Saved \(draft version 2\)/));
    await visible(
      page.getByText('[1] Recommendation 1, founders: net support: +100 (+45 to +100)'),
    );
    await visible(page.getByText(/\[2\] Recommendation 1, investors: net support: −100/));
    await expectAccessible(page);
    await shot('recommendation');

    // The second organiser saves from the older page: told, with their text kept and the
    // other's saved text shown beside it; nothing of either is lost.
    await typeInto(other, 'You said: what people told you', 'My own wording, kept.');
    await other.getByRole('button', { name: 'Save', exact: true }).first().click();
    const problem = other.getByRole('alert');
    await visible(problem.getByText(/Another organiser saved this summary while you were editing/));
    // Without JavaScript the page cannot move focus; with it, the summary takes it.
    if (mode.javaScript) await takesFocus(problem);
    await hasValue(other.getByLabel('You said: what people told you'), 'My own wording, kept.');
    await visible(other.getByText('Founders backed a cap [1]; investors opposed it [2].'));
    await expectAccessible(other);
    if (width === 375 || index === 1)
      await screenshot(other, `summary-authoring-conflict-${width}`);
    await other.context().close();

    // Recommendation 2, by the pager's "Next" link.
    await page.getByRole('link', { name: `Next: recommendation 2` }).click();
    await page.waitForURL(`**${base}/recommendations/${second.slug}`);
    // A new page of the same route starts from its own draft, not the last page's boxes.
    await visible(page.getByRole('heading', { name: second.title, level: 1 }));
    await hasValue(page.getByLabel('You said: what people told you'), '');
    await typeInto(page, 'You said: what people told you', 'Opinion split by group [1].');
    await page.getByRole('group', { name: 'Everyone' }).getByLabel('Answers: 12').check();
    await typeInto(
      page,
      'We did: what you did or will do, and what happens next',
      'Standard terms will be published next year.',
    );
    await page.getByLabel('Adopted', { exact: true }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await visible(page.getByRole('status').getByText(/Saved \(draft version 3\)/));

    // The preview is the public page, marked as not public, with the cited evidence and quote.
    await page.goto(`${server.url}${base}`);
    await tabToAndPress(page, 'link', 'Preview as the public will see it');
    await page.waitForURL(`**${base}/preview`);
    await visible(page.getByText('Preview: not public yet.'));
    expect(await page.getByText('Not ready to publish').count()).toBe(0);
    await visible(page.getByText(/Fees eat a tenth of a small round/).first());
    await visible(page.getByText('Ada Founder, Acme Ltd').first());
    await visible(page.getByRole('link', { name: '[1]' }).first());
    await expectAccessible(page);
    await shot('preview');

    // Publishing: a confirmation step that says what happens, then version 1.
    await tabToAndPress(page, 'link', 'Publish the summary');
    await page.waitForURL(`**${base}/publish`);
    await visible(page.getByRole('heading', { name: /Publish the summary\?/ }));
    await visible(page.getByText(/sends everyone who submitted a response a message/));
    await expectAccessible(page);
    await shot('publish');
    await tabToAndPress(page, 'button', 'Yes, publish the summary');
    await page.waitForURL(`**${base}/publish?published=1`);
    await visible(page.getByRole('heading', { name: 'Summary published' }));
    await visible(page.getByText(/^[0-9a-f]{64}$/));
    await visible(
      page.getByText(/12 respondents were sent a message in their account; 12 were also emailed/),
    );
    expect(
      await page.getByRole('link', { name: 'Read the public summary' }).getAttribute('href'),
    ).toBe(`/consultations/${slug}/summary`);
    await expectAccessible(page);
    await shot('published');

    // A respondent who took part finds the message in their account.
    const founder = await signedInPage(
      browser,
      server.url,
      f.founder,
      '/account/messages',
      options,
    );
    await visible(founder.getByText(/The summary of “Seed funding rules .*” is published/).first());
    await founder.context().close();

    // A correction: change the draft, then publish it with a required change note.
    await page.goto(`${server.url}${base}/recommendations/${first.slug}`);
    await visible(page.getByText(/Version 1 of the summary is published/));
    await typeInto(
      page,
      'We did: what you did or will do, and what happens next',
      'We will consult on a cap of 1.5%.',
    );
    await page.getByRole('button', { name: 'Save', exact: true }).last().click();
    await visible(page.getByRole('status').getByText(/Saved/));
    await page.goto(`${server.url}${base}/publish`);
    await visible(page.getByRole('heading', { name: 'Publish a correction?' }));
    await page.getByRole('button', { name: 'Publish the correction' }).click();
    const missingNote = page.getByRole('alert');
    await visible(missingNote.getByRole('link', { name: 'Say what this correction changes' }));
    if (mode.javaScript) await takesFocus(missingNote);
    await expectAccessible(page);
    await typeInto(page, 'What does this correction change?', 'The proposed cap is now 1.5%.');
    await page.getByRole('button', { name: 'Publish the correction' }).click();
    await page.waitForURL(`**${base}/publish?published=2`);
    await visible(page.getByRole('heading', { name: 'Correction published' }));
    await visible(page.getByText(/a correction is shown on the page itself/));

    // An outcome update after publication: a date in the future is refused, with what was
    // typed kept; today's is listed on the timeline.
    await page.goto(`${server.url}${base}/recommendations/${first.slug}`);
    const updates = page.getByRole('region', { name: 'Outcome updates' });
    await visible(updates.getByText('No updates yet.'));
    const nextYear = String(new Date().getFullYear() + 1);
    await updates.getByLabel('Day').fill('3');
    await updates.getByLabel('Month').fill('3');
    await updates.getByLabel('Year').fill(nextYear);
    await updates.getByLabel('Adopted', { exact: true }).check();
    await typeInto(page, 'What happened', 'The regulator published new rules.');
    await pressButton(updates.getByRole('button', { name: 'Record the update' }));
    await visible(page.getByRole('alert').getByText('Enter a date that is today or earlier'));
    await hasValue(page.getByLabel('What happened'), 'The regulator published new rules.');
    const today = new Date();
    await page
      .getByRole('region', { name: 'Outcome updates' })
      .getByLabel('Day')
      .fill(String(today.getDate()));
    await page
      .getByRole('region', { name: 'Outcome updates' })
      .getByLabel('Month')
      .fill(String(today.getMonth() + 1));
    await page
      .getByRole('region', { name: 'Outcome updates' })
      .getByLabel('Year')
      .fill(String(today.getFullYear()));
    await pressButton(updates.getByRole('button', { name: 'Record the update' }));
    await page.waitForURL(/\?saved=outcome#outcome-updates$/);
    await visible(page.getByRole('status').getByText(/The outcome update has been recorded/));
    const timeline = page.getByRole('region', { name: 'Outcome updates' });
    await visible(timeline.getByText('The regulator published new rules.'));
    await visible(timeline.getByText(/now Adopted/));
    await expectAccessible(page);
    await shot('outcome-update');

    // The checklist is complete.
    await page.goto(`${server.url}/organise/${slug}`);
    await visible(checklist.getByText('Version 2 is published.'));
    expect(await checklist.getByText('To do').count()).toBe(1);
    await page.context().close();
  });
}

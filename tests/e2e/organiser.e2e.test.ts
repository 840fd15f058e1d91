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
import { signInInBrowser } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { insertSubmittedResponse } from '#tests/support/factories';
import { createCast, startFixtureServer } from '#tests/support/fixtures';
/** Types a date into the day, month, year and time boxes grouped under `legend`. */
async function fillDate(page: Page, legend: string, [day, month, year, time]: string[]) {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(day!);
  await group.getByLabel('Month').fill(month!);
  await group.getByLabel('Year').fill(year!);
  await group.getByLabel('Time').fill(time!);
}

// A consultation that has had responses: editing its text then needs care (see lifecycle.e2e).
const env = serverAndBrowser(() =>
  startFixtureServer(async (db) => {
    const cast = await createCast(db);
    for (const recommendation of cast.recommendations) {
      await insertSubmittedResponse(db, cast.consultation.id, {
        answers: [{ recommendationId: recommendation.id, stance: 'support' }],
      });
    }
    return cast;
  }),
);

test('an organiser edits a recommendation, fixing an empty title on the way', async () => {
  const { browser, server } = env;
  const { consultation, recommendations, organiser } = env.fixtures;
  const page = await newPage(browser);
  await signInInBrowser(page, server.url, organiser, '/organise');
  await visible(page.getByRole('heading', { name: 'Organise consultations' }));
  await expectAccessible(page);
  await page.getByRole('link', { name: consultation.title }).click();
  await expectAccessible(page);
  await screenshot(page, 'organise-consultation');

  // Its title ends up as it was, so no confirmation is needed although responses have arrived.
  const edited = recommendations[1]!;
  const title = edited.title;
  await page.getByRole('link', { name: `${title} (edit)` }).click();
  await visible(page.getByText(`Edit recommendation ${edited.number}`));
  await page.getByLabel('Title').fill('');
  await page.getByLabel('Rationale').fill('Organisers: the tooling gaps, in a sentence.');
  await page.getByRole('button', { name: 'Save recommendation' }).click();
  await visible(page.getByRole('link', { name: 'Enter a title' }));
  await hasValue(page.getByLabel('Rationale'), 'Organisers: the tooling gaps, in a sentence.');
  await expectAccessible(page);

  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Save recommendation' }).click();
  await visible(page.getByText('Recommendation saved.'));

  await page.goto(
    `${server.url}/consultations/${consultation.slug}/recommendations/${edited.slug}`,
  );
  await hasText(page.getByRole('heading', { level: 1 }), title);
  await visible(page.getByText('Organisers: the tooling gaps, in a sentence.'));

  await page.goto(`${server.url}/organise/${consultation.slug}/audit`);
  await visible(page.locator('ol.audit strong', { hasText: 'recommendation.updated' }).first());
  await expectAccessible(page);
});

test('without JavaScript an organiser drafts, fills, reorders and opens a new consultation', async () => {
  const { browser, server } = env;
  const page = await newPage(browser, { javaScript: false });
  await signInInBrowser(page, server.url, env.fixtures.organiser, '/organise');
  await visible(page.getByRole('heading', { name: 'Organise consultations' }));
  await page.getByRole('link', { name: 'Create a consultation' }).click();
  await expectAccessible(page);
  await page.getByLabel('Title').fill('Compute access for UK startups');
  await page.getByLabel('Web address').fill('compute-access');
  await page.getByLabel('Summary').fill('How should public compute be shared with startups?');
  await page.getByLabel('Run by').fill('Example Policy Network');
  await page
    .getByLabel('Description')
    .fill('## Why now\n\nA short <script>alert(1)</script> test.');
  await fillDate(page, 'Closes (UK time)', ['1', '3', '2099', '17:00']);
  await page.getByRole('button', { name: 'Create draft' }).click();
  await visible(page.getByText('Draft created.'));

  for (const title of ['Open a national compute queue', 'Publish usage every quarter']) {
    await page.getByRole('link', { name: 'Add a recommendation' }).click();
    await visible(page.getByRole('heading', { name: 'Add a recommendation' }));
    await expectAccessible(page);
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Summary').fill(`${title}, in short.`);
    await page.getByRole('button', { name: 'Add recommendation' }).click();
    await visible(page.getByText('Recommendation saved.'));
  }

  await page.getByRole('button', { name: 'Move Publish usage every quarter up' }).click();
  const rows = page.getByRole('table').getByRole('row');
  await hasText(rows.nth(1), 'Publish usage every quarter');
  await hasText(rows.nth(2), 'Open a national compute queue');

  await page.getByRole('button', { name: 'Open consultation' }).click();
  await visible(page.getByText('The consultation is open.'));
  await expectAccessible(page);

  await page.goto(`${server.url}/consultations/compute-access`);
  await visible(page.getByText('Open for comment').first());
  await visible(page.getByText('1 March 2099 at 5:00pm').first());
  const body = await page.content();
  expect(body).not.toContain('<script>alert(1)</script>');
  const links = page.getByRole('list', { name: 'The 2 recommendations' }).getByRole('link');
  await hasText(links.first(), 'Publish usage every quarter');
  await expectAccessible(page);

  await page.goto(server.url);
  await visible(page.getByRole('link', { name: 'Compute access for UK startups' }));
  await expectAccessible(page);
});

test('a refused consultation form keeps what the organiser typed', async () => {
  const { browser, server } = env;
  const page = await newPage(browser, { javaScript: false });
  await signInInBrowser(page, server.url, env.fixtures.organiser, '/organise');
  await visible(page.getByRole('heading', { name: 'Organise consultations' }));
  await page.goto(`${server.url}/organise/new`);
  await page.getByLabel('Title').fill('Duplicate address');
  await page.getByLabel('Web address').fill(env.fixtures.consultation.slug);
  await page.getByLabel('Summary').fill('Kept summary');
  await page.getByLabel('Run by').fill('Kept organisation');
  await fillDate(page, 'Opens (UK time)', ['2', '3', '2099', '10:00']);
  await fillDate(page, 'Closes (UK time)', ['1', '3', '2099', '17:00']);
  await page.getByRole('button', { name: 'Create draft' }).click();
  await visible(page.getByRole('link', { name: 'Closing date must be after the opening date' }));
  await hasValue(page.getByLabel('Summary'), 'Kept summary');
  await hasValue(page.getByRole('group', { name: 'Opens (UK time)' }).getByLabel('Time'), '10:00');
  await fillDate(page, 'Closes (UK time)', ['9', '3', '2099', '17:00']);
  await page.getByRole('button', { name: 'Create draft' }).click();
  await visible(page.getByRole('link', { name: /already used by another consultation/ }));
  await hasValue(page.getByLabel('Run by'), 'Kept organisation');
  await expectAccessible(page);
});

import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  expectAccessible,
  hasText,
  MODE_WIDTHS,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { signInInBrowser } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import {
  createAnsweredResponses,
  createCastWithPlaceholder,
  startFixtureServer,
} from '#tests/support/fixtures';

// One server for the file: the journeys run in order and the close comes last. Six open
// recommendations that responses have answered, and a placeholder after them.
const env = serverAndBrowser(() =>
  startFixtureServer(async (db) => {
    const cast = await createCastWithPlaceholder(db, 6);
    await createAnsweredResponses(db, cast.consultation.id, cast.recommendations);
    return cast;
  }),
);
const slug = () => env.fixtures.consultation.slug;
/** The last open recommendation, which nothing here retitles or moves. */
const last = () => env.fixtures.recommendations.at(-1)!;

const asOrganiser = (page: Page, to: string) =>
  signInInBrowser(page, env.url, env.fixtures.organiser, to);

/** The page fits the screen: nothing scrolls sideways at phone width. */
async function fitsWidth(page: Page, width: number) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `horizontal scroll on ${page.url()}`).toBeLessThanOrEqual(width);
}

/** The new title each run gives the recommendation at the same index. */
const RETITLES = [
  'Open a regional queue for shared research compute',
  'Publish how compute time is allocated every month',
];

for (const [index, { mode, width }] of MODE_WIDTHS.entries()) {
  test(`${mode.label} at ${width} px, a retitle after responses is confirmed first and shown as a dated note`, async () => {
    const { browser, server } = env;
    const recommendation = env.fixtures.recommendations[index]!;
    const r = { slug: recommendation.slug, from: recommendation.title, to: RETITLES[index]! };
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    await asOrganiser(page, `/organise/${slug()}/recommendations/${r.slug}`);
    await page.getByLabel('Title').fill(r.to);
    await page.getByLabel('Summary').fill('A summary typed while retitling.');
    await page.getByRole('button', { name: 'Save recommendation' }).click();

    const panel = page.getByRole('region', { name: 'Confirm the new title' });
    await visible(panel);
    await hasText(
      panel,
      /Responses already received \(\d+\) were given to the title '.+'; it will read '.+'\./,
    );
    await hasText(panel, `the title '${r.from}'; it will read '${r.to}'`);
    if (mode.javaScript) {
      // Focus moves in an effect just after the panel appears, so poll rather than look once.
      await expect
        .poll(() => panel.evaluate((element) => element === document.activeElement))
        .toBe(true);
    }
    // Nothing is saved yet, and what was typed is still in the form.
    expect(await page.getByLabel('Summary').inputValue()).toBe('A summary typed while retitling.');
    await expectAccessible(page);
    await fitsWidth(page, width);
    await screenshot(page, `lifecycle-confirm-title-${width}`);

    await panel.getByRole('button', { name: 'Yes, change the title' }).click();
    await visible(page.getByText('Recommendation saved.'));

    await page.goto(`${server.url}/consultations/${slug()}/recommendations/${r.slug}`);
    await hasText(page.getByRole('heading', { level: 1 }), r.to);
    await visible(page.getByText(/^Title changed on \d{1,2} \w+ \d{4}: formerly '.+'\.$/));
    await hasText(page.getByRole('region', { name: 'Changes since responses arrived' }), r.from);
    await expectAccessible(page);
    await fitsWidth(page, width);
  });
}

for (const [index, { mode, width }] of MODE_WIDTHS.entries()) {
  test(`${mode.label} at ${width} px, a reorder after responses is confirmed first`, async () => {
    const { browser, server } = env;
    const moved = env.fixtures.recommendations[2]!;
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    await asOrganiser(page, `/organise/${slug()}`);
    // The first run moves recommendation 3 down to 4; the second moves it back up to 3.
    const name = moved.title;
    const direction = index === 0 ? 'down' : 'up';
    await page.getByRole('button', { name: `Move ${name} ${direction}` }).click();
    const panel = page.getByRole('region', { name: 'Confirm the new order' });
    await visible(panel);
    await hasText(panel, /Responses already received \(\d+\) were given/);
    await hasText(panel, `'${name}' will become recommendation ${index === 0 ? 4 : 3}`);
    await expectAccessible(page);
    await fitsWidth(page, width);
    await panel.getByRole('button', { name: 'Yes, change the order' }).click();
    await visible(page.getByText('Order saved.'));
    const rows = page.getByRole('table').getByRole('row');
    await hasText(rows.nth(index === 0 ? 4 : 3), name);

    await page.goto(`${server.url}/consultations/${slug()}/recommendations/${moved.slug}`);
    await visible(
      page.getByText(
        index === 0
          ? /^Moved on .+: formerly recommendation 3, now 4\.$/
          : /^Moved on .+: formerly recommendation 4, now 3\.$/,
      ),
    );
  });
}

test('the placeholder is listed but skipped by the questionnaire until an organiser names it', async () => {
  const { browser, server } = env;
  const { founder, placeholder } = env.fixtures;
  const respondent = await newPage(browser, { javaScript: false, width: 390 });
  await signInInBrowser(respondent, server.url, founder, `/consultations/${slug()}`);
  await visible(
    respondent.getByText('Not yet open for comment: the source does not name this reform'),
  );
  await expectAccessible(respondent);
  await fitsWidth(respondent, 390);
  const direct = await respondent.goto(
    `${server.url}/consultations/${slug()}/respond/recommendations/${placeholder.slug}`,
  );
  expect(direct!.status()).toBe(404);
  await respondent.goto(`${server.url}/consultations/${slug()}/respond`);
  await visible(respondent.getByRole('link', { name: 'Start now' }));
  expect(await respondent.getByRole('link', { name: placeholder.title }).count()).toBe(0);

  const page = await newPage(browser, { javaScript: false });
  await asOrganiser(page, `/organise/${slug()}/recommendations/${placeholder.slug}`);
  await visible(page.getByText(`Name recommendation ${placeholder.number}`));
  await page.getByLabel('Title').fill('Open procurement frameworks for AI');
  await page.getByLabel('Summary').fill('Let public buyers choose open source AI by default.');
  await page.getByRole('button', { name: 'Name and open recommendation' }).click();
  const panel = page.getByRole('region', { name: 'Confirm naming this recommendation' });
  await hasText(
    panel,
    new RegExp(
      `Responses already received \\(\\d+\\) did not answer recommendation ${placeholder.number}`,
    ),
  );
  await expectAccessible(page);
  await panel.getByRole('button', { name: 'Yes, name and open it' }).click();
  await visible(page.getByText('Recommendation saved.'));

  await respondent.goto(
    `${server.url}/consultations/${slug()}/recommendations/${placeholder.slug}`,
  );
  await hasText(respondent.getByRole('heading', { level: 1 }), 'Open procurement frameworks');
  await visible(
    respondent.getByText(/^Named and opened for comment on .+: formerly a placeholder/),
  );
  await visible(respondent.getByRole('link', { name: 'Give your view' }));
});

for (const { mode, width } of MODE_WIDTHS) {
  test(`${mode.label} at ${width} px, the 404 page says nothing about "null"`, async () => {
    const { browser, server } = env;
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    const response = await page.goto(`${server.url}/no/such/page`);
    expect(response!.status()).toBe(404);
    await visible(page.getByRole('heading', { level: 1 }));
    expect(await page.locator('main').textContent()).not.toMatch(/\bnull\b/);
    await expectAccessible(page);
    await fitsWidth(page, width);
  });
}

test('at 390 px the organiser results pages fit the screen and the net-support chart shows both halves', async () => {
  const { browser, server } = env;
  const page = await newPage(browser, { width: 390 });
  await asOrganiser(page, `/organise/${slug()}/results`);
  for (const path of [
    `/organise/${slug()}/results`,
    `/organise/${slug()}/results/${last().slug}`,
    `/organise/${slug()}`,
    `/organise/${slug()}/responses`,
  ]) {
    await page.goto(`${server.url}${path}`);
    await fitsWidth(page, 390);
    await expectAccessible(page);
  }
  await page.goto(`${server.url}/organise/${slug()}/results`);
  const chart = page.getByRole('img', { name: 'Net support for each recommendation' });
  await visible(chart);
  const box = (await chart.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  // Every table that can scroll sideways is a named region reachable by Tab.
  const regions = await page
    .locator('.scroll-region')
    .evaluateAll((nodes) =>
      nodes.map((n) => [
        n.getAttribute('tabindex'),
        n.getAttribute('role'),
        n.getAttribute('aria-label'),
      ]),
    );
  expect(regions.length).toBeGreaterThan(0);
  for (const [tabindex, role, label] of regions) {
    expect([tabindex, role, !!label]).toEqual(['0', 'region', true]);
  }
  await screenshot(page, 'lifecycle-results-390');
});

for (const [index, { mode, width }] of MODE_WIDTHS.entries()) {
  test(`${mode.label} at ${width} px, closing asks first, then locks the text`, async () => {
    const { browser, server } = env;
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    await asOrganiser(page, `/organise/${slug()}`);
    await page.getByRole('link', { name: 'Close consultation now' }).click();
    await visible(page.getByRole('heading', { name: /Close this consultation now\?/ }));
    await visible(page.getByText(/stops responses at once/));
    await visible(page.getByText(/locks the text and order of the recommendations/));
    await expectAccessible(page);
    await fitsWidth(page, width);
    await screenshot(page, `lifecycle-close-${width}`);

    if (index === 0) {
      // Cancelling changes nothing: the first run leaves it open for the second.
      await page.getByRole('link', { name: 'Cancel: keep it open' }).click();
      await visible(page.getByRole('link', { name: 'Close consultation now' }));
      return;
    }
    await page.getByRole('button', { name: 'Yes, close the consultation now' }).click();
    await visible(page.getByText('The consultation is closed.'));

    await page.goto(`${server.url}/organise/${slug()}/recommendations/${last().slug}`);
    await visible(page.getByText(/text of its recommendations is locked/));
    expect(await page.getByRole('button', { name: 'Save recommendation' }).count()).toBe(0);
    await expectAccessible(page);

    // Whatever the client sends, the server refuses, saying why.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'oc_session')!;
    const response = await fetch(
      `${server.url}/organise/${slug()}/recommendations/${last().slug}`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: server.url,
          Cookie: `oc_session=${cookie.value}`,
        },
        body: 'intent=save&version=1&title=Too+late&summary=Late&rationale=&confirmed=yes',
      },
    );
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('correction notes');

    // Once closed (results public after the close), the public results fit a phone too.
    const phone = await newPage(browser, { javaScript: false, width: 390 });
    for (const path of [
      `/consultations/${slug()}/results`,
      `/consultations/${slug()}/recommendations/${last().slug}/results`,
    ]) {
      await phone.goto(`${server.url}${path}`);
      await fitsWidth(phone, 390);
      await expectAccessible(phone);
    }
  });
}

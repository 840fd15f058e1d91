import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  expectAccessible,
  hasText,
  launchBrowser,
  MODE_WIDTHS,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { startServer, type TestServer } from '#tests/support/server';
import { DEMO_ACCOUNTS, signInInBrowser } from '#tests/support/accounts';

// One server for the file: the journeys run in order and the close comes last.
let server: TestServer;
let browser: Browser;
const slug = 'hidden-in-plain-sight';
const PLACEHOLDER = 'seventh-reform-not-named-in-source';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const asOrganiser = (page: Page, to: string) =>
  signInInBrowser(page, server.url, DEMO_ACCOUNTS.organiser, to);

/** The page fits the screen: nothing scrolls sideways at phone width. */
async function fitsWidth(page: Page, width: number) {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `horizontal scroll on ${page.url()}`).toBeLessThanOrEqual(width);
}

const RETITLES = [
  {
    slug: 'open-source-first-government-ai-infrastructure',
    from: 'Adopt an "open source first" policy for government AI infrastructure',
    to: 'Adopt an "open source first" policy for public AI infrastructure',
  },
  {
    slug: 'publicly-funded-ai-open-release',
    from: 'Require publicly funded AI projects to release open models, datasets and code',
    to: 'Require publicly funded AI projects to publish open models, data and code',
  },
];

for (const [index, { mode, width }] of MODE_WIDTHS.entries()) {
  test(`${mode.label} at ${width} px, a retitle after responses is confirmed first and shown as a dated note`, async () => {
    const r = RETITLES[index]!;
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    await asOrganiser(page, `/organise/${slug}/recommendations/${r.slug}`);
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

    await page.goto(`${server.url}/consultations/${slug}/recommendations/${r.slug}`);
    await hasText(page.getByRole('heading', { level: 1 }), r.to);
    await visible(page.getByText(/^Title changed on \d{1,2} \w+ \d{4}: formerly '.+'\.$/));
    await hasText(page.getByRole('region', { name: 'Changes since responses arrived' }), r.from);
    await expectAccessible(page);
    await fitsWidth(page, width);
  });
}

for (const [index, { mode, width }] of MODE_WIDTHS.entries()) {
  test(`${mode.label} at ${width} px, a reorder after responses is confirmed first`, async () => {
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    await asOrganiser(page, `/organise/${slug}`);
    // The first run moves the fast-track down to 4; the second moves it back up to 3.
    const name = 'Create regulatory fast-tracks for open source AI providers';
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

    await page.goto(
      `${server.url}/consultations/${slug}/recommendations/regulatory-fast-track-open-source-ai`,
    );
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
  const respondent = await newPage(browser, { javaScript: false, width: 390 });
  await signInInBrowser(respondent, server.url, DEMO_ACCOUNTS.founder, `/consultations/${slug}`);
  await visible(
    respondent.getByText('Not yet open for comment: the source does not name this reform'),
  );
  await expectAccessible(respondent);
  await fitsWidth(respondent, 390);
  const direct = await respondent.goto(
    `${server.url}/consultations/${slug}/respond/recommendations/${PLACEHOLDER}`,
  );
  expect(direct!.status()).toBe(404);
  await respondent.goto(`${server.url}/consultations/${slug}/respond`);
  expect(await respondent.getByRole('link', { name: /Seventh reform/ }).count()).toBe(0);

  const page = await newPage(browser, { javaScript: false });
  await asOrganiser(page, `/organise/${slug}/recommendations/${PLACEHOLDER}`);
  await visible(page.getByText('Name recommendation 7'));
  await page.getByLabel('Title').fill('Open procurement frameworks for AI');
  await page.getByLabel('Summary').fill('Let public buyers choose open source AI by default.');
  await page.getByRole('button', { name: 'Name and open recommendation' }).click();
  const panel = page.getByRole('region', { name: 'Confirm naming this recommendation' });
  await hasText(panel, /Responses already received \(\d+\) did not answer recommendation 7/);
  await expectAccessible(page);
  await panel.getByRole('button', { name: 'Yes, name and open it' }).click();
  await visible(page.getByText('Recommendation saved.'));

  await respondent.goto(`${server.url}/consultations/${slug}/recommendations/${PLACEHOLDER}`);
  await hasText(respondent.getByRole('heading', { level: 1 }), 'Open procurement frameworks');
  await visible(
    respondent.getByText(/^Named and opened for comment on .+: formerly a placeholder/),
  );
  await visible(respondent.getByRole('link', { name: 'Give your view' }));
});

for (const { mode, width } of MODE_WIDTHS) {
  test(`${mode.label} at ${width} px, the 404 page says nothing about "null"`, async () => {
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
  const page = await newPage(browser, { width: 390 });
  await asOrganiser(page, `/organise/${slug}/results`);
  for (const path of [
    `/organise/${slug}/results`,
    `/organise/${slug}/results/deployment-tooling-investment`,
    `/organise/${slug}`,
    `/organise/${slug}/responses`,
  ]) {
    await page.goto(`${server.url}${path}`);
    await fitsWidth(page, 390);
    await expectAccessible(page);
  }
  await page.goto(`${server.url}/organise/${slug}/results`);
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
    const page = await newPage(browser, { javaScript: mode.javaScript, width });
    await asOrganiser(page, `/organise/${slug}`);
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

    await page.goto(`${server.url}/organise/${slug}/recommendations/deployment-tooling-investment`);
    await visible(page.getByText(/text of its recommendations is locked/));
    expect(await page.getByRole('button', { name: 'Save recommendation' }).count()).toBe(0);
    await expectAccessible(page);

    // Whatever the client sends, the server refuses, saying why.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'oc_session')!;
    const response = await fetch(
      `${server.url}/organise/${slug}/recommendations/deployment-tooling-investment`,
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
      `/consultations/${slug}/results`,
      `/consultations/${slug}/recommendations/deployment-tooling-investment/results`,
    ]) {
      await phone.goto(`${server.url}${path}`);
      await fitsWidth(phone, 390);
      await expectAccessible(phone);
    }
  });
}

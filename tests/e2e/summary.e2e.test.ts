import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ensureSampleConsultation } from '#db/seed-sample-summary';
import { sampleConsultation, sampleRecommendations, sampleSummary } from '#db/seed-sample-content';
import {
  MODES,
  expectAccessible,
  hasText,
  launchBrowser,
  newPage,
  screenshot,
  tabToAndPress,
  visible,
} from '#tests/support/browser';
import { createOpenConsultation, startFixtureServer } from '#tests/support/fixtures';
import type { TestServer } from '#tests/support/server';

// A reader without an account, at phone width and by keyboard, with JavaScript and without:
// from the home page to the published summary, along a citation to its evidence, to an older
// version and to what changed between them. The finished sample consultation is made by the
// demo seed's own code, through the summaries services.

let server: TestServer;
let browser: Browser;
let openSlug: string;
const SLUG = sampleConsultation.slug;
const WIDTH = 375;

beforeAll(async () => {
  const started = startFixtureServer(async (db) => {
    const { consultation, organiser } = await createOpenConsultation(db);
    await ensureSampleConsultation(db, organiser.email);
    return { openSlug: consultation.slug };
  });
  let fixtures: Awaited<typeof started>['fixtures'];
  [{ server, fixtures }, browser] = await Promise.all([started, launchBrowser()]);
  openSlug = fixtures.openSlug;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The page does not scroll sideways at phone width: everything wide scrolls in its own box. */
async function fitsTheScreen(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(0);
}

for (const mode of MODES) {
  // The two modes draw the same pages; the screenshots are kept of the one without JavaScript.
  const shoot = (page: Page, name: string) =>
    mode.javaScript ? Promise.resolve() : screenshot(page, name);
  test(`${mode.label} at ${WIDTH} px, by keyboard, a reader follows a summary from the home page to its evidence, an older version and the changes`, async () => {
    const page = await newPage(browser, { javaScript: mode.javaScript, width: WIDTH });
    await page.goto(`${server.url}/`);
    await visible(page.getByRole('heading', { name: 'What organisers heard, and what they did' }));
    await expectAccessible(page);
    await tabToAndPress(page, 'link', `Read the summary of ${sampleConsultation.title}`);

    // The latest version: its title, publication time, hash and correction note.
    await page.waitForURL(`**/consultations/${SLUG}/summary`);
    await visible(page.getByRole('heading', { level: 1, name: /helping founders/ }));
    await hasText(page.locator('.summary-facts'), /Published.*\(UK time\), version 2/);
    await hasText(page.locator('.summary-facts'), sampleSummary.correction.changeNote);
    expect(await page.locator('.summary-facts code.hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await hasText(page.locator('.summary-facts'), /Licence\s*Open Government Licence v3\.0/);
    await hasText(page.locator('#recommendation-3'), /Outcome now: Adopted with changes/);
    await visible(page.getByRole('heading', { name: 'What has happened since' }));
    await visible(page.getByRole('heading', { name: 'How these figures were made' }));
    await fitsTheScreen(page);
    await expectAccessible(page);
    await shoot(page, `summary-latest-${WIDTH}`);

    // A citation in "you said" leads to its evidence, with the figure and its n.
    await tabToAndPress(
      page,
      page.locator('#recommendation-1').getByRole('link', { name: 'Evidence [1]' }),
    );
    await page.waitForURL(`**/summary#recommendation-1-evidence-1`);
    const evidence = page.locator('#recommendation-1-evidence-1');
    await hasText(
      evidence,
      /Recommendation 1, founders: net support: [+−]\d+ \([+−]?\d+ to [+−]\d+\) \(n = \d+\)/,
    );
    expect(await evidence.evaluate((e) => e.matches(':target'))).toBe(true);
    const box = (await evidence.boundingBox())!;
    expect(box.y).toBeGreaterThan(-1);
    expect(box.y).toBeLessThan(900);

    // The version list names every version with its note; the first is at its own address.
    await tabToAndPress(page, 'link', 'Version 1');
    await page.waitForURL(`**/consultations/${SLUG}/summary/v/1`);
    const banner = page.getByRole('note').filter({ hasText: 'an earlier version of this summary' });
    await hasText(banner, 'This is version 1, an earlier version of this summary.');
    await hasText(page.locator('#recommendation-2'), 'pilot in three regions');
    await fitsTheScreen(page);
    await expectAccessible(page);
    await shoot(page, `summary-version-1-${WIDTH}`);

    // What changed: the correction's note and its lines, removed and added.
    await tabToAndPress(page, 'link', 'See what changed since this version');
    await page.waitForURL(`**/summary/changes?from=1&to=2`);
    await visible(page.getByRole('heading', { name: 'From version 1 to version 2' }));
    await hasText(page.locator('body'), sampleSummary.correction.changeNote);
    await hasText(page.locator('.diff del'), 'pilot in three regions');
    await hasText(page.locator('.diff ins'), 'pilot in four regions');
    await fitsTheScreen(page);
    await expectAccessible(page);
    await shoot(page, `summary-changes-${WIDTH}`);

    // The picker works by keyboard, in either order, and says so when a version is not there.
    await page.getByLabel('Compare version').selectOption('2');
    await page.getByLabel('with version').selectOption('1');
    await tabToAndPress(page, 'button', 'Compare');
    await page.waitForURL(`**/summary/changes?from=2&to=1`);
    await visible(page.getByRole('heading', { name: 'From version 1 to version 2' }));
    await page.goto(`${server.url}/consultations/${SLUG}/summary/changes?from=1&to=5`);
    await hasText(
      page.getByRole('alert'),
      'There is no version 5 of this summary. Choose a version from 1 to 2.',
    );
    await expectAccessible(page);

    // A consultation still open has no summary yet, and the page says what happens next.
    const missing = await page.goto(`${server.url}/consultations/${openSlug}/summary`);
    expect(missing!.status()).toBe(404);
    await visible(
      page.getByRole('heading', { level: 1, name: /No summary has been published yet/ }),
    );
    await hasText(page.locator('.lead'), /Open for comment until .* publish a summary/);
    await expectAccessible(page);
    await page.context().close();
  });
}

test('the consultation and results pages lead to the summary, and it prints without the site navigation', async () => {
  const page = await newPage(browser, { width: 1280 });
  await page.goto(`${server.url}/consultations/${SLUG}`);
  await visible(page.getByRole('heading', { name: 'Where this consultation is' }));
  await visible(page.locator('[aria-current="step"]', { hasText: 'Summary published' }));
  await expectAccessible(page);
  await screenshot(page, 'summary-consultation-lifecycle');
  await page.goto(`${server.url}/consultations/${SLUG}/results`);
  await page.getByRole('link', { name: 'Read the summary', exact: true }).click();
  await page.waitForURL(`**/consultations/${SLUG}/summary`);
  await screenshot(page, 'summary-latest-1280');

  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('.site-header__nav').isVisible()).toBe(false);
  expect(await page.locator('.summary-contents').isVisible()).toBe(false);
  expect(await page.locator('.summary-facts code.hash').isVisible()).toBe(true);
  // A printed link says where it leads.
  const after = await page
    .locator('.versions a[href$="/summary/v/1"]')
    .evaluate((a) => getComputedStyle(a, '::after').content);
  expect(after).toMatch(/attr\(href\)|\/summary\/v\/1/);
  await screenshot(page, 'summary-print');
  await page.context().close();
});

for (const mode of MODES) {
  test(`${mode.label}, a reader goes from a recommendation to its part of the summary, on a page of its own`, async () => {
    const recommendation = sampleRecommendations[0]!;
    const page = await newPage(browser, { javaScript: mode.javaScript, width: WIDTH });
    await page.goto(`${server.url}/consultations/${SLUG}/recommendations/${recommendation.slug}`);
    await tabToAndPress(
      page,
      'link',
      'What the organisers heard and did about this recommendation',
    );
    await page.waitForURL(
      `**/consultations/${SLUG}/summary/recommendations/${recommendation.slug}`,
    );
    await visible(page.getByRole('heading', { level: 1, name: new RegExp(recommendation.title) }));
    await visible(page.getByRole('heading', { name: 'You said', exact: true }));
    await visible(page.getByRole('heading', { name: 'How these figures were made' }));
    expect(await page.locator('code.hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await fitsTheScreen(page);
    await expectAccessible(page);
    if (!mode.javaScript) await screenshot(page, `summary-recommendation-${WIDTH}`);
    await page.getByRole('link', { name: 'Read the whole summary' }).click();
    await page.waitForURL(`**/consultations/${SLUG}/summary#recommendation-1`);
    const missing = await page.goto(
      `${server.url}/consultations/${SLUG}/summary/recommendations/no-such-recommendation`,
    );
    expect(missing!.status()).toBe(404);
    await page.context().close();
  });
}

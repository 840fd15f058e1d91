import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { expectAccessible, hasText, newPage, screenshot, visible } from '#tests/support/browser';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { startServer } from '#tests/support/server';
import { DEMO_ACCOUNTS, signInInBrowser } from '#tests/support/accounts';

const CONSULTATION = '/consultations/hidden-in-plain-sight';
const RECOMMENDATIONS = [
  'open-source-first-government-ai-infrastructure',
  'publicly-funded-ai-open-release',
  'regulatory-fast-track-open-source-ai',
  'procurement-reform-open-source-companies',
  'innovate-uk-open-source-priorities',
  'deployment-tooling-investment',
];
// The seventh recommendation is a placeholder: not open for answers, so it has no results.
const PLACEHOLDER = 'seventh-reform-not-named-in-source';

// The demo's results are the subject here: the committed screenshots show them, from the full
// demo seed; ordinary runs use the smaller one.
const env = serverAndBrowser(() =>
  startServer(process.env.UPDATE_SCREENSHOTS === '1' ? { SEED_RESPONSES: '3000' } : {}),
);

/** The figures in one column of the overview table, in page order (null where none is shown). */
async function columnNumbers(page: Page, column: number) {
  const texts = await page
    .locator('#all-recommendations ~ .scroll-region table tbody tr')
    .evaluateAll(
      (rows, index) => rows.map((row) => row.children[index]?.textContent?.trim() ?? ''),
      column,
    );
  return texts.map((text) => {
    const match = /^[+−-]?\d+(\.\d+)?/.exec(text);
    return match ? Number(match[0].replace('−', '-')) : null;
  });
}

test('before the organiser allows it, results are a 403 page that says when they will be public', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.url}${CONSULTATION}`);
  await visible(
    page.getByText(/The results of this consultation will be public when it closes, on/),
  );
  const response = await page.goto(`${env.url}${CONSULTATION}/results`);
  expect(response?.status()).toBe(403);
  await hasText(page.getByRole('heading', { level: 1 }), 'These results are not public yet');
  await visible(
    page.getByText(/will be public when it closes, on \d+ \w+ \d{4} at \d+:\d{2}[ap]m/),
  );
  await expectAccessible(page);
  await screenshot(page, 'results-not-public');

  const detail = await page.goto(
    `${env.url}${CONSULTATION}/recommendations/${RECOMMENDATIONS[0]}/results`,
  );
  expect(detail?.status()).toBe(403);
  const unknown = await page.goto(`${env.url}/consultations/no-such-consultation/results`);
  expect(unknown?.status()).toBe(404);
});

test('a malformed query string gets a 400 page listing the options that work', async () => {
  const page = await newPage(env.browser, { javaScript: false });
  const response = await page.goto(`${env.url}${CONSULTATION}/results?sort=popularity`);
  expect(response?.status()).toBe(400);
  await hasText(page.getByRole('heading', { level: 1 }), 'We could not read that address');
  await visible(page.getByText('The value of “sort” is not one we know.'));
  for (const value of ['net-support', 'importance', 'endorsements', 'answers', 'desc']) {
    await visible(page.getByText(value, { exact: true }));
  }
  await expectAccessible(page);
  await screenshot(page, 'results-bad-query');

  const detail = await page.goto(
    `${env.url}${CONSULTATION}/recommendations/${RECOMMENDATIONS[0]}/results?verified=yes&colour=red`,
  );
  expect(detail?.status()).toBe(400);
  await visible(page.getByText('This page has no option called “colour”.', { exact: false }));
});

test('without JavaScript an organiser reads the dashboard and makes the results public during the consultation', async () => {
  const page = await newPage(env.browser, { javaScript: false });
  await signInInBrowser(page, env.url, DEMO_ACCOUNTS.organiser, '/organise/hidden-in-plain-sight');
  await page.getByRole('link', { name: 'Results dashboard', exact: true }).click();
  await hasText(page.getByRole('heading', { level: 1 }), 'Hidden in Plain Sight');
  await visible(page.getByText(/^Not public yet\./));
  await expectAccessible(page);

  await page.getByLabel('While the consultation is open').check();
  await page.getByRole('button', { name: 'Save setting' }).click();
  await visible(page.getByText('Saved. The public results follow your new choice from now on.'));
  await visible(page.getByText('The results are public now.'));
  await expectAccessible(page);
  await screenshot(page, 'results-dashboard');

  await page.getByRole('link', { name: /^2\. Require publicly funded/ }).click();
  await visible(page.getByRole('heading', { name: 'For analysts (not public)' }));
  await visible(page.getByRole('row', { name: /^Stance\/tone disagreements/ }));
  await expectAccessible(page);
  await screenshot(page, 'results-dashboard-recommendation');

  await page.goto(`${env.url}/organise/hidden-in-plain-sight/audit`);
  await visible(
    page.locator('ol.audit strong', { hasText: 'consultation.results_visibility_changed' }).first(),
  );
});

test('the public reads the overview with JavaScript and sorts it from the keyboard', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.url}${CONSULTATION}`);
  await page.getByRole('link', { name: 'See the results' }).click();
  await page.waitForURL(`**${CONSULTATION}/results`);
  await hasText(page.getByRole('heading', { level: 1 }), 'Hidden in Plain Sight');
  await visible(page.getByRole('img', { name: 'Net support for each recommendation' }));
  await visible(page.getByText(/^[\d,]+ responses: [\d,]+ founders, [\d,]+ investors and/));
  await expectAccessible(page);
  await screenshot(page, 'results-overview');

  const netSupport = page.getByRole('link', { name: 'Net support (select to sort)' });
  await netSupport.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL('**/results?sort=net-support');
  const heading = page.locator('th[aria-sort="descending"]');
  await hasText(heading, 'Net support');
  const descending = (await columnNumbers(page, 1)).filter((n): n is number => n !== null);
  expect(descending.length).toBeGreaterThan(1);
  expect(descending).toEqual([...descending].sort((a, b) => b - a));

  await page
    .getByRole('link', {
      name: 'Net support (sorted highest first; select to reverse)',
    })
    .focus();
  await page.keyboard.press('Enter');
  await page.waitForURL('**/results?sort=net-support&dir=asc');
  await hasText(page.locator('th[aria-sort="ascending"]'), 'Net support');
  const ascending = (await columnNumbers(page, 1)).filter((n): n is number => n !== null);
  expect(ascending).toEqual([...descending].reverse());
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Verified respondents only' }).click();
  await page.waitForURL('**/results?sort=net-support&dir=asc&verified=1');
  await visible(
    page.getByRole('img', {
      name: 'Net support for each recommendation (verified respondents only)',
    }),
  );
});

test('without JavaScript each recommendation has a results page that tells its story', async () => {
  const page = await newPage(env.browser, { javaScript: false });
  await page.goto(`${env.url}${CONSULTATION}/recommendations/${RECOMMENDATIONS[0]}`);
  await page.getByRole('link', { name: 'See the results for this recommendation' }).click();
  await page.waitForURL(`**/${RECOMMENDATIONS[0]}/results`);

  for (const [index, slug] of RECOMMENDATIONS.entries()) {
    if (index > 0) {
      await page
        .getByRole('link', { name: `Next: results of recommendation ${index + 1} ›` })
        .click();
      await page.waitForURL(`**/${slug}/results`);
    }
    await visible(page.getByText(`Results for recommendation ${index + 1} of 6`));
    const verdict = page.locator('.consensus__verdict');
    await hasText(
      verdict,
      /^(Both support|Both oppose|Divided|No majority either way|Too few responses to compare)$/,
    );
    await visible(page.getByRole('img', { name: 'Stance by group' }));
    await visible(page.getByRole('img', { name: 'Net support by group' }));
    await visible(page.getByRole('img', { name: 'Tone of the reasons by group' }));
    await visible(page.getByRole('heading', { name: 'Themes in the reasons' }));
    await visible(page.getByRole('img', { name: 'Net support over time' }));
    // Public pages never carry the analysts' detail.
    expect(await page.getByRole('heading', { name: 'For analysts (not public)' }).count()).toBe(0);
    if (index === 0 || index === 1) await expectAccessible(page);
    await screenshot(page, `results-recommendation-${index + 1}`);
  }
  // The last open recommendation has no "next": the placeholder is left out of the results.
  expect(await page.getByRole('link', { name: /Next: results of recommendation/ }).count()).toBe(0);
  const placeholder = await page.goto(
    `${env.url}${CONSULTATION}/recommendations/${PLACEHOLDER}/results`,
  );
  expect(placeholder!.status()).toBe(404);
  await page.goBack();

  await page.getByRole('link', { name: 'Verified respondents only' }).click();
  await page.waitForURL('**/results?verified=1');
  await visible(page.getByRole('img', { name: 'Stance by group (verified respondents only)' }));
  await expectAccessible(page);
});

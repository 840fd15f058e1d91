import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import {
  MODES,
  expectAccessible,
  newPage,
  screenshot,
  tabToAndPress,
  visible,
} from '#tests/support/browser';
import { serverAndBrowser } from '#tests/support/e2e-env';
import {
  createAnsweredResponses,
  createOpenConsultation,
  startFixtureServer,
} from '#tests/support/fixtures';

const TITLE = 'Open data: a test consultation';
const env = serverAndBrowser(() =>
  startFixtureServer(async (db) => {
    const made = await createOpenConsultation(db, {
      consultation: { title: TITLE, results_visibility: 'during' },
    });
    await createAnsweredResponses(db, made.consultation.id, made.recommendations);
    // Results public only once it closes (the default).
    const waiting = await createOpenConsultation(db, { recommendations: 1 });
    return { ...made, waiting: waiting.consultation };
  }),
);
const slug = () => env.fixtures.consultation.slug;

for (const mode of MODES) {
  test(`${mode.label} at 375 px, anyone goes from the results to the open data by keyboard and downloads the aggregates`, async () => {
    const page = await newPage(env.browser, { javaScript: mode.javaScript, width: 375 });
    await page.goto(`${env.url}/consultations/${slug()}/results`);
    await visible(page.getByRole('heading', { name: 'Download the data', level: 2 }));
    await tabToAndPress(page, 'link', 'Download the data');
    await visible(
      page.getByRole('heading', { name: new RegExp(`Open data\\s*${TITLE}`), level: 1 }),
    );
    const files = page.getByRole('list', { name: 'Files' });
    for (const name of [
      'aggregates.csv',
      'responses.json',
      'README.md',
      'manifest.json',
      'open-data.zip',
    ]) {
      await visible(files.getByRole('link', { name, exact: true }));
    }
    await visible(
      files
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: 'aggregates.csv' }) })
        .getByText(/^CSV, \d+(\.\d)?\s(bytes|kB)$/),
    );
    await visible(page.getByRole('link', { name: 'Open Government Licence v3.0' }));
    await expectAccessible(page);
    await screenshot(page, `open-data-${mode.javaScript ? 'js' : 'nojs'}-375`);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      files.getByRole('link', { name: 'aggregates.csv', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${slug()}-aggregates.csv`);
    const body = readFileSync((await download.path())!).toString('utf8');
    expect(body.startsWith('\uFEFFrecommendation_number,recommendation_slug,')).toBe(true);
    // Fifteen responses, five in each group: every group of every recommendation is shown.
    expect(body).toMatch(/\r\n1,[^\r\n]*,all,false,false,15,/);
  });
}

test('the files are cached publicly for a minute, answer If-None-Match, and wait for the results to be public', async () => {
  const page = await newPage(env.browser, { width: 1280 });
  const response = await page.request.get(`${env.url}/consultations/${slug()}/data/open-data.zip`);
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('public, max-age=60');
  expect(response.headers()['content-type']).toBe('application/zip');
  const again = await page.request.get(`${env.url}/consultations/${slug()}/data/open-data.zip`, {
    headers: { 'If-None-Match': response.headers().etag! },
  });
  expect(again.status()).toBe(304);
  const unknown = await page.request.get(`${env.url}/consultations/${slug()}/data/secrets.csv`);
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ code: 'not_found' });
  const missing = await page.request.get(`${env.url}/consultations/no-such-consultation/data`);
  expect(missing.status()).toBe(404);
  const waiting = await page.request.get(
    `${env.url}/consultations/${env.fixtures.waiting.slug}/data/aggregates.csv`,
  );
  expect(waiting.status()).toBe(403);
  expect(await waiting.json()).toMatchObject({
    code: 'forbidden',
    message: expect.stringMatching(/will be public when it closes, on/),
  });

  await page.goto(`${env.url}/consultations/${env.fixtures.waiting.slug}/data`);
  await visible(page.getByRole('heading', { name: 'These results are not public yet', level: 1 }));
  await visible(page.getByText(/will be public when it closes, on/));
  await expectAccessible(page);

  await page.goto(`${env.url}/consultations/${slug()}/data`);
  await visible(page.getByRole('heading', { name: new RegExp(`Open data\\s*${TITLE}`), level: 1 }));
  await screenshot(page, 'open-data-1280');
});

import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import {
  MODE_WIDTHS,
  expectAccessible,
  hasText,
  isFocused,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { signInInBrowser } from '#tests/support/accounts';
import { insertSubmittedResponse } from '#tests/support/factories';
import { createOpenConsultation, startFixtureServer } from '#tests/support/fixtures';
import { serverAndBrowser } from '#tests/support/e2e-env';

async function create(db: Parameters<Parameters<typeof startFixtureServer>[0]>[0]) {
  const made = await createOpenConsultation(db, {
    recommendations: 2,
    consultation: { title: 'Downloading the data: a test consultation' },
  });
  const { reference } = await insertSubmittedResponse(db, made.consultation.id, {
    consent: 'private',
    answers: [
      {
        recommendationId: made.recommendations[0]!.id,
        stance: 'support',
        reasons: 'Reasons only the organisers may read',
      },
    ],
  });
  return { ...made, reference };
}

const env = serverAndBrowser(() => startFixtureServer(create));

for (const { mode, width } of MODE_WIDTHS) {
  test(`${mode.label} at ${width} px, an organiser finds the downloads from the dashboard, downloads every response as CSV, and the audit log records it`, async () => {
    const slug = env.fixtures.consultation.slug;
    const page = await newPage(env.browser, { javaScript: mode.javaScript, width });
    await signInInBrowser(page, env.url, env.fixtures.organiser, `/organise/${slug}`);
    await page.waitForURL(`**/organise/${slug}`);

    const link = page.getByRole('link', { name: 'Download the data' });
    await link.focus();
    await isFocused(link);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { level: 1, name: /Download the data/ }));
    await expectAccessible(page);
    await screenshot(page, `exports-${mode.javaScript ? 'js' : 'nojs'}-${width}`);

    const csv = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Responses, one row per answer' }) })
      .getByRole('link', { name: 'Download CSV' });
    const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
    expect(download.suggestedFilename()).toBe(`${slug}-responses-long.csv`);
    const body = readFileSync(await download.path()).toString('utf8');
    expect(body.startsWith('\uFEFFreference,')).toBe(true);
    expect(body).toContain(env.fixtures.reference);
    expect(body).toContain('not published');
    expect(body).toContain('Reasons only the organisers may read');

    await page.goto(`${env.url}/organise/${slug}/audit?action=consultation.data_exported`);
    const newest = page
      .getByRole('list', { name: 'Audit entries, newest first' })
      .getByRole('listitem')
      .first();
    await hasText(newest, /consultation\.data_exported on consultation .* by Fixture Organiser/);
    await newest.getByText('Details').click();
    await hasText(newest, /responses-long\.csv/);
    await page.context().close();
  });
}

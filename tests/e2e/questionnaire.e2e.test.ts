import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import {
  MODES,
  MODE_WIDTHS,
  expectAccessible,
  focusedElement,
  hasText,
  hasValue,
  newPage,
  screenshot,
  visible,
} from '#tests/support/browser';
import { signInInBrowser, signUpInBrowser } from '#tests/support/accounts';
import { serverAndBrowser } from '#tests/support/e2e-env';
import { createCastWithPlaceholder, startFixtureServer } from '#tests/support/fixtures';

// Moving between pages of one route (recommendation 1 → 2 → back) is where a client-side
// navigation can keep the previous page's typed values: every journey here runs in both modes.

// Four open recommendations and a placeholder after them, which is listed but is not a step.
const env = serverAndBrowser(() => startFixtureServer((db) => createCastWithPlaceholder(db, 4)));
const slug = () => env.fixtures.consultation.slug;
const respond = () => `/consultations/${slug()}/respond`;

const reasonsBox = (page: Page) => page.getByLabel(`Your reasons and evidence (optional)`);
const saveAndContinue = (page: Page) =>
  page.getByRole('button', { name: 'Save and continue' }).click();

async function signUp(page: Page, name: string, email: string, redirectTo: string) {
  // Submitting needs a confirmed address: the emailed link confirms, signs in and comes back.
  await signUpInBrowser(page, env.url, { name, email, redirectTo });
}

const caption = (page: Page) => page.getByText(/^Recommendation \d+ of \d+$/);

/** Waits for the question page of recommendation `number` and returns how many there are. */
async function onRecommendation(page: Page, number: number) {
  await hasText(caption(page), new RegExp(`^Recommendation ${number} of \\d+$`));
  return Number(/of (\d+)/.exec((await caption(page).textContent())!)![1]);
}

async function expectBlankQuestion(page: Page) {
  expect(await page.locator('input[name="stance"]:checked').count()).toBe(0);
  expect(await page.locator('input[name="importance"]:checked').count()).toBe(0);
  await hasValue(reasonsBox(page), '');
  await hasValue(page.getByLabel('What would change your mind? (optional)'), '');
}

async function expectFocusOnHeading(page: Page, mode: { javaScript: boolean }) {
  // Without JavaScript the browser loads a new page and a screen reader starts at its top.
  if (!mode.javaScript) return;
  await expect.poll(() => focusedElement(page), { timeout: 5_000 }).toMatch(/^h1: /);
}

for (const mode of MODES) {
  // This mode at its width of MODE_WIDTHS; the other width of each runs in the other journeys.
  for (const width of [MODE_WIDTHS.find((m) => m.mode === mode)!.width]) {
    test(`${mode.label} at ${width} px, each recommendation keeps its own answers, back and forth, and Change returns to Check your answers`, async () => {
      const { browser } = env;
      const { recommendations, placeholder } = env.fixtures;
      const page = await newPage(browser, { javaScript: mode.javaScript, width });
      const who = `${mode.javaScript ? 'js' : 'nojs'}-${width}`;
      await signUp(page, `Ada ${who}`, `ada-${who}@example.test`, `${respond()}/about-you`);
      await visible(page.getByRole('heading', { name: 'About you' }));
      await saveAndContinue(page);

      // Recommendation 1, answered in full.
      await onRecommendation(page, 1);
      await page.getByLabel('Support', { exact: true }).check();
      await page.getByRole('radio', { name: '4:' }).check();
      await reasonsBox(page).fill('Reasons for the first recommendation.');
      await saveAndContinue(page);

      // Recommendation 2 opens blank, with focus on its heading.
      await onRecommendation(page, 2);
      await expectFocusOnHeading(page, mode);
      await expectBlankQuestion(page);
      await page.getByLabel('Oppose', { exact: true }).check();
      await reasonsBox(page).fill('Reasons for the second recommendation.');
      await saveAndContinue(page);

      // Recommendation 3: typed but not saved, then Back twice to recommendation 1.
      await onRecommendation(page, 3);
      await expectBlankQuestion(page);
      await reasonsBox(page).fill('Never saved.');
      await page.locator('a.back-link').click();
      await onRecommendation(page, 2);
      expect(await page.getByLabel('Oppose', { exact: true }).isChecked()).toBe(true);
      await hasValue(reasonsBox(page), 'Reasons for the second recommendation.');
      await page.locator('a.back-link').click();
      await onRecommendation(page, 1);
      expect(await page.getByLabel('Support', { exact: true }).isChecked()).toBe(true);
      expect(await page.getByRole('radio', { name: '4:' }).isChecked()).toBe(true);
      await hasValue(reasonsBox(page), 'Reasons for the first recommendation.');
      await expectAccessible(page);

      // Forward again without changes: 1 and 2 keep their answers, 3 onwards are skipped.
      await saveAndContinue(page);
      await onRecommendation(page, 2);
      await hasValue(reasonsBox(page), 'Reasons for the second recommendation.');
      await saveAndContinue(page);
      const total = await onRecommendation(page, 3);
      // The open recommendations only: the placeholder after them is not a step.
      expect(total).toBe(recommendations.length);
      for (let number = 3; number <= total; number++) {
        await onRecommendation(page, number);
        await expectBlankQuestion(page);
        await saveAndContinue(page);
      }
      await visible(page.getByRole('heading', { name: 'Overall comments and publishing choice' }));
      await page.getByLabel('Do not publish my answers').check();
      await saveAndContinue(page);

      await visible(page.getByRole('heading', { name: 'Check your answers before submitting' }));
      const first = page.locator('section', { hasText: /^1\. / });
      const second = page.locator('section', { hasText: /^2\. / });
      const third = page.locator('section', { hasText: /^3\. / });
      await hasText(first, 'Support');
      await hasText(first, '4: ');
      await hasText(first, 'Reasons for the first recommendation.');
      await hasText(second, 'Oppose');
      await hasText(second, 'Reasons for the second recommendation.');
      await hasText(third, 'Not answered');
      expect(await page.getByText('Never saved.').count()).toBe(0);
      await visible(page.getByText(`Your views (2 of ${total} answered)`));
      expect(await page.getByText(placeholder.title).count()).toBe(0);
      await expectAccessible(page);
      if (mode.javaScript) await screenshot(page, `questionnaire-check-${width}`);

      // Change recommendation 1 from Check your answers: Back and Save both return there.
      await page.getByRole('link', { name: 'Change your answer to recommendation 1' }).click();
      await onRecommendation(page, 1);
      await page.locator('a.back-link').click();
      await visible(page.getByRole('heading', { name: 'Check your answers before submitting' }));
      await page.getByRole('link', { name: 'Change your answer to recommendation 1' }).click();
      await page.getByLabel('Strongly support', { exact: true }).check();
      await saveAndContinue(page);
      await visible(page.getByRole('heading', { name: 'Check your answers before submitting' }));
      await expectFocusOnHeading(page, mode);
      await hasText(first, 'Strongly support');
      await hasText(second, 'Oppose');
    });
  }

  test(`${mode.label}, a refused form says "Error:" in the title and lists its problems in page order`, async () => {
    const { browser, server } = env;
    const page = await newPage(browser, { javaScript: mode.javaScript });
    await page.goto(`${server.url}/signup`);
    const title = await page.title();
    expect(title).not.toMatch(/^Error/);
    await page.getByLabel('Email address').fill('not an address');
    await page.getByRole('button', { name: 'Create account' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await visible(summary);
    await expect.poll(() => page.title()).toBe(`Error: ${title}`);
    const links = await summary
      .getByRole('link')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const fields = await page
      .locator(
        'form [id^="field-"][aria-invalid="true"], form fieldset[aria-describedby*="error"] input:first-of-type',
      )
      .evaluateAll((els) => els.map((e) => `#${e.id}`));
    expect(links.length).toBeGreaterThan(1);
    expect(links).toEqual(fields.filter((id) => links.includes(id)));
    await hasValue(page.getByLabel('Email address'), 'not an address');
    if (mode.javaScript) {
      await expect.poll(() => focusedElement(page)).toMatch(/^div: There is a problem/);
    }
    await expectAccessible(page);

    // Put right, the next page's title is plain again.
    await page.getByLabel('Your name').fill(`Title ${mode.label}`);
    await page
      .getByLabel('Email address')
      .fill(`title-${mode.javaScript ? 'js' : 'nojs'}@example.test`);
    await page.getByLabel('Create a password').fill('a long enough password');
    await page.getByLabel('Founder or startup team member').check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.title()).not.toMatch(/^Error/);
  });

  // Retried once: in about one full run in three, without JavaScript, the page after the
  // repeated post has listed no comment with this text although the first post was published
  // (not reproduced in five runs of this file alone; see the issue 12 note). Each attempt posts
  // its own text, so a retry is not itself a repeat.
  test(
    `${mode.label}, the comment box is empty after posting and a repeated post is stored once`,
    { retry: 1 },
    async () => {
      const { browser, server } = env;
      const { founder, recommendations } = env.fixtures;
      const page = await newPage(browser, { javaScript: mode.javaScript });
      const recommendation = `/consultations/${slug()}/recommendations/${recommendations.at(-1)!.slug}`;
      await signInInBrowser(page, server.url, founder, recommendation);
      const box = page.getByLabel('Add a comment');
      await visible(box);
      const text = `Deployment tooling is where startups lose months (${mode.label}, ${randomBytes(3).toString('hex')}).`;
      await box.fill(text);
      await page.getByRole('button', { name: 'Post comment' }).click();
      await visible(page.getByText('Your comment is published.'));
      await hasValue(box, '');

      // The same text sent again (a second tab, a resent form) is not a second comment.
      await box.fill(text);
      await page.getByRole('button', { name: 'Post comment' }).click();
      await visible(page.getByText('You had already posted this comment a moment ago'));
      await hasValue(box, '');
      const bodies = page.locator('.comment__body');
      expect(
        await bodies.filter({ hasText: text }).count(),
        `comments listed: ${JSON.stringify(await bodies.allInnerTexts())} at ${page.url()}`,
      ).toBe(1);
      await expectAccessible(page);
    },
  );
}

test('with JavaScript, an organiser moving from one recommendation’s edit page to another sees the second one’s text', async () => {
  const { browser, server } = env;
  const page = await newPage(browser);
  await signInInBrowser(page, server.url, env.fixtures.organiser, `/organise/${slug()}`);
  const editLinks = page.getByRole('table').getByRole('link', { name: /\(edit\)$/ });
  await visible(editLinks.first());
  const secondTitle = ((await editLinks.nth(1).textContent()) ?? '').replace(/\s*\(edit\)$/, '');

  await editLinks.first().click();
  const title = page.getByLabel('Title', { exact: true });
  await visible(title);
  await title.fill('Typed here, never saved');
  await page.goBack();
  await editLinks.nth(1).click();
  await expect.poll(() => title.inputValue()).toBe(secondTitle.trim());
});

import type { Page } from 'playwright-core';
import { hasText, visible } from './browser';

export async function saveAndContinue(page: Page) {
  await page.getByRole('button', { name: 'Save and continue' }).click();
}

/**
 * From a consultation's "Start now" page: answers only the first recommendation ("Support",
 * with `reasons`), skips the others, chooses not to publish, submits, and returns the receipt
 * reference.
 */
export async function submitOneAnswer(page: Page, reasons: string) {
  await page.getByRole('link', { name: 'Start now' }).click();
  await visible(page.getByRole('heading', { name: 'About you' }));
  await saveAndContinue(page);
  const step = page.getByText(/^Step \d+ of \d+$/);
  await hasText(step, /^Step 2 of \d+$/);
  const steps = Number(/of (\d+)/.exec((await step.textContent())!)![1]);
  await page.getByLabel('Support', { exact: true }).check();
  await page.getByLabel('Your reasons and evidence (optional)').fill(reasons);
  await saveAndContinue(page);
  // The other recommendations are left unanswered; the last step is the overall comments.
  for (let n = 3; n < steps; n++) {
    await hasText(step, `Step ${n} of ${steps}`);
    await saveAndContinue(page);
  }
  await visible(page.getByRole('heading', { name: 'Overall comments and publishing choice' }));
  await page.getByLabel('Do not publish my answers').check();
  await saveAndContinue(page);
  await page.getByRole('button', { name: 'Submit response' }).click();
  await visible(page.getByRole('heading', { name: 'Response submitted' }));
  return (await page.locator('.confirmation__reference').textContent())!.trim();
}

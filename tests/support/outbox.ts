import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export type OutboxEmail = {
  id: string;
  to: string;
  subject: string;
  text: string;
  links: string[];
  /** Extra headers, such as List-Unsubscribe. */
  headers: Record<string, string>;
};

function unescapeHtml(html: string) {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

async function fetchText(url: string) {
  const response = await fetch(url);
  expect(response.status, `GET ${url}`).toBe(200);
  return response.text();
}

/**
 * The newest email to `address` (whose subject matches, if given) in the development outbox
 * of the server at `baseUrl`, read through /dev/outbox as a developer would.
 */
export async function latestEmailTo(
  baseUrl: string,
  address: string,
  subject?: RegExp,
): Promise<OutboxEmail> {
  // With JavaScript a click returns before the form's request is answered: wait a bounded while.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const email = await findEmailTo(baseUrl, address, subject);
    if (email) return email;
    if (Date.now() > deadline) {
      throw new Error(
        `no email to ${address}${subject ? ` matching ${subject}` : ''} in the outbox`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function findEmailTo(
  baseUrl: string,
  address: string,
  subject?: RegExp,
): Promise<OutboxEmail | null> {
  const list = await fetchText(`${baseUrl}/dev/outbox`);
  const rows = list.match(/<tr>.*?<\/tr>/gs) ?? [];
  for (const row of rows) {
    const cells = [...row.matchAll(/<td>(.*?)<\/td>/gs)].map((m) => m[1]!);
    const link = /href="\/dev\/outbox\/([0-9a-f-]{36})">(.*?)<\/a>/s.exec(row);
    if (!link || unescapeHtml(cells[0] ?? '') !== address) continue;
    const title = unescapeHtml(link[2]!);
    if (subject && !subject.test(title)) continue;
    const page = await fetchText(`${baseUrl}/dev/outbox/${link[1]}`);
    const body = /<pre class="email-body">(.*?)<\/pre>/s.exec(page);
    const text = unescapeHtml(body?.[1] ?? '');
    const headers: Record<string, string> = {};
    for (const m of page.matchAll(
      /<dt class="summary-list__key">(List-[^<]+)<\/dt><dd class="summary-list__value">(.*?)<\/dd>/gs,
    )) {
      headers[m[1]!] = unescapeHtml(m[2]!);
    }
    return {
      headers,
      id: link[1]!,
      to: address,
      subject: title,
      text,
      links: text.match(/https?:\/\/\S+/g) ?? [],
    };
  }
  return null;
}

/** The link in the newest email to `address` whose path is `path`. */
export async function linkInEmail(
  baseUrl: string,
  address: string,
  path: string,
  subject?: RegExp,
) {
  const email = await latestEmailTo(baseUrl, address, subject);
  const link = email.links.find((l) => new URL(l).pathname === path);
  if (!link) throw new Error(`no ${path} link in "${email.subject}" to ${address}`);
  // Emails carry the address the site was reached on; tests use 127.0.0.1 throughout.
  const url = new URL(link);
  return `${baseUrl}${url.pathname}${url.search}`;
}

/**
 * Follows the confirmation link emailed to `address` in `page` and presses the button, as a
 * new person does after signing up. Leaves the page on the confirmation page.
 */
export async function confirmEmail(page: Page, baseUrl: string, address: string) {
  await page.goto(
    await linkInEmail(baseUrl, address, '/account/confirm-email', /Confirm your (new )?email/),
  );
  await page.getByRole('button', { name: 'Confirm email address' }).click();
  await page.getByText(/email address is confirmed/).waitFor();
}

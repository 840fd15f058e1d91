import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '#db/schema';
import { linkInEmail } from './outbox';

/** The token of the newest invitation emailed to `email`, read from the outbox as the owner would. */
export async function invitationToken(db: Kysely<DB>, email: string) {
  const row = await db
    .selectFrom('email_outbox')
    .select('text_body')
    .where('to_address', '=', email)
    .where('kind', '=', 'role.invitation')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const match = /\/invitations\/accept\?token=(\S+)/.exec(row.text_body);
  if (!match) throw new Error(`no invitation link in the email to ${email}`);
  return decodeURIComponent(match[1]!);
}

/**
 * Accepts the newest invitation emailed to `address` without a browser, as the signed-in owner
 * (`cookie`) pressing "Accept invitation". For tests that set up staff over HTTP.
 */
export async function acceptInvitationOverHttp(baseUrl: string, address: string, cookie: string) {
  const link = new URL(await linkInEmail(baseUrl, address, '/invitations/accept', /invited/));
  const response = await fetch(`${baseUrl}/invitations/accept${link.search}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: cookie,
      Origin: baseUrl,
    },
    body: new URLSearchParams({ token: link.searchParams.get('token')! }),
    redirect: 'manual',
  });
  expect(response.status, `accept the invitation to ${address}`).toBe(302);
}

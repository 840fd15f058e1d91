import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';

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

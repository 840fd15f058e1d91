import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// What quote holds read of a response just submitted: its reasons now and in the version before.

export function findResponse(db: Db, responseId: string) {
  return db
    .selectFrom('responses')
    .select(['current_version', 'consent'])
    .where('id', '=', responseId)
    .executeTakeFirstOrThrow();
}

/** The counted answers of a response that give reasons (the quotable text). */
export function listReasonedAnswers(db: Db, responseId: string) {
  return db
    .selectFrom('submitted_answers')
    .select(['recommendation_id', 'reasons'])
    .where('response_id', '=', responseId)
    .where('reasons', 'is not', null)
    .execute();
}

export async function findVersionSnapshot(db: Db, responseId: string, number: number) {
  const row = await db
    .selectFrom('response_versions')
    .select('snapshot')
    .where('response_id', '=', responseId)
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.snapshot;
}

/** Published reasons of a response that no moderator has looked at wait for one. */
export function holdUnreviewed(db: Db, responseId: string) {
  return db
    .updateTable('submitted_answers')
    .set({ quote_status: 'pending' })
    .where('response_id', '=', responseId)
    .where('reasons', 'is not', null)
    .where('quote_status', '=', 'published')
    .where('reviewed_at', 'is', null)
    .execute();
}

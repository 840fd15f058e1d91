import { sql, type InsertObject, type Kysely, type Transaction } from 'kysely';
import type { DB, Stance } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// The working copy of the answers (response_answers) and the counted copy (submitted_answers).

export function listAnswers(db: Db, responseId: string) {
  return db
    .selectFrom('response_answers')
    .select(['recommendation_id', 'stance', 'importance', 'reasons', 'change_mind', 'updated_at'])
    .where('response_id', '=', responseId)
    .execute();
}

export function listSubmittedAnswers(db: Db, responseId: string) {
  return db
    .selectFrom('submitted_answers')
    .select(['recommendation_id', 'stance', 'importance', 'reasons', 'change_mind'])
    .where('response_id', '=', responseId)
    .execute();
}

export function findAnswer(db: Db, responseId: string, recommendationId: string) {
  return db
    .selectFrom('response_answers')
    .select(['stance', 'importance', 'reasons', 'change_mind'])
    .where('response_id', '=', responseId)
    .where('recommendation_id', '=', recommendationId)
    .executeTakeFirst();
}

export type AnswerValues = {
  stance: Stance | null;
  importance: number | null;
  reasons: string | null;
  change_mind: string | null;
};

export function upsertAnswer(
  db: Db,
  responseId: string,
  recommendationId: string,
  values: AnswerValues,
) {
  return db
    .insertInto('response_answers')
    .values({ response_id: responseId, recommendation_id: recommendationId, ...values })
    .onConflict((oc) =>
      oc.columns(['response_id', 'recommendation_id']).doUpdateSet({
        ...values,
        updated_at: sql`now()`,
      }),
    )
    .execute();
}

export function deleteAnswer(db: Db, responseId: string, recommendationId: string) {
  return db
    .deleteFrom('response_answers')
    .where('response_id', '=', responseId)
    .where('recommendation_id', '=', recommendationId)
    .execute();
}

export function deleteSubmittedAnswers(db: Db, responseId: string) {
  return db.deleteFrom('submitted_answers').where('response_id', '=', responseId).execute();
}

/** Counted answers; the response row must be written first, its details are copied on insert. */
export async function insertSubmittedAnswers(
  db: Db,
  rows: InsertObject<DB, 'submitted_answers'>[],
) {
  if (rows.length > 0) await db.insertInto('submitted_answers').values(rows).execute();
}

/** A working copy written whole, for a response that is created already submitted. */
export async function insertWorkingAnswers(db: Db, rows: InsertObject<DB, 'response_answers'>[]) {
  if (rows.length > 0) await db.insertInto('response_answers').values(rows).execute();
}

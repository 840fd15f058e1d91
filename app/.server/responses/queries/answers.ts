import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Stance } from '#db/schema';
import { analyseAnswer } from '../../results/text-analysis';

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

/**
 * Replaces the counted answers with the working copy, each with the analysis of its reasons
 * (tone, stance/tone disagreement, key phrases) that the results count.
 */
export async function replaceSubmittedAnswers(
  db: Db,
  responseId: string,
  consultationId: string,
  answers: (AnswerValues & { recommendation_id: string })[],
) {
  await db.deleteFrom('submitted_answers').where('response_id', '=', responseId).execute();
  if (answers.length === 0) return;
  await db
    .insertInto('submitted_answers')
    .values(
      answers.map((a) => {
        const analysis = analyseAnswer(a.stance, a.reasons);
        return {
          response_id: responseId,
          recommendation_id: a.recommendation_id,
          consultation_id: consultationId,
          stance: a.stance,
          importance: a.importance,
          reasons: a.reasons,
          change_mind: a.change_mind,
          tone: analysis.tone,
          disagreement: analysis.disagreement,
          phrases: analysis.phrases,
        };
      }),
    )
    .execute();
}

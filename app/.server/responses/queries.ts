import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Segment, Stance } from '#db/schema';
import { analyseAnswer } from '../results/text-analysis';
import { keysetTime, pastKeyset, type Keyset } from '../keyset';

type Db = Kysely<DB> | Transaction<DB>;

const responseColumns = [
  'responses.id',
  'responses.consultation_id',
  'responses.user_id',
  'responses.status',
  'responses.overall_comments',
  'responses.submitted_overall_comments',
  'responses.consent',
  'responses.reference',
  'responses.current_version',
  'responses.has_unsubmitted_changes',
  'responses.segment',
  'responses.segment_other',
  'responses.display_name',
  'responses.organisation',
  'responses.organisation_stage',
  'responses.region',
  'responses.verified',
  'responses.first_submitted_at',
  'responses.last_submitted_at',
  'responses.updated_at',
] as const;

export function findResponse(
  db: Db,
  consultationId: string,
  userId: string,
  options: { forUpdate?: boolean } = {},
) {
  let query = db
    .selectFrom('responses')
    .select(responseColumns)
    .where('consultation_id', '=', consultationId)
    .where('user_id', '=', userId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The person's response row, created as a draft if missing; safe when two requests race. */
export async function ensureResponse(db: Db, consultationId: string, userId: string) {
  await db
    .insertInto('responses')
    .values({ consultation_id: consultationId, user_id: userId })
    .onConflict((oc) => oc.columns(['consultation_id', 'user_id']).doNothing())
    .execute();
  return (await findResponse(db, consultationId, userId, { forUpdate: true }))!;
}

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

export function findVersionByKey(db: Db, responseId: string, idempotencyKey: string) {
  return db
    .selectFrom('response_versions')
    .select(['number', 'submitted_at'])
    .where('response_id', '=', responseId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}

export function findVersion(db: Db, responseId: string, number: number) {
  return db
    .selectFrom('response_versions')
    .select(['number', 'snapshot'])
    .where('response_id', '=', responseId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/** The working copy is again what was last submitted (edited, then put back). */
export function markSubmittedCopyCurrent(db: Db, responseId: string) {
  return db
    .updateTable('responses')
    .set({ has_unsubmitted_changes: false })
    .where('id', '=', responseId)
    .execute();
}

export function listVersions(db: Db, responseId: string) {
  return db
    .selectFrom('response_versions')
    .select(['number', 'submitted_at', 'snapshot'])
    .where('response_id', '=', responseId)
    .orderBy('number', 'desc')
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

export function listMyResponses(db: Db, userId: string) {
  return db
    .selectFrom('responses')
    .innerJoin('consultations', 'consultations.id', 'responses.consultation_id')
    .select([
      'responses.status',
      'responses.reference',
      'responses.current_version',
      'responses.has_unsubmitted_changes',
      'responses.consent',
      'responses.first_submitted_at',
      'responses.last_submitted_at',
      'responses.updated_at',
      'consultations.slug',
      'consultations.title',
      'consultations.status as consultation_status',
      'consultations.opens_at',
      'consultations.closes_at',
    ])
    .where('responses.user_id', '=', userId)
    .orderBy('responses.updated_at', 'desc')
    .execute();
}

export type ListFilters = {
  segment?: Segment;
  recommendationId?: string;
  stance?: Stance;
  after?: Keyset;
  limit: number;
};

/** Submitted responses, newest first, by keyset (the cost does not grow with the page number). */
export function listSubmittedResponses(db: Db, consultationId: string, filters: ListFilters) {
  let query = db
    .selectFrom('responses')
    .select([
      'responses.id',
      'responses.reference',
      'responses.display_name',
      'responses.organisation',
      'responses.segment',
      'responses.segment_other',
      'responses.consent',
      'responses.current_version',
      'responses.last_submitted_at',
      keysetTime('responses.last_submitted_at').as('keyset_at'),
    ])
    .where('responses.consultation_id', '=', consultationId)
    .where('responses.status', '=', 'submitted')
    .orderBy('responses.last_submitted_at', 'desc')
    .orderBy('responses.id', 'desc')
    .limit(filters.limit + 1);
  if (filters.segment) query = query.where('responses.segment', '=', filters.segment);
  if (filters.recommendationId) {
    const recommendationId = filters.recommendationId;
    const stance = filters.stance;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('submitted_answers')
          .select(sql.lit(1).as('one'))
          .whereRef('submitted_answers.response_id', '=', 'responses.id')
          .where('submitted_answers.recommendation_id', '=', recommendationId)
          .$if(!!stance, (q) => q.where('submitted_answers.stance', '=', stance!))
          .$if(!stance, (q) => q.where('submitted_answers.stance', 'is not', null)),
      ),
    );
  }
  const after = filters.after;
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, 'desc', after, [
        ['at', 'responses.last_submitted_at'],
        ['id', 'responses.id'],
      ]),
    );
  }
  return query.execute();
}

export function findResponseByReference(db: Db, consultationId: string, reference: string) {
  return db
    .selectFrom('responses')
    .select(responseColumns)
    .where('consultation_id', '=', consultationId)
    .where('reference', '=', reference)
    .executeTakeFirst();
}

/** The person's earlier withdrawal of a response to this consultation, if any (from the audit log). */
export function findWithdrawal(db: Db, consultationId: string, userId: string) {
  return db
    .selectFrom('audit_events')
    .select(['after', 'occurred_at'])
    .where('consultation_id', '=', consultationId)
    .where('actor_id', '=', userId)
    .where('action', '=', 'response.withdrawn')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The recommendations where the person has a comment or an endorsement still showing: a
 * withdrawal leaves those, so the confirmation says where they are.
 */
export function listOwnDiscussion(db: Db, consultationId: string, userId: string) {
  return db
    .selectFrom('recommendations')
    .select((eb) => [
      'recommendations.slug',
      'recommendations.number',
      'recommendations.title',
      eb
        .selectFrom('comments')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('comments.recommendation_id', '=', 'recommendations.id')
        .where('comments.author_id', '=', userId)
        .where('comments.status', '<>', 'deleted')
        .as('comments'),
      eb
        .selectFrom('endorsements')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('endorsements.recommendation_id', '=', 'recommendations.id')
        .where('endorsements.user_id', '=', userId)
        .as('endorsements'),
    ])
    .where('recommendations.consultation_id', '=', consultationId)
    .orderBy('recommendations.number')
    .execute();
}

/** Where the person's emails about their response go. */
export async function findEmailOf(db: Db, userId: string) {
  const user = await db
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return user.email;
}

import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { keysetTime, pastKeyset, type Keyset } from '../keyset';

// The organiser's downloads read each table a batch at a time, oldest first, by keyset on
// (time, id): a batch deep in a million rows costs what the first does, and memory holds one
// batch, whatever the consultation's size.

export function listRecommendations(db: Kysely<DB>, consultationId: string) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'slug', 'title'])
    .where('consultation_id', '=', consultationId)
    .orderBy('number')
    .execute();
}

export async function countSubmittedResponses(db: Kysely<DB>, consultationId: string) {
  const row = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('consultation_id', '=', consultationId)
    .where('status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function submittedResponsesPage(
  db: Kysely<DB>,
  consultationId: string,
  after: Keyset | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('responses')
    .select([
      'id',
      'reference',
      'current_version',
      'consent',
      'segment',
      'segment_other',
      'display_name',
      'organisation',
      'organisation_stage',
      'region',
      'verified',
      'submitted_overall_comments',
      'first_submitted_at',
      'last_submitted_at',
      keysetTime('first_submitted_at').as('keyset_at'),
    ])
    .where('consultation_id', '=', consultationId)
    .where('status', '=', 'submitted')
    .orderBy('first_submitted_at')
    .orderBy('id')
    .limit(limit);
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, 'asc', after, [
        ['at', 'first_submitted_at'],
        ['id', 'id'],
      ]),
    );
  }
  return query.execute();
}

export function answersOf(db: Kysely<DB>, consultationId: string, responseIds: string[]) {
  if (responseIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('submitted_answers')
    .select([
      'response_id',
      'recommendation_id',
      'stance',
      'importance',
      'reasons',
      'change_mind',
      'quote_status',
    ])
    .where('consultation_id', '=', consultationId)
    .where('response_id', 'in', responseIds)
    .execute();
}

export function commentsPage(
  db: Kysely<DB>,
  consultationId: string,
  after: Keyset | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('comments')
    .select([
      'id',
      'recommendation_id',
      'parent_id',
      'thread_id',
      'author_display_name',
      'author_segment',
      'author_verified',
      'body',
      'status',
      'held_reason',
      'report_count',
      'helpful_count',
      'reply_count',
      'created_at',
      'edited_at',
      keysetTime('created_at').as('keyset_at'),
    ])
    .where('consultation_id', '=', consultationId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, 'asc', after, [
        ['at', 'created_at'],
        ['id', 'id'],
      ]),
    );
  }
  return query.execute();
}

export function endorsementsPage(
  db: Kysely<DB>,
  consultationId: string,
  after: Keyset | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('endorsements')
    .select([
      'id',
      'recommendation_id',
      'display_name',
      'organisation',
      'segment',
      'on_behalf_of_organisation',
      'show_name',
      'created_at',
      keysetTime('created_at').as('keyset_at'),
    ])
    .where('consultation_id', '=', consultationId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit);
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, 'asc', after, [
        ['at', 'created_at'],
        ['id', 'id'],
      ]),
    );
  }
  return query.execute();
}

export function moderationDecisionsPage(
  db: Kysely<DB>,
  consultationId: string,
  after: Keyset | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('moderation_decisions as d')
    .leftJoin('respondent_profiles as moderator', 'moderator.user_id', 'd.decided_by')
    .leftJoin('responses', 'responses.id', 'd.response_id')
    .select([
      'd.id',
      'd.item_type',
      'd.comment_id',
      'responses.reference as response_reference',
      'd.recommendation_id',
      'd.action',
      'd.reason',
      'd.note',
      'd.status_before',
      'd.status_after',
      'd.body_before',
      'd.body_after',
      'd.undoes_id',
      'd.bulk',
      'moderator.display_name as decided_by_name',
      'd.created_at',
      keysetTime('d.created_at').as('keyset_at'),
    ])
    .where('d.consultation_id', '=', consultationId)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .limit(limit);
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, 'asc', after, [
        ['at', 'd.created_at'],
        ['id', 'd.id'],
      ]),
    );
  }
  return query.execute();
}

export async function countAnswersOfSubmitted(db: Kysely<DB>, consultationId: string) {
  const row = await db
    .selectFrom('submitted_answers')
    .innerJoin('responses', 'responses.id', 'submitted_answers.response_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('submitted_answers.consultation_id', '=', consultationId)
    .where('responses.status', '=', 'submitted')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countOf(
  db: Kysely<DB>,
  table: 'comments' | 'endorsements' | 'moderation_decisions' | 'audit_events',
  consultationId: string,
) {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('consultation_id', '=', consultationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

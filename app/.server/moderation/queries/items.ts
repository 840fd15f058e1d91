import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// One item as its page and its decisions read it: a comment or a quote (reasons of a response).

export function findComment(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  return db
    .selectFrom('comments')
    .select([
      'id',
      'consultation_id',
      'recommendation_id',
      'author_id',
      'parent_id',
      'body',
      'body_html',
      'status',
      'held_reason',
      'report_count',
      'author_display_name',
      'author_segment',
      'created_at',
      'edited_at',
      'reviewed_at',
      'escalated_at',
      unreviewedReportsOf('comments.id', 'comments.reviewed_at').as('needs_look'),
    ])
    .where('id', '=', id)
    .$if(!!options.forUpdate, (q) => q.forUpdate())
    .executeTakeFirst();
}

function unreviewedReportsOf(idColumn: string, reviewedColumn: string) {
  return sql<boolean>`exists (
    select 1 from comment_reports f
    where f.comment_id = ${sql.ref(idColumn)}
      and f.created_at > coalesce(${sql.ref(reviewedColumn)}, '-infinity'::timestamptz))`;
}

export function findQuote(
  db: Db,
  responseId: string,
  recommendationId: string,
  options: { forUpdate?: boolean } = {},
) {
  return db
    .selectFrom('submitted_answers as sa')
    .innerJoin('responses as resp', 'resp.id', 'sa.response_id')
    .select([
      'sa.response_id',
      'sa.recommendation_id',
      'sa.consultation_id',
      'sa.reasons',
      'sa.stance',
      'sa.quote_status',
      'sa.reviewed_at',
      'sa.escalated_at',
      'resp.user_id',
      'resp.consent',
      'resp.reference',
      'resp.display_name',
      'resp.segment',
      'resp.status as response_status',
      'resp.last_submitted_at',
    ])
    .where('sa.response_id', '=', responseId)
    .where('sa.recommendation_id', '=', recommendationId)
    .$if(!!options.forUpdate, (q) => q.forUpdate(['sa']))
    .executeTakeFirst();
}

export function listReports(db: Db, commentId: string) {
  return db
    .selectFrom('comment_reports')
    .select(['id', 'reason', 'note', 'created_at'])
    .where('comment_id', '=', commentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The recommendation an item sits under. */
export function findRecommendation(db: Db, id: string) {
  return db
    .selectFrom('recommendations')
    .select(['number', 'title', 'slug'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export function findCommentStatus(db: Db, id: string) {
  return db.selectFrom('comments').select('status').where('id', '=', id).executeTakeFirst();
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Segment } from '#db/schema';
import {
  REPORT_REASONS,
  HELD_REASONS,
  isOneOf,
  type ModerationItemStatus,
  type ModerationItemType,
} from '~/lib/enums';
import type { QueueFilter, QueueState } from '~/lib/schemas/moderation';
import type { Keyset } from '../../keyset';
import { keysetTime, pastKeyset } from '../../keyset';

type Db = Kysely<DB> | Transaction<DB>;

const HOUR = 60 * 60 * 1000;

/** Reports made since a moderator last decided: the ones that still need a look. */
function unreviewedReports() {
  return sql<boolean>`exists (
    select 1 from comment_reports f
    where f.comment_id = c.id and f.created_at > coalesce(c.reviewed_at, '-infinity'::timestamptz))`;
}

/** An author asked for a review of a decision on it, and no moderator has decided since. */
function openCommentAppeal() {
  return sql<boolean>`exists (select 1 from moderation_appeals ap
    where ap.comment_id = c.id and ap.resolved_at is null)`;
}
function openQuoteAppeal() {
  return sql<boolean>`exists (select 1 from moderation_appeals ap
    where ap.response_id = sa.response_id and ap.recommendation_id = sa.recommendation_id
      and ap.resolved_at is null)`;
}

type QueueScope = Omit<QueueFilter, 'state' | 'order'>;

/**
 * Every item of these consultations that waits for a moderator, with the filters that are not
 * the state applied, as one row shape: comments (reported, hidden by reports, held) and quotable
 * reasons waiting under pre-moderation, plus anything escalated. `position` breaks ties between
 * the quotes of one response, which share its submission time.
 */
function queueItems(db: Db, consultationIds: string[], filter: QueueScope) {
  const now = Date.now();
  const since =
    filter.age === 'day'
      ? { after: new Date(now - 24 * HOUR) }
      : filter.age === 'older_than_day'
        ? { before: new Date(now - 24 * HOUR) }
        : filter.age === 'older_than_week'
          ? { before: new Date(now - 7 * 24 * HOUR) }
          : {};
  // A trigger is either what readers reported a comment for or the rule that held it.
  const reportTrigger =
    filter.trigger && isOneOf(REPORT_REASONS, filter.trigger) ? filter.trigger : null;
  const heldTrigger =
    filter.trigger && isOneOf(HELD_REASONS, filter.trigger) ? filter.trigger : null;
  let comments = db
    .selectFrom('comments as c')
    .innerJoin('recommendations as r', 'r.id', 'c.recommendation_id')
    .select([
      sql<ModerationItemType>`'comment'`.as('item_type'),
      'c.consultation_id as consultation_id',
      'c.id as id',
      sql<string | null>`null::uuid`.as('recommendation_ref'),
      sql<number>`0`.as('position'),
      'c.created_at as created_at',
      sql<ModerationItemStatus>`c.status`.as('status'),
      sql<string | null>`c.held_reason`.as('held_reason'),
      'c.report_count as report_count',
      'c.author_segment as segment',
      'c.author_display_name as author_name',
      'c.author_id as author_id',
      'c.body as body',
      'r.number as recommendation_number',
      'r.title as recommendation_title',
      sql<QueueState>`case
        when ${openCommentAppeal()} then 'appeal'
        when c.escalated_at is not null then 'escalated'
        when c.status = 'held' then 'held'
        when c.status = 'hidden' then 'auto_hidden'
        else 'reported' end`.as('state'),
    ])
    .where('c.consultation_id', 'in', consultationIds)
    .where('c.status', '<>', 'deleted')
    .where((eb) =>
      eb.or([
        openCommentAppeal(),
        eb('c.escalated_at', 'is not', null),
        eb('c.status', '=', 'held'),
        eb.and([eb('c.status', 'in', ['visible', 'hidden']), unreviewedReports()]),
      ]),
    )
    .$if(filter.recommendation !== undefined, (q) =>
      q.where('r.number', '=', filter.recommendation!),
    )
    .$if(!!filter.segment, (q) => q.where('c.author_segment', '=', filter.segment!))
    .$if(!!since.after, (q) => q.where('c.created_at', '>=', since.after!))
    .$if(!!since.before, (q) => q.where('c.created_at', '<', since.before!));
  if (reportTrigger) {
    comments = comments.where(
      sql<boolean>`exists (select 1 from comment_reports f
        where f.comment_id = c.id and f.reason = ${reportTrigger})`,
    );
  }
  if (heldTrigger) {
    comments = comments.where('c.status', '=', 'held').where('c.held_reason', '=', heldTrigger);
  }
  const quotes = db
    .selectFrom('submitted_answers as sa')
    .innerJoin('responses as resp', 'resp.id', 'sa.response_id')
    .innerJoin('recommendations as r', 'r.id', 'sa.recommendation_id')
    .select([
      sql<ModerationItemType>`'quote'`.as('item_type'),
      'sa.consultation_id as consultation_id',
      'sa.response_id as id',
      sql<string | null>`sa.recommendation_id`.as('recommendation_ref'),
      sql<number>`r.number`.as('position'),
      sql<Date>`resp.last_submitted_at`.as('created_at'),
      sql<ModerationItemStatus>`sa.quote_status`.as('status'),
      sql<string | null>`null`.as('held_reason'),
      sql<number>`0`.as('report_count'),
      sql<Segment>`resp.segment`.as('segment'),
      sql<string>`coalesce(resp.display_name, 'A respondent')`.as('author_name'),
      'resp.user_id as author_id',
      sql<string>`coalesce(sa.reasons, '')`.as('body'),
      'r.number as recommendation_number',
      'r.title as recommendation_title',
      sql<QueueState>`case when ${openQuoteAppeal()} then 'appeal'
        when sa.escalated_at is not null then 'escalated'
        else 'pending_quote' end`.as('state'),
    ])
    .where('sa.consultation_id', 'in', consultationIds)
    .where('resp.status', '=', 'submitted')
    .where('sa.reasons', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('sa.quote_status', '=', 'pending'),
        eb('sa.escalated_at', 'is not', null),
        openQuoteAppeal(),
      ]),
    )
    .$if(filter.recommendation !== undefined, (q) =>
      q.where('r.number', '=', filter.recommendation!),
    )
    .$if(!!filter.segment, (q) => q.where('resp.segment', '=', filter.segment!))
    .$if(!!since.after, (q) => q.where('resp.last_submitted_at', '>=', since.after!))
    .$if(!!since.before, (q) => q.where('resp.last_submitted_at', '<', since.before!))
    .$if(!!filter.trigger && filter.trigger !== 'pre_moderation', (q) =>
      q.where(sql<boolean>`false`),
    );
  return comments.unionAll(quotes);
}

export type QueueRow = Awaited<ReturnType<typeof listQueue>>[number];

/** A page of the queue in time order, by keyset on (time, id, position). */
export function listQueue(
  db: Db,
  consultationId: string,
  filter: QueueFilter,
  options: { after?: Keyset; limit: number },
) {
  const descending = filter.order === 'newest';
  const direction = descending ? 'desc' : 'asc';
  let query = db
    .selectFrom(queueItems(db, [consultationId], filter).as('items'))
    .selectAll('items')
    .select(keysetTime('items.created_at').as('keyset_at'))
    .orderBy('items.created_at', direction)
    .orderBy('items.id', direction)
    .orderBy('items.position', direction)
    .limit(options.limit + 1);
  const state = filter.state;
  if (state !== 'all') query = query.where('items.state', '=', state);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, direction, after, [
        ['at', 'items.created_at'],
        ['id', 'items.id'],
        ['count', 'items.position'],
      ]),
    );
  }
  return query.execute();
}

/** How many items wait in each state, under the same filters. */
export async function countQueue(db: Db, consultationId: string, filter: QueueScope) {
  const rows = await db
    .selectFrom(queueItems(db, [consultationId], filter).as('items'))
    .select(['items.state', sql<number>`count(*)::int`.as('n')])
    .groupBy('items.state')
    .execute();
  return new Map(rows.map((r) => [r.state, r.n]));
}

/** How many items wait in each of these consultations, in one query: consultation id → count. */
export async function countWaiting(db: Db, consultationIds: string[]) {
  if (consultationIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom(queueItems(db, consultationIds, { age: 'any' }).as('items'))
    .select(['items.consultation_id', sql<number>`count(*)::int`.as('n')])
    .groupBy('items.consultation_id')
    .execute();
  return new Map(rows.map((r) => [r.consultation_id, r.n]));
}

/** The reasons given in reports on these comments, most common first. */
export async function reportReasons(db: Db, commentIds: string[]) {
  if (commentIds.length === 0) return new Map<string, string[]>();
  const rows = await db
    .selectFrom('comment_reports')
    .select(['comment_id', 'reason', sql<number>`count(*)::int`.as('n')])
    .where('comment_id', 'in', commentIds)
    .groupBy(['comment_id', 'reason'])
    .orderBy('n', 'desc')
    .orderBy('reason')
    .execute();
  const byComment = new Map<string, string[]>();
  for (const row of rows) {
    byComment.set(row.comment_id, [...(byComment.get(row.comment_id) ?? []), row.reason]);
  }
  return byComment;
}

/** The consultation's recommendations, for the queue's filter. */
export function listRecommendations(db: Db, consultationId: string) {
  return db
    .selectFrom('recommendations')
    .select(['number', 'title'])
    .where('consultation_id', '=', consultationId)
    .orderBy('number')
    .execute();
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Segment } from '#db/schema';
import type { Keyset } from '../keyset';
import { keysetTime, pastKeyset } from '../keyset';
import type { QueueFilter, QueueState } from '~/lib/schemas/moderation';

type Db = Kysely<DB> | Transaction<DB>;

const HOUR = 60 * 60 * 1000;

/** Reports made since a moderator last decided: the ones that still need a look. */
function unreviewedFlags() {
  return sql<boolean>`exists (
    select 1 from comment_flags f
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

/**
 * Every item of a consultation that waits for a moderator, with the filters that are not the
 * state applied, as one row shape: comments (reported, hidden by reports, held) and quotable
 * reasons waiting under pre-moderation, plus anything escalated. `position` breaks ties between
 * the quotes of one response, which share its submission time.
 */
function queueItems(db: Db, consultationId: string, filter: Omit<QueueFilter, 'state' | 'order'>) {
  const now = Date.now();
  const since =
    filter.age === 'day'
      ? { after: new Date(now - 24 * HOUR) }
      : filter.age === 'older_than_day'
        ? { before: new Date(now - 24 * HOUR) }
        : filter.age === 'older_than_week'
          ? { before: new Date(now - 7 * 24 * HOUR) }
          : {};
  const flagReasons = ['spam', 'abuse', 'off_topic', 'misinformation', 'other'];
  const comments = db
    .selectFrom('comments as c')
    .innerJoin('recommendations as r', 'r.id', 'c.recommendation_id')
    .select([
      sql<'comment' | 'quote'>`'comment'`.as('item_type'),
      'c.id as id',
      sql<string | null>`null::uuid`.as('recommendation_ref'),
      sql<number>`0`.as('position'),
      'c.created_at as created_at',
      sql<string>`c.status`.as('status'),
      sql<string | null>`c.held_reason`.as('held_reason'),
      'c.flag_count as flag_count',
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
        else 'flagged' end`.as('state'),
    ])
    .where('c.consultation_id', '=', consultationId)
    .where('c.status', '<>', 'deleted')
    .where((eb) =>
      eb.or([
        openCommentAppeal(),
        eb('c.escalated_at', 'is not', null),
        eb('c.status', '=', 'held'),
        eb.and([eb('c.status', 'in', ['visible', 'hidden']), unreviewedFlags()]),
      ]),
    )
    .$if(filter.recommendation !== undefined, (q) =>
      q.where('r.number', '=', filter.recommendation!),
    )
    .$if(!!filter.segment, (q) => q.where('c.author_segment', '=', filter.segment!))
    .$if(!!since.after, (q) => q.where('c.created_at', '>=', since.after!))
    .$if(!!since.before, (q) => q.where('c.created_at', '<', since.before!))
    .$if(!!filter.trigger, (q) =>
      flagReasons.includes(filter.trigger!)
        ? q.where(
            sql<boolean>`exists (select 1 from comment_flags f
              where f.comment_id = c.id and f.reason = ${filter.trigger})`,
          )
        : q.where('c.status', '=', 'held').where('c.held_reason', '=', filter.trigger as never),
    );
  const quotes = db
    .selectFrom('submitted_answers as sa')
    .innerJoin('responses as resp', 'resp.id', 'sa.response_id')
    .innerJoin('recommendations as r', 'r.id', 'sa.recommendation_id')
    .select([
      sql<'comment' | 'quote'>`'quote'`.as('item_type'),
      'sa.response_id as id',
      sql<string | null>`sa.recommendation_id`.as('recommendation_ref'),
      sql<number>`r.number`.as('position'),
      sql<Date>`resp.last_submitted_at`.as('created_at'),
      sql<string>`sa.quote_status`.as('status'),
      sql<string | null>`null`.as('held_reason'),
      sql<number>`0`.as('flag_count'),
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
    .where('sa.consultation_id', '=', consultationId)
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
    .selectFrom(queueItems(db, consultationId, filter).as('items'))
    .selectAll('items')
    .select(keysetTime('items.created_at').as('keyset_at'))
    .$if(filter.state !== 'all', (q) => q.where('items.state', '=', filter.state as QueueState))
    .orderBy('items.created_at', direction)
    .orderBy('items.id', direction)
    .orderBy('items.position', direction)
    .limit(options.limit + 1);
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
export async function countQueue(
  db: Db,
  consultationId: string,
  filter: Omit<QueueFilter, 'state' | 'order'>,
) {
  const rows = await db
    .selectFrom(queueItems(db, consultationId, filter).as('items'))
    .select(['items.state', sql<number>`count(*)::int`.as('n')])
    .groupBy('items.state')
    .execute();
  return new Map(rows.map((r) => [r.state, r.n]));
}

/** The reasons given in reports on these comments, most common first. */
export async function flagReasons(db: Db, commentIds: string[]) {
  if (commentIds.length === 0) return new Map<string, string[]>();
  const rows = await db
    .selectFrom('comment_flags')
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
      'flag_count',
      'author_display_name',
      'author_segment',
      'created_at',
      'edited_at',
      'reviewed_at',
      'escalated_at',
      unreviewedFlagsOf('comments.id', 'comments.reviewed_at').as('needs_look'),
    ])
    .where('id', '=', id)
    .$if(!!options.forUpdate, (q) => q.forUpdate())
    .executeTakeFirst();
}

function unreviewedFlagsOf(idColumn: string, reviewedColumn: string) {
  return sql<boolean>`exists (
    select 1 from comment_flags f
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

export async function lastSeq(db: Db, itemKey: string) {
  const row = await db
    .selectFrom('moderation_decisions')
    .select(sql<number>`coalesce(max(seq), 0)::int`.as('seq'))
    .where('item_key', '=', itemKey)
    .executeTakeFirstOrThrow();
  return row.seq;
}

/** Decisions on one item, oldest first, with who took them. */
export function listDecisions(db: Db, itemKey: string) {
  return db
    .selectFrom('moderation_decisions as d')
    .leftJoin('respondent_profiles as p', 'p.user_id', 'd.decided_by')
    .select([
      'd.id',
      'd.seq',
      'd.action',
      'd.reason',
      'd.note',
      'd.status_before',
      'd.status_after',
      'd.escalated_before',
      'd.escalated_after',
      'd.body_before',
      'd.body_after',
      'd.undoes_id',
      'd.bulk',
      'd.created_at',
      'd.decided_by',
      'p.display_name as decided_by_name',
    ])
    .where('d.item_key', '=', itemKey)
    .orderBy('d.seq')
    .execute();
}

export function listFlags(db: Db, commentId: string) {
  return db
    .selectFrom('comment_flags')
    .select(['id', 'reason', 'note', 'created_at'])
    .where('comment_id', '=', commentId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function recentDecisions(db: Db, consultationId: string, limit: number) {
  return db
    .selectFrom('moderation_decisions as d')
    .leftJoin('respondent_profiles as p', 'p.user_id', 'd.decided_by')
    .innerJoin('recommendations as r', (join) =>
      join.on((eb) =>
        eb.or([
          eb('r.id', '=', eb.ref('d.recommendation_id')),
          eb(
            'r.id',
            '=',
            eb
              .selectFrom('comments')
              .select('recommendation_id')
              .whereRef('comments.id', '=', 'd.comment_id'),
          ),
        ]),
      ),
    )
    .select([
      'd.id',
      'd.item_key',
      'd.item_type',
      'd.action',
      'd.reason',
      'd.bulk',
      'd.created_at',
      'p.display_name as decided_by_name',
      'r.number as recommendation_number',
    ])
    .where('d.consultation_id', '=', consultationId)
    .orderBy('d.created_at', 'desc')
    .orderBy('d.seq', 'desc')
    .limit(limit)
    .execute();
}

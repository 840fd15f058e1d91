import {
  sql,
  type ExpressionBuilder,
  type Kysely,
  type ReferenceExpression,
  type Transaction,
} from 'kysely';
import type { CommentStatus, DB, ReportReason, HeldReason, NewComment } from '#db/schema';
import { COMMENT_EDIT_MINUTES, type CommentSort } from '~/lib/schemas/discussion';
import { keysetTime, pastKeyset, type Keyset } from '../keyset';
import { scoreTone } from '../results/tone';

type Db = Kysely<DB> | Transaction<DB>;
type KeysetColumn = [keyof Keyset, ReferenceExpression<DB, 'comments'>];

const editable = sql<boolean>`comments.created_at > now() - make_interval(mins => ${COMMENT_EDIT_MINUTES})`;

export function findComment(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('comments')
    .select([
      'id',
      'recommendation_id',
      'consultation_id',
      'author_id',
      'thread_id',
      'depth',
      'body',
      'body_html',
      'status',
      'held_reason',
      editable.as('editable'),
    ])
    .where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The author's profile, locked so that one person's posts queue and the duplicate check holds. */
export function lockAuthorProfile(db: Db, userId: string) {
  return db
    .selectFrom('respondent_profiles')
    .select(['display_name', 'segment', 'verified'])
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

// Case and runs of whitespace do not make a repeated comment new.
function normalised(body: string | ReturnType<typeof sql.ref>) {
  return sql<string>`btrim(lower(regexp_replace(${body}, '\\s+', ' ', 'g')))`;
}

/** Whether the author has posted the same text on this consultation in the last 24 hours. */
export async function hasRecentDuplicate(
  db: Db,
  authorId: string,
  consultationId: string,
  body: string,
) {
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('author_id', '=', authorId)
    .where('consultation_id', '=', consultationId)
    .where('created_at', '>', sql<Date>`now() - interval '24 hours'`)
    .where('status', '!=', 'deleted')
    .where(normalised(sql.ref('body')), '=', normalised(body))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The same text by the same author, in the same place (recommendation and parent), posted in
 * the last few minutes: a second click or a second tab, not a new comment.
 */
export async function findRepeatedPost(
  db: Db,
  post: { authorId: string; recommendationId: string; parentId: string | null; body: string },
) {
  let query = db
    .selectFrom('comments')
    .select(['id', 'status', 'held_reason'])
    .where('author_id', '=', post.authorId)
    .where('recommendation_id', '=', post.recommendationId)
    .where('created_at', '>', sql<Date>`now() - interval '10 minutes'`)
    .where('status', '!=', 'deleted')
    .where(normalised(sql.ref('body')), '=', normalised(post.body));
  query = post.parentId
    ? query.where('parent_id', '=', post.parentId)
    : query.where('parent_id', 'is', null);
  return query.orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

export function insertComment(db: Db, values: NewComment) {
  return (
    db
      .insertInto('comments')
      // Scored here so that every way of writing a comment carries its tone into the results.
      .values({ ...values, tone: scoreTone(values.body) })
      .returning(['id', 'status', 'held_reason'])
      .executeTakeFirstOrThrow()
  );
}

export function incrementReplyCount(db: Db, id: string) {
  return db
    .updateTable('comments')
    .set({ reply_count: sql`reply_count + 1` })
    .where('id', '=', id)
    .execute();
}

export function updateBody(
  db: Db,
  id: string,
  values: {
    body: string;
    body_html: string;
    body_html_version: number;
    status: CommentStatus;
    held_reason: HeldReason | null;
  },
) {
  return db
    .updateTable('comments')
    .set({ ...values, tone: scoreTone(values.body), edited_at: sql`now()` })
    .where('id', '=', id)
    .returning(['id', 'status', 'held_reason'])
    .executeTakeFirstOrThrow();
}

export function markDeleted(db: Db, id: string) {
  return db.updateTable('comments').set({ status: 'deleted' }).where('id', '=', id).execute();
}

export function insertVote(db: Db, commentId: string, userId: string) {
  return db
    .insertInto('comment_votes')
    .values({ comment_id: commentId, user_id: userId })
    .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
    .returning('comment_id')
    .executeTakeFirst();
}

export function deleteVote(db: Db, commentId: string, userId: string) {
  return db
    .deleteFrom('comment_votes')
    .where('comment_id', '=', commentId)
    .where('user_id', '=', userId)
    .returning('comment_id')
    .executeTakeFirst();
}

export function addToHelpfulCount(db: Db, id: string, delta: 1 | -1) {
  return db
    .updateTable('comments')
    .set({ helpful_count: sql`helpful_count + ${delta}` })
    .where('id', '=', id)
    .execute();
}

export function insertReport(
  db: Db,
  values: { comment_id: string; user_id: string; reason: ReportReason; note: string | null },
) {
  return db
    .insertInto('comment_reports')
    .values(values)
    .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

/**
 * Counts one more report, hiding a visible comment once `threshold` reports have come in since a
 * moderator last looked at it: a comment a moderator restored is not hidden again by one report.
 */
export function addReport(db: Db, id: string, threshold: number) {
  const reportsSinceReview = sql<number>`(select count(*) from comment_reports f
    where f.comment_id = comments.id
      and f.created_at > coalesce(comments.reviewed_at, '-infinity'::timestamptz))`;
  return db
    .updateTable('comments')
    .set({
      report_count: sql`report_count + 1`,
      status: sql`case when status = 'visible' and ${reportsSinceReview} >= ${threshold}
        then 'hidden' else status end`,
    })
    .where('id', '=', id)
    .returning(['status', 'report_count'])
    .executeTakeFirstOrThrow();
}

/**
 * What a viewer's listing includes: published and hidden comments; a deleted comment or one
 * held for review only while replies hang from it (as a placeholder); and the viewer's own
 * held comments.
 */
function listedFor(viewerId: string | null) {
  return (eb: ExpressionBuilder<DB, 'comments'>) =>
    eb.or([
      eb('comments.status', 'in', ['visible', 'hidden']),
      eb.and([
        eb('comments.status', 'in', ['deleted', 'held']),
        eb('comments.reply_count', '>', 0),
      ]),
      ...(viewerId
        ? [eb.and([eb('comments.status', '=', 'held'), eb('comments.author_id', '=', viewerId)])]
        : []),
    ]);
}

const listedColumns = [
  'comments.id',
  'comments.parent_id',
  'comments.thread_id',
  'comments.author_id',
  'comments.depth',
  'comments.body',
  'comments.body_html',
  'comments.status',
  'comments.held_reason',
  'comments.author_display_name',
  'comments.author_segment',
  'comments.author_verified',
  'comments.helpful_count',
  'comments.created_at',
  'comments.edited_at',
  'comments.reviewed_at',
  'comments.report_count',
] as const;

// A comment hidden along with its author's suspension tells the author so, not "reported".
const hiddenBySuspension = sql<boolean>`case when comments.status = 'hidden' then exists (
  select 1 from suspension_hidden_comments h
  where h.comment_id = comments.id and h.restored_at is null) else false end`;

/** A page of top-level comments in the chosen order, `limit` + 1 rows to tell if more follow. */
export function listTopLevel(
  db: Db,
  options: {
    recommendationId: string;
    viewerId: string | null;
    sort: CommentSort;
    after?: Keyset;
    limit: number;
  },
) {
  const { sort, after } = options;
  let query = db
    .selectFrom('comments')
    .select([
      ...listedColumns,
      editable.as('editable'),
      hiddenBySuspension.as('hidden_by_suspension'),
      keysetTime('comments.created_at').as('keyset_at'),
    ])
    .where('comments.recommendation_id', '=', options.recommendationId)
    .where('comments.parent_id', 'is', null)
    .where(listedFor(options.viewerId))
    .limit(options.limit + 1);
  // Newest and oldest order by time then id; most helpful puts the count first.
  const direction = sort === 'oldest' ? 'asc' : 'desc';
  const at: KeysetColumn = ['at', 'comments.created_at'];
  const id: KeysetColumn = ['id', 'comments.id'];
  const columns: [KeysetColumn, KeysetColumn] | [KeysetColumn, KeysetColumn, KeysetColumn] =
    sort === 'helpful' ? [['count', 'comments.helpful_count'], at, id] : [at, id];
  for (const [, column] of columns) query = query.orderBy(column, direction);
  if (after) query = query.where((eb) => pastKeyset(eb, direction, after, columns));
  return query.execute();
}

/**
 * The replies of some threads, oldest first: at most `perThread` of each, with how many the
 * viewer could have seen in all.
 */
export function listReplies(
  db: Db,
  options: { threadIds: string[]; viewerId: string | null; perThread: number },
) {
  if (options.threadIds.length === 0) return Promise.resolve([]);
  const ranked = db
    .selectFrom('comments')
    .select([
      ...listedColumns,
      editable.as('editable'),
      hiddenBySuspension.as('hidden_by_suspension'),
      sql<number>`(row_number() over (partition by comments.thread_id
        order by comments.created_at, comments.id))::int`.as('position'),
      sql<number>`(count(*) over (partition by comments.thread_id))::int`.as('thread_total'),
    ])
    .where('comments.thread_id', 'in', options.threadIds)
    .where(listedFor(options.viewerId));
  return db
    .selectFrom(ranked.as('r'))
    .selectAll()
    .where('r.position', '<=', options.perThread)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
}

export function votedBy(db: Db, userId: string, commentIds: string[]) {
  return markedBy(db, 'comment_votes', userId, commentIds);
}

export function reportedBy(db: Db, userId: string, commentIds: string[]) {
  return markedBy(db, 'comment_reports', userId, commentIds);
}

/** Which of these comments the person has voted for, or reported: one row each per person. */
async function markedBy(
  db: Db,
  table: 'comment_votes' | 'comment_reports',
  userId: string,
  commentIds: string[],
) {
  if (commentIds.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom(table)
    .select('comment_id')
    .where('user_id', '=', userId)
    .where('comment_id', 'in', commentIds)
    .execute();
  return new Set(rows.map((r) => r.comment_id));
}

/** Published comments and replies per recommendation, from the partial index. */
export function countVisible(db: Db, consultationId: string, recommendationId?: string) {
  let query = db
    .selectFrom('comments')
    .select(['recommendation_id', sql<number>`count(*)::int`.as('count')])
    .where('consultation_id', '=', consultationId)
    .where('status', '=', 'visible')
    .groupBy('recommendation_id');
  if (recommendationId) query = query.where('recommendation_id', '=', recommendationId);
  return query.execute();
}

export function listRecommendations(db: Db, consultationId: string) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'slug'])
    .where('consultation_id', '=', consultationId)
    .execute();
}

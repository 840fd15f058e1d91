import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB, ModerationAppealsTable } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// Appeals: an author's request to review one decision, open until a moderator decides again.

/** Reports made since a moderator last looked: the ones that led to this decision. */
export async function countUnreviewedReports(db: Db, commentId: string) {
  const row = await db
    .selectFrom('comment_reports as f')
    .innerJoin('comments as c', 'c.id', 'f.comment_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('f.comment_id', '=', commentId)
    .where(sql<boolean>`f.created_at > coalesce(c.reviewed_at, '-infinity'::timestamptz)`)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The open appeal on an item, if any: it puts the item back in the queue. */
export function findOpenAppeal(db: Db, itemKey: string) {
  return db
    .selectFrom('moderation_appeals')
    .select(['id', 'decision_id', 'reason', 'created_at'])
    .where('item_key', '=', itemKey)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
}

/** A decision with what its author's page shows of it, and who the author is. */
export function findDecision(db: Db, decisionId: string) {
  return db
    .selectFrom('moderation_decisions as d')
    .innerJoin('consultations as c', 'c.id', 'd.consultation_id')
    .innerJoin('recommendations as r', (j) =>
      j.on(
        'r.id',
        '=',
        sql<string>`coalesce(d.recommendation_id,
          (select cm.recommendation_id from comments cm where cm.id = d.comment_id))`,
      ),
    )
    .leftJoin('comments as cm', 'cm.id', 'd.comment_id')
    .leftJoin('responses as resp', 'resp.id', 'd.response_id')
    .select([
      'd.id',
      'd.consultation_id',
      'd.item_type',
      'd.item_key',
      'd.comment_id',
      'd.response_id',
      'd.recommendation_id',
      'd.seq',
      'd.action',
      'd.reason',
      'd.created_at',
      'c.slug as consultation_slug',
      'c.title as consultation_title',
      'r.number as recommendation_number',
      'r.title as recommendation_title',
      'r.slug as recommendation_slug',
      sql<string | null>`coalesce(cm.author_id, resp.user_id)`.as('author_id'),
    ])
    .where('d.id', '=', decisionId)
    .executeTakeFirst();
}

/** A decision on the same item taken after this one (by sequence), if any. */
export function findLaterDecision(db: Db, itemKey: string, seq: number) {
  return db
    .selectFrom('moderation_decisions')
    .select('id')
    .where('item_key', '=', itemKey)
    .where('seq', '>', seq)
    .executeTakeFirst();
}

/** The appeal this decision answered, if it was one's review. */
export function findAppealResolvedBy(db: Db, decisionId: string) {
  return db
    .selectFrom('moderation_appeals')
    .select('id')
    .where('resolved_by_decision_id', '=', decisionId)
    .executeTakeFirst();
}

/** The appeal against a decision (at most one), with the status its review left. */
export function findAppealOf(db: Db, decisionId: string) {
  return db
    .selectFrom('moderation_appeals as a')
    .leftJoin('moderation_decisions as r', 'r.id', 'a.resolved_by_decision_id')
    .select([
      'a.id',
      'a.reason',
      'a.created_at',
      'a.resolved_at',
      'r.status_after as outcome_status',
    ])
    .where('a.decision_id', '=', decisionId)
    .executeTakeFirst();
}

/** Locks an item's decisions until the transaction ends. */
export async function lockDecisions(db: Transaction<DB>, itemKey: string) {
  await db
    .selectFrom('moderation_decisions')
    .select('id')
    .where('item_key', '=', itemKey)
    .forUpdate()
    .execute();
}

export function insertAppeal(db: Db, values: Insertable<ModerationAppealsTable>) {
  return db
    .insertInto('moderation_appeals')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function resolveAppeal(db: Db, appealId: string, decisionId: string) {
  await db
    .updateTable('moderation_appeals')
    .set({ resolved_at: sql`now()`, resolved_by_decision_id: decisionId })
    .where('id', '=', appealId)
    .execute();
}

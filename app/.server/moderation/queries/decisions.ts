import { sql, type Insertable, type Kysely, type Transaction, type Updateable } from 'kysely';
import type { DB, ModerationDecisionsTable } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// Decisions are append-only (see the trigger map in ../index.ts): written once, then read.

/** How many decisions an item has had; the next one takes this plus one. */
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

/**
 * `lastSeq` for many items in one query (a queue page), by item key; items never decided on are
 * absent, and count as 0.
 */
export async function lastSeqs(db: Db, itemKeys: string[]) {
  if (itemKeys.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('moderation_decisions')
    .select(['item_key', sql<number>`max(seq)::int`.as('seq')])
    .where('item_key', 'in', itemKeys)
    .groupBy('item_key')
    .execute();
  return new Map(rows.map((r) => [r.item_key, r.seq]));
}

export function insertDecision(db: Db, values: Insertable<ModerationDecisionsTable>) {
  return db
    .insertInto('moderation_decisions')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The latest decision on each reason of a response, by recommendation. */
export function latestQuoteDecisions(db: Db, responseId: string) {
  return db
    .selectFrom('moderation_decisions')
    .select(['recommendation_id', 'status_after', 'escalated_after', 'created_at'])
    .distinctOn('item_key')
    .where('response_id', '=', responseId)
    .orderBy('item_key')
    .orderBy('seq', 'desc')
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

export function updateComment(db: Db, commentId: string, change: Updateable<DB['comments']>) {
  return db.updateTable('comments').set(change).where('id', '=', commentId).execute();
}

/** Sets the moderation columns of one quote (a response's reasons on one recommendation). */
export function updateQuote(
  db: Db,
  responseId: string,
  recommendationId: string,
  change: Updateable<DB['submitted_answers']>,
) {
  return db
    .updateTable('submitted_answers')
    .set(change)
    .where('response_id', '=', responseId)
    .where('recommendation_id', '=', recommendationId)
    .execute();
}

/** Who hears of an escalation: organisers of the consultation or of every one, but not `exceptId`. */
export function listOrganiserIds(db: Db, consultationId: string, exceptId: string) {
  return db
    .selectFrom('role_grants')
    .select('user_id')
    .distinct()
    .where('role', '=', 'organiser')
    .where((eb) =>
      eb.or([eb('consultation_id', '=', consultationId), eb('consultation_id', 'is', null)]),
    )
    .where('user_id', '<>', exceptId)
    .execute();
}

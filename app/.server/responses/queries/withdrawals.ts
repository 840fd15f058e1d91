import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// What a withdrawal reads: the earlier one, and the person's discussion it leaves in place.

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

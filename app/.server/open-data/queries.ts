import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Answers per importance value, recommendation, group and verification: the rollups keep only
 * n, Σx and Σx², so the distribution is counted from the submitted answers they are built from
 * (the same rows: a submitted answer with a group).
 */
export function importanceCounts(db: Db, consultationId: string) {
  return db
    .selectFrom('submitted_answers')
    .select([
      'recommendation_id',
      'segment',
      'verified',
      'importance',
      sql<number>`count(*)::int`.as('answers'),
    ])
    .where('consultation_id', '=', consultationId)
    .where('segment', 'is not', null)
    .where('importance', 'is not', null)
    .groupBy(['recommendation_id', 'segment', 'verified', 'importance'])
    .execute();
}

/** The submitted answers of responses whose authors chose to publish them, oldest first. */
export function publishedAnswers(db: Db, consultationId: string) {
  return db
    .selectFrom('submitted_answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select([
      'r.id as response_id',
      'r.consent',
      'r.display_name',
      'r.organisation',
      'a.segment',
      'a.verified',
      'a.recommendation_id',
      'a.stance',
      'a.importance',
      'a.reasons',
      'a.quote_status',
    ])
    .where('a.consultation_id', '=', consultationId)
    .where('r.status', '=', 'submitted')
    .where('r.consent', 'in', ['named', 'anonymous'])
    .where('a.segment', 'is not', null)
    .orderBy('r.first_submitted_at')
    .orderBy('r.id')
    .execute();
}

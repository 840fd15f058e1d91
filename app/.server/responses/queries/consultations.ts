import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

// The consultation and its recommendations as the questionnaire and its readers see them.

export function findConsultation(db: Db, slug: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'status', 'opens_at', 'closes_at'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** The recommendations a respondent is asked about, by number: placeholders are not. */
export function listOpenRecommendations(db: Db, consultationId: string) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'slug', 'title', 'summary'])
    .where('consultation_id', '=', consultationId)
    .where('state', '=', 'open')
    .orderBy('number')
    .execute();
}

/** Every recommendation, placeholders included, by number: what organisers read answers against. */
export function listRecommendations(db: Db, consultationId: string) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'slug', 'title'])
    .where('consultation_id', '=', consultationId)
    .orderBy('number')
    .execute();
}

export function findRecommendation(db: Db, consultationId: string, slug: string) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'state'])
    .where('consultation_id', '=', consultationId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** The first open recommendation numbered after `afterNumber`, if any. */
export function findOpenRecommendationAfter(db: Db, consultationId: string, afterNumber: number) {
  return db
    .selectFrom('recommendations')
    .select('slug')
    .where('consultation_id', '=', consultationId)
    .where('state', '=', 'open')
    .where('number', '>', afterNumber)
    .orderBy('number')
    .limit(1)
    .executeTakeFirst();
}

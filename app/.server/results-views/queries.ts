import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, ResultsVisibility } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

const columns = [
  'id',
  'slug',
  'title',
  'status',
  'opens_at',
  'closes_at',
  'results_visibility',
] as const;

export function findConsultationBySlug(db: Db, slug: string) {
  return db.selectFrom('consultations').select(columns).where('slug', '=', slug).executeTakeFirst();
}

export function lockConsultation(db: Transaction<DB>, id: string) {
  return db
    .selectFrom('consultations')
    .select(columns)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function updateResultsVisibility(
  db: Transaction<DB>,
  id: string,
  visibility: ResultsVisibility,
) {
  return (
    db
      .updateTable('consultations')
      // Not a content edit: the version (which guards the edit form) stays as it is.
      .set({ results_visibility: visibility, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute()
  );
}

export function listRecommendations(db: Db, consultationId: string) {
  return (
    db
      .selectFrom('recommendations')
      .select(['id', 'number', 'slug', 'title'])
      .where('consultation_id', '=', consultationId)
      // A placeholder takes no answers, so it has no results to show.
      .where('state', '=', 'open')
      .orderBy('number')
      .execute()
  );
}

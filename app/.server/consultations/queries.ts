import { sql, type Kysely, type Transaction } from 'kysely';
import type {
  ConsultationUpdate,
  DB,
  NewConsultation,
  NewRecommendation,
  NewRecommendationChange,
} from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

const consultationColumns = [
  'id',
  'slug',
  'title',
  'summary',
  'body',
  'body_html',
  'run_by',
  'status',
  'opens_at',
  'closes_at',
  'version',
  'created_by',
  'created_at',
  'updated_at',
] as const;

const recommendationColumns = [
  'id',
  'consultation_id',
  'number',
  'slug',
  'title',
  'summary',
  'rationale',
  'version',
  'updated_at',
  'state',
] as const;

export function listConsultations(db: Db, options: { includeDrafts: boolean }) {
  let query = db
    .selectFrom('consultations')
    .select([
      ...consultationColumns,
      (eb) =>
        eb
          .selectFrom('recommendations')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('recommendations.consultation_id', '=', 'consultations.id')
          .as('recommendation_count'),
      (eb) =>
        eb
          .selectFrom('summary_versions')
          .select((v) => v.fn.min('published_at').as('at'))
          .whereRef('summary_versions.consultation_id', '=', 'consultations.id')
          .as('summary_published_at'),
      (eb) =>
        eb
          .selectFrom('summary_versions')
          .select((v) => v.fn.max('published_at').as('at'))
          .whereRef('summary_versions.consultation_id', '=', 'consultations.id')
          .as('summary_latest_at'),
      (eb) =>
        eb
          .selectFrom('summary_versions')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('summary_versions.consultation_id', '=', 'consultations.id')
          .as('summary_versions'),
    ])
    .orderBy(sql`case status when 'open' then 0 when 'draft' then 1 else 2 end`)
    .orderBy('closes_at', 'desc')
    .orderBy('title');
  if (!options.includeDrafts) query = query.where('status', '!=', 'draft');
  return query.execute();
}

/** When a consultation's summary was first and last published, and how many versions it has. */
export function findSummaryDates(db: Db, consultationId: string) {
  return db
    .selectFrom('summary_versions')
    .select((eb) => [
      eb.fn.min('published_at').as('published_at'),
      eb.fn.max('published_at').as('latest_at'),
      sql<number>`count(*)::int`.as('versions'),
    ])
    .where('consultation_id', '=', consultationId)
    .executeTakeFirstOrThrow();
}

export function findConsultationBySlug(db: Db, slug: string) {
  return db
    .selectFrom('consultations')
    .select(consultationColumns)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

export function findConsultationById(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('consultations').select(consultationColumns).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function insertConsultation(db: Db, values: NewConsultation) {
  return db
    .insertInto('consultations')
    .values(values)
    .returning(consultationColumns)
    .executeTakeFirstOrThrow();
}

/** Updates only if the row is still at `version`; returns undefined when someone else won. */
export function updateConsultation(
  db: Db,
  id: string,
  version: number,
  values: ConsultationUpdate,
) {
  return db
    .updateTable('consultations')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(consultationColumns)
    .executeTakeFirst();
}

export function listRecommendations(db: Db, consultationId: string) {
  return db
    .selectFrom('recommendations')
    .select(recommendationColumns)
    .where('consultation_id', '=', consultationId)
    .orderBy('number')
    .execute();
}

export function findRecommendationBySlug(db: Db, consultationId: string, slug: string) {
  return db
    .selectFrom('recommendations')
    .select(recommendationColumns)
    .where('consultation_id', '=', consultationId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** The stored HTML of one rationale: only its public page needs it. */
export async function findRationaleHtml(db: Db, id: string) {
  const row = await db
    .selectFrom('recommendations')
    .select('rationale_html')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.rationale_html ?? null;
}

export async function nextRecommendationNumber(db: Db, consultationId: string) {
  const row = await db
    .selectFrom('recommendations')
    .select(sql<number>`coalesce(max(number), 0)::int + 1`.as('next'))
    .where('consultation_id', '=', consultationId)
    .executeTakeFirstOrThrow();
  return row.next;
}

export function insertRecommendation(db: Db, values: NewRecommendation) {
  return db
    .insertInto('recommendations')
    .values(values)
    .returning(recommendationColumns)
    .executeTakeFirstOrThrow();
}

export function updateRecommendation(
  db: Db,
  id: string,
  version: number,
  values: {
    title: string;
    summary: string;
    rationale: string;
    rationale_html: string;
    rationale_html_version: number;
    state?: 'open';
  },
) {
  return db
    .updateTable('recommendations')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(recommendationColumns)
    .executeTakeFirst();
}

export function setRecommendationNumber(db: Db, id: string, number: number) {
  return db
    .updateTable('recommendations')
    .set({ number, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export function deleteRecommendation(db: Db, id: string) {
  return db.deleteFrom('recommendations').where('id', '=', id).execute();
}

/** Closes the gaps left by a removal so numbers stay 1..n. */
export function renumberAfter(db: Db, consultationId: string, removedNumber: number) {
  return db
    .updateTable('recommendations')
    .set({ number: sql`number - 1` })
    .where('consultation_id', '=', consultationId)
    .where('number', '>', removedNumber)
    .execute();
}

/** Responses submitted at least once: people who were given the recommendations as they stand. */
export async function countReceivedResponses(db: Db, consultationId: string) {
  const row = await db
    .selectFrom('responses')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('consultation_id', '=', consultationId)
    .where('first_submitted_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

export function insertRecommendationChange(db: Db, values: NewRecommendationChange) {
  return db.insertInto('recommendation_changes').values(values).execute();
}

export function listRecommendationChanges(db: Db, recommendationId: string) {
  return db
    .selectFrom('recommendation_changes')
    .select(['id', 'kind', 'old_title', 'new_title', 'old_number', 'new_number', 'created_at'])
    .where('recommendation_id', '=', recommendationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Responses started but never submitted, or with changes not yet resubmitted. */
export async function countUnsubmittedResponses(db: Db, consultationId: string) {
  const row = await db
    .selectFrom('responses')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('consultation_id', '=', consultationId)
    .where((eb) =>
      eb.or([eb('first_submitted_at', 'is', null), eb('has_unsubmitted_changes', '=', true)]),
    )
    .executeTakeFirstOrThrow();
  return row.n;
}

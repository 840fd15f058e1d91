import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { DB, OutcomeStatus, SummaryRecommendationsTable } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export function findConsultation(db: Db, slug: string) {
  return db
    .selectFrom('consultations')
    .select([
      'id',
      'slug',
      'title',
      'run_by',
      'status',
      'opens_at',
      'closes_at',
      'version',
      'results_visibility',
    ])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** The consultation row, locked: publishing, correcting and saving take turns on it. */
export function lockConsultation(db: Transaction<DB>, id: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'run_by', 'status', 'opens_at', 'closes_at', 'version'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export function markPublished(db: Db, id: string) {
  return db
    .updateTable('consultations')
    .set((eb) => ({ status: 'published', version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .execute();
}

/** Recommendations a summary covers: every one that took answers (placeholders did not). */
export function listRecommendations(db: Db, consultationId: string) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'slug', 'title'])
    .where('consultation_id', '=', consultationId)
    .where('state', '=', 'open')
    .orderBy('number')
    .execute();
}

export function findSummary(db: Db, consultationId: string) {
  return db
    .selectFrom('summaries')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .executeTakeFirst();
}

export function insertSummary(
  db: Db,
  values: { consultationId: string; intro: string; introHtml: string; htmlVersion: number },
  userId: string,
) {
  return db
    .insertInto('summaries')
    .values({
      consultation_id: values.consultationId,
      intro: values.intro,
      intro_html: values.introHtml,
      intro_html_version: values.htmlVersion,
      updated_by: userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Lands only on the version the organiser loaded; undefined when someone saved first. */
export function updateSummary(
  db: Db,
  id: string,
  expectedVersion: number,
  values: { intro: string; introHtml: string; htmlVersion: number },
  userId: string,
) {
  return db
    .updateTable('summaries')
    .set((eb) => ({
      intro: values.intro,
      intro_html: values.introHtml,
      intro_html_version: values.htmlVersion,
      version: eb('version', '+', 1),
      updated_by: userId,
      updated_at: new Date(),
    }))
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

export function listParts(db: Db, summaryId: string) {
  return db
    .selectFrom('summary_recommendations')
    .selectAll()
    .where('summary_id', '=', summaryId)
    .execute();
}

export async function upsertPart(db: Db, part: Insertable<SummaryRecommendationsTable>) {
  const { summary_id: _summary, recommendation_id: _recommendation, ...changes } = part;
  await db
    .insertInto('summary_recommendations')
    .values(part)
    .onConflict((oc) =>
      oc.column('recommendation_id').doUpdateSet({ ...changes, updated_at: new Date() }),
    )
    .execute();
}

/** The reasons of one answer, with what decides whether they may be quoted. */
export function findAnswerQuote(db: Db, responseId: string, recommendationId: string) {
  return db
    .selectFrom('submitted_answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select([
      'a.response_id',
      'a.recommendation_id',
      'a.consultation_id',
      'a.reasons',
      'a.stance',
      'a.segment',
      'a.consent',
      'a.quote_status',
      'a.escalated_at',
      'r.status as response_status',
      'r.display_name',
      'r.organisation',
    ])
    .where('a.response_id', '=', responseId)
    .where('a.recommendation_id', '=', recommendationId)
    .executeTakeFirst();
}

export function findCommentQuote(db: Db, commentId: string) {
  return db
    .selectFrom('comments')
    .select([
      'id',
      'consultation_id',
      'recommendation_id',
      'body',
      'status',
      'escalated_at',
      'author_id',
      'author_display_name',
      'author_segment',
    ])
    .where('id', '=', commentId)
    .executeTakeFirst();
}

/** Reasons an organiser may choose to quote on one recommendation, a bounded list. */
export function listAnswerQuoteCandidates(db: Db, recommendationId: string, limit: number) {
  return db
    .selectFrom('submitted_answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select(['a.response_id', 'a.reasons', 'a.stance', 'a.segment', 'a.consent'])
    .select(['r.display_name', 'r.organisation'])
    .where('a.recommendation_id', '=', recommendationId)
    .where('a.quote_status', '=', 'published')
    .where('a.escalated_at', 'is', null)
    .where('a.consent', 'in', ['named', 'anonymous'])
    .where('a.reasons', 'is not', null)
    .where('a.reasons', '<>', '')
    .orderBy('a.submitted_on', 'desc')
    .orderBy('a.response_id')
    .limit(limit)
    .execute();
}

export function listCommentQuoteCandidates(db: Db, recommendationId: string, limit: number) {
  return db
    .selectFrom('comments')
    .select(['id', 'body', 'author_display_name', 'author_segment'])
    .where('recommendation_id', '=', recommendationId)
    .where('status', '=', 'visible')
    .where('escalated_at', 'is', null)
    .where('author_id', 'is not', null)
    .orderBy('helpful_count', 'desc')
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

const VERSION_COLUMNS = [
  'id',
  'consultation_id',
  'number',
  'published_at',
  'published_by',
  'draft_version',
  'change_note',
  'content_hash',
  'licence',
] as const;

export function latestVersion(db: Db, consultationId: string) {
  return db
    .selectFrom('summary_versions')
    .select(VERSION_COLUMNS)
    .where('consultation_id', '=', consultationId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findVersion(db: Db, consultationId: string, number: number | null) {
  return db
    .selectFrom('summary_versions')
    .select([...VERSION_COLUMNS, 'snapshot'])
    .where('consultation_id', '=', consultationId)
    .$if(number !== null, (q) => q.where('number', '=', number!))
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listVersions(db: Db, consultationId: string) {
  return db
    .selectFrom('summary_versions')
    .select(VERSION_COLUMNS)
    .where('consultation_id', '=', consultationId)
    .orderBy('number')
    .execute();
}

export function insertVersion(
  db: Db,
  values: {
    consultationId: string;
    number: number;
    publishedAt: Date;
    publishedBy: string;
    draftVersion: number;
    changeNote: string | null;
    snapshot: string;
    contentHash: string;
    licence: string | null;
  },
) {
  return db
    .insertInto('summary_versions')
    .values({
      consultation_id: values.consultationId,
      number: values.number,
      published_at: values.publishedAt,
      published_by: values.publishedBy,
      draft_version: values.draftVersion,
      change_note: values.changeNote,
      snapshot: values.snapshot,
      content_hash: values.contentHash,
      licence: values.licence,
    })
    .returning(VERSION_COLUMNS)
    .executeTakeFirstOrThrow();
}

export function findRecommendationBySlug(db: Db, consultationId: string, slug: string) {
  return db
    .selectFrom('recommendations')
    .select(['id', 'number', 'slug', 'title'])
    .where('consultation_id', '=', consultationId)
    .where('slug', '=', slug)
    .where('state', '=', 'open')
    .executeTakeFirst();
}

export function insertOutcomeUpdate(
  db: Db,
  values: {
    consultationId: string;
    recommendationId: string;
    happenedOn: string;
    status: OutcomeStatus;
    note: string;
    noteHtml: string;
    htmlVersion: number;
    createdBy: string;
  },
) {
  return db
    .insertInto('outcome_updates')
    .values({
      consultation_id: values.consultationId,
      recommendation_id: values.recommendationId,
      happened_on: values.happenedOn,
      status: values.status,
      note: values.note,
      note_html: values.noteHtml,
      note_html_version: values.htmlVersion,
      created_by: values.createdBy,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** Oldest first: by the day it happened, then by when it was recorded. */
export function listOutcomeUpdates(db: Db, recommendationId: string) {
  return db
    .selectFrom('outcome_updates')
    .select([
      'id',
      sql<string>`to_char(happened_on, 'YYYY-MM-DD')`.as('happened_on'),
      'status',
      'note',
      'note_html',
      'created_at',
    ])
    .where('recommendation_id', '=', recommendationId)
    .orderBy('outcome_updates.happened_on')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function databaseToday(db: Db) {
  return sql<{ today: string }>`select to_char(current_date, 'YYYY-MM-DD') as today`
    .execute(db)
    .then((r) => r.rows[0]!.today);
}

/** Who was told when the summary was first published, as its audit event recorded it. */
export async function findPublicationNotice(db: Db, consultationId: string) {
  const row = await db
    .selectFrom('audit_events')
    .select('after')
    .where('consultation_id', '=', consultationId)
    .where('action', '=', 'summary.published')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const told = (row?.after as { told?: { messages: number; emails: number } } | null)?.told;
  return told ?? null;
}

/** Every outcome update of a consultation, oldest first, with its recommendation's slug. */
export function listConsultationOutcomeUpdates(db: Db, consultationId: string) {
  return db
    .selectFrom('outcome_updates')
    .innerJoin('recommendations', 'recommendations.id', 'outcome_updates.recommendation_id')
    .select([
      'outcome_updates.id',
      'recommendations.slug as recommendation_slug',
      sql<string>`to_char(outcome_updates.happened_on, 'YYYY-MM-DD')`.as('happened_on'),
      'outcome_updates.status',
      'outcome_updates.note',
      'outcome_updates.note_html',
    ])
    .where('outcome_updates.consultation_id', '=', consultationId)
    .orderBy('outcome_updates.happened_on')
    .orderBy('outcome_updates.created_at')
    .orderBy('outcome_updates.id')
    .execute();
}

/** What moderation keeps out of the consultation's quotes and comments, counted for the method. */
export async function countModerated(db: Db, consultationId: string) {
  const reasons = await db
    .selectFrom('submitted_answers')
    .select((eb) => ['quote_status', eb.fn.countAll<string>().as('n')])
    .where('consultation_id', '=', consultationId)
    .where('reasons', 'is not', null)
    .where('consent', 'in', ['named', 'anonymous'])
    .where('quote_status', 'in', ['pending', 'hidden'])
    .groupBy('quote_status')
    .execute();
  const comments = await db
    .selectFrom('comments')
    .select((eb) => ['status', eb.fn.countAll<string>().as('n')])
    .where('consultation_id', '=', consultationId)
    .where('status', 'in', ['held', 'hidden'])
    .groupBy('status')
    .execute();
  const reasonsOf = (status: string) =>
    Number(reasons.find((r) => r.quote_status === status)?.n ?? 0);
  const commentsOf = (status: string) => Number(comments.find((c) => c.status === status)?.n ?? 0);
  return {
    reasonsHeld: reasonsOf('pending'),
    reasonsHidden: reasonsOf('hidden'),
    commentsHeld: commentsOf('held'),
    commentsHidden: commentsOf('hidden'),
  };
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConsultationUpdate, DB } from '#db/schema';
import { renderForStorage } from '../markdown';

type Db = Kysely<DB> | Transaction<DB>;

/** What erasure leaves of a moderation decision's texts; a redaction must keep some text. */
export const ERASED_TEXT = '[Removed with its author’s personal data]';
const ERASED_DECISION_TEXTS = {
  body_before: sql<string | null>`case when action = 'redact' then ${ERASED_TEXT} end`,
  body_after: sql<string | null>`case when action = 'redact' then ${ERASED_TEXT} end`,
  note: null,
};

export const NOTICE_COLUMNS = [
  'privacy_controller',
  'privacy_lawful_basis',
  'privacy_published',
  'privacy_retention_months',
  'privacy_contact_email',
  'deletion_policy',
] as const;

export function findConsultationNotice(db: Db, slug: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'status', 'run_by', 'closes_at', ...NOTICE_COLUMNS])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** The notice's parts with the status, locked so an edit is checked against the saved policy. */
export function lockConsultationNotice(trx: Transaction<DB>, consultationId: string) {
  return trx
    .selectFrom('consultations')
    .select(['status', ...NOTICE_COLUMNS])
    .where('id', '=', consultationId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export function updateConsultationNotice(
  db: Db,
  consultationId: string,
  values: Pick<ConsultationUpdate, (typeof NOTICE_COLUMNS)[number]>,
) {
  return db.updateTable('consultations').set(values).where('id', '=', consultationId).execute();
}

/** The person's responses with each consultation's deletion policy, for the deletion page. */
export function listResponsesWithPolicy(db: Db, userId: string) {
  return db
    .selectFrom('responses')
    .innerJoin('consultations', 'consultations.id', 'responses.consultation_id')
    .select([
      'consultations.slug',
      'consultations.title',
      'consultations.deletion_policy',
      'responses.status',
    ])
    .where('responses.user_id', '=', userId)
    .orderBy('consultations.title')
    .execute();
}

export async function countCommentsAndEndorsementsOf(db: Db, userId: string) {
  const [comments, endorsements] = await Promise.all([
    db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('author_id', '=', userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('endorsements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow(),
  ]);
  // countAll is int8: a string on pg, a number on PGlite.
  return { comments: Number(comments.n), endorsements: Number(endorsements.n) };
}

export async function findPasswordHash(db: Db, userId: string) {
  const user = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirst();
  return user?.password_hash;
}

/** Lets this transaction rewrite the personal parts of the audit log and moderation history. */
export async function allowErasure(trx: Transaction<DB>) {
  await sql`select set_config('app.erasing_personal_data', 'on', true)`.execute(trx);
}

export function lockUser(trx: Transaction<DB>, userId: string) {
  return trx
    .selectFrom('users')
    .select(['id', 'email', 'password_hash'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
}

/** The person's responses with the policy of each consultation, locked for the deletion. */
export function lockResponsesOf(trx: Transaction<DB>, userId: string) {
  return trx
    .selectFrom('responses')
    .innerJoin('consultations', 'consultations.id', 'responses.consultation_id')
    .select([
      'responses.id',
      'responses.status',
      'responses.consultation_id',
      'consultations.deletion_policy',
    ])
    .where('responses.user_id', '=', userId)
    .forUpdate('responses')
    .execute();
}

export async function deleteResponses(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  await db.deleteFrom('responses').where('id', 'in', ids).execute();
}

/**
 * Detaches responses from their author and removes everything in them that could identify
 * someone: name, organisation, region and every written answer (free text can name its
 * writer). Stances, importance, group and dates stay, so the results still count them. Each
 * update goes through the rollup triggers, which subtract what the removed text contributed.
 */
export async function anonymiseResponses(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  await db
    .updateTable('responses')
    .set({
      user_id: null,
      display_name: null,
      organisation: null,
      organisation_stage: null,
      region: null,
      segment_other: null,
      overall_comments: null,
      submitted_overall_comments: null,
      has_unsubmitted_changes: false,
      // Nobody is left to be named.
      consent: sql`case when consent = 'named' then 'anonymous' else consent end`,
    })
    .where('id', 'in', ids)
    .execute();
  await db
    .updateTable('submitted_answers')
    .set({ reasons: null, change_mind: null, tone: null, disagreement: false, phrases: [] })
    .where('response_id', 'in', ids)
    .execute();
  await db
    .updateTable('response_answers')
    .set({ reasons: null, change_mind: null })
    .where('response_id', 'in', ids)
    .execute();
  // Snapshots of each submitted version hold the name and the texts.
  await db.deleteFrom('response_versions').where('response_id', 'in', ids).execute();
  await db
    .updateTable('moderation_decisions')
    .set(ERASED_DECISION_TEXTS)
    .where('response_id', 'in', ids)
    .execute();
}

/** Removes endorsements and keeps the per-segment counts equal to the rows that remain. */
export async function deleteEndorsementsOf(db: Db, userId: string) {
  const removed = await db
    .deleteFrom('endorsements')
    .where('user_id', '=', userId)
    .returning(['recommendation_id', 'segment'])
    .execute();
  for (const e of removed) {
    await db
      .updateTable('endorsement_counts')
      .set({ count: sql`count - 1` })
      .where('recommendation_id', '=', e.recommendation_id)
      .where('segment', '=', e.segment)
      .execute();
  }
  return removed.length;
}

/** Removes helpful votes and reports, taking each off the comment's counter. */
export async function deleteVotesAndReportsOf(db: Db, userId: string) {
  const votes = await db
    .deleteFrom('comment_votes')
    .where('user_id', '=', userId)
    .returning('comment_id')
    .execute();
  for (const v of votes) {
    await db
      .updateTable('comments')
      .set({ helpful_count: sql`greatest(helpful_count - 1, 0)` })
      .where('id', '=', v.comment_id)
      .execute();
  }
  const reports = await db
    .deleteFrom('comment_reports')
    .where('user_id', '=', userId)
    .returning('comment_id')
    .execute();
  for (const r of reports) {
    await db
      .updateTable('comments')
      .set({ report_count: sql`greatest(report_count - 1, 0)` })
      .where('id', '=', r.comment_id)
      .execute();
  }
  return { votes: votes.length, reports: reports.length };
}

export const TOMBSTONE_BODY = 'Comment deleted by its author';
const TOMBSTONE_HTML = renderForStorage('comment', TOMBSTONE_BODY);
export const TOMBSTONE_NAME = 'Deleted account';

/**
 * Turns comments into tombstones: no text, no author. The rows stay so that replies keep their
 * thread; a deleted comment is shown as a placeholder and no longer counted in the results.
 */
export async function tombstoneComments(db: Db, where: { authorId?: string; ids?: string[] }) {
  let query = db
    .updateTable('comments')
    .set({
      status: 'deleted',
      body: TOMBSTONE_BODY,
      body_html: TOMBSTONE_HTML.html,
      body_html_version: TOMBSTONE_HTML.version,
      author_id: null,
      author_display_name: TOMBSTONE_NAME,
      held_reason: null,
      tone: null,
    })
    .returning('id');
  if (where.authorId) query = query.where('author_id', '=', where.authorId);
  if (where.ids) query = query.where('id', 'in', where.ids);
  const rows = await query.execute();
  const ids = rows.map((r) => r.id);
  if (ids.length) {
    await db
      .updateTable('moderation_decisions')
      .set(ERASED_DECISION_TEXTS)
      .where('comment_id', 'in', ids)
      .execute();
  }
  return ids.length;
}

/**
 * Replaces the person's id in the audit log by a pseudonym, and drops the details recorded
 * about them (organisation, role, reasons given about them). What was done, and when, stays.
 */
export async function pseudonymiseAudit(db: Db, userId: string, pseudonym: string) {
  const requests = await db
    .selectFrom('verification_requests')
    .select('id')
    .where('user_id', '=', userId)
    .execute();
  await db
    .updateTable('audit_events')
    .set({ actor_id: pseudonym })
    .where('actor_id', '=', userId)
    .execute();
  // db/schema.ts types before/after as never-updated (the log is append-only); erasure is the
  // one exception the 1100 migration's trigger allows, hence the casts.
  await db
    .updateTable('audit_events')
    .set({ target_id: pseudonym, before: null, after: null, reason: null } as never)
    .where('target_type', '=', 'user')
    .where('target_id', '=', userId)
    .execute();
  if (requests.length) {
    await db
      .updateTable('audit_events')
      .set({ before: null, after: null, reason: null } as never)
      .where('target_type', '=', 'verification_request')
      .where(
        'target_id',
        'in',
        requests.map((r) => r.id),
      )
      .execute();
  }
}

export function deleteUser(db: Db, userId: string) {
  return db.deleteFrom('users').where('id', '=', userId).execute();
}

/**
 * Every email to the person, sent or waiting: the outbox keeps bodies (response copies
 * included), which would otherwise outlive the account. Links and preferences go with the user
 * row (on delete cascade).
 */
export function deleteEmailsOf(db: Db, email: string, userId: string) {
  return db
    .deleteFrom('email_outbox')
    .where((w) => w.or([w('user_id', '=', userId), w('to_address', '=', email)]))
    .execute();
}

/** Counters keyed by the person's email address or account id. */
export function deleteRateLimitsFor(db: Db, email: string, userId: string) {
  return db
    .deleteFrom('rate_limits')
    .where((w) =>
      w.or([
        w('key', 'like', `%:${email.replace(/[\\%_]/g, '\\$&')}`),
        w('key', 'like', `%:${userId}`),
      ]),
    )
    .execute();
}

/** Consultations closed longer than their retention period whose data is not yet purged. */
export function listExpiredConsultations(db: Db, now: Date, defaultMonths: number) {
  return db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'closes_at', 'privacy_retention_months'])
    .where('personal_data_purged_at', 'is', null)
    .where('status', 'in', ['closed', 'analysing', 'published'])
    .where('closes_at', 'is not', null)
    .where(
      sql<boolean>`closes_at + make_interval(months => coalesce(privacy_retention_months, ${defaultMonths}::int)) < ${now}`,
    )
    .orderBy('closes_at')
    .execute();
}

export async function countPersonalData(db: Db, consultationId: string) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('responses')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('consultation_id', '=', consultationId)
        .where((w) => w.or([w('user_id', 'is not', null), w('status', '=', 'draft')]))
        .as('responses'),
      eb
        .selectFrom('comments')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('consultation_id', '=', consultationId)
        .where('author_id', 'is not', null)
        .as('comments'),
      eb
        .selectFrom('endorsements')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('consultation_id', '=', consultationId)
        .as('endorsements'),
    ])
    .executeTakeFirstOrThrow();
  return {
    responses: Number(row.responses ?? 0),
    comments: Number(row.comments ?? 0),
    endorsements: Number(row.endorsements ?? 0),
  };
}

export const FORMER_PARTICIPANT = 'Former participant';

/**
 * At the end of retention, published comments stay as the public record of the discussion but
 * lose their author; comments never published (held or hidden) become tombstones.
 */
export async function detachComments(db: Db, consultationId: string) {
  const unpublished = await db
    .selectFrom('comments')
    .select('id')
    .where('consultation_id', '=', consultationId)
    .where('status', 'in', ['held', 'hidden'])
    .execute();
  if (unpublished.length) await tombstoneComments(db, { ids: unpublished.map((c) => c.id) });
  const detached = await db
    .updateTable('comments')
    .set({ author_id: null, author_display_name: FORMER_PARTICIPANT })
    .where('consultation_id', '=', consultationId)
    .where('author_id', 'is not', null)
    .execute();
  await db
    .updateTable('moderation_decisions')
    .set(ERASED_DECISION_TEXTS)
    .where('consultation_id', '=', consultationId)
    .execute();
  return Number(detached[0]?.numUpdatedRows ?? 0) + unpublished.length;
}

/** Endorsement rows go; the per-segment counts stay as the published tally. */
export async function deleteEndorsementRows(db: Db, consultationId: string) {
  const result = await db
    .deleteFrom('endorsements')
    .where('consultation_id', '=', consultationId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function responsesOf(db: Db, consultationId: string) {
  return db
    .selectFrom('responses')
    .select(['id', 'status'])
    .where('consultation_id', '=', consultationId)
    .where((w) => w.or([w('user_id', 'is not', null), w('status', '=', 'draft')]))
    .forUpdate()
    .execute();
}

export function markPurged(db: Db, consultationId: string, now: Date) {
  return db
    .updateTable('consultations')
    .set({ personal_data_purged_at: now })
    .where('id', '=', consultationId)
    .execute();
}

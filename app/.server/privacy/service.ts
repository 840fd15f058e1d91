import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { DEFAULT_NOTICE, resolveNotice, type PrivacyNotice } from '~/lib/privacy';
import type { DeleteAccountInput, PrivacyNoticeInput } from '~/lib/schemas/privacy';
import { recordAudit } from '../audit';
import { forgetConsultationKeys } from '../idempotency';
import { verifyPassword } from '../auth';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { getEnv } from '../env';
import { DomainError, notFound } from '../errors';
import { hitRateLimit, type RateLimit } from '../rate-limits';
import * as q from './queries';
import { requireOrganiser, requireSignedIn } from '../auth/permissions';

/** The site's operator and contact, from the environment. */
export function getSiteDetails() {
  const env = getEnv();
  return { operator: env.SITE_OPERATOR, contactEmail: env.CONTACT_EMAIL ?? null };
}

/** Anyone may read it: the notice that applies wherever a consultation has not set its own. */
export function getSiteNotice(): PrivacyNotice {
  return resolveNotice(getSiteDetails());
}

/** Anyone may read it: a consultation's notice, its own parts over the site's defaults. */
export async function getConsultationNotice(db: Kysely<DB>, slug: string) {
  const row = await q.findConsultationNotice(db, slug);
  // A draft is not public, and neither is its notice.
  if (!row || row.status === 'draft') throw notFound('consultation');
  return {
    consultation: { slug: row.slug, title: row.title, runBy: row.run_by, closesAt: row.closes_at },
    notice: resolveNotice(getSiteDetails(), row),
    /** Which parts the consultation set itself, so the page can say which are the defaults. */
    ownParts: {
      controller: row.privacy_controller !== null,
      lawfulBasis: row.privacy_lawful_basis !== null,
      published: row.privacy_published !== null,
      retention: row.privacy_retention_months !== null,
      contact: row.privacy_contact_email !== null,
    },
  };
}

async function organisedNotice(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const row = await q.findConsultationNotice(db, slug);
  if (!row) throw notFound('consultation');
  const me = requireOrganiser(
    viewer,
    row.id,
    'Only organisers of this consultation can change its privacy notice.',
  );
  return { me, row };
}

/** Organisers of this consultation: the notice's own parts, for the edit form. */
export async function getNoticeForEditing(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const { row } = await organisedNotice(db, viewer, slug);
  return {
    controller: row.privacy_controller,
    lawfulBasis: row.privacy_lawful_basis,
    published: row.privacy_published,
    retentionMonths: row.privacy_retention_months,
    contactEmail: row.privacy_contact_email,
    deletionPolicy: row.deletion_policy,
    site: getSiteNotice(),
  };
}

/**
 * Organisers of this consultation: sets the notice's own parts (null: the site default). Once
 * it has opened, people responded on the promise that deleting their account erases their
 * response, so an 'erase' policy cannot be weakened to 'anonymise' any more.
 */
export async function updateConsultationNotice(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: PrivacyNoticeInput,
  ctx: RequestContext,
) {
  const { me, row } = await organisedNotice(db, viewer, slug);
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('consultations')
      .select(['status', ...q.NOTICE_COLUMNS])
      .where('id', '=', row.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (
      current.status !== 'draft' &&
      current.deletion_policy === 'erase' &&
      input.deletionPolicy === 'anonymise'
    ) {
      throw new DomainError('invalid', 'Responses were collected on the promise of erasure', {
        fieldErrors: {
          deletionPolicy: [
            'This consultation has opened with responses erased on account deletion, so that cannot change to anonymised',
          ],
        },
      });
    }
    const values = {
      privacy_controller: input.controller,
      privacy_lawful_basis: input.lawfulBasis,
      privacy_published: input.published,
      privacy_retention_months: input.retentionMonths,
      privacy_contact_email: input.contactEmail,
      deletion_policy: input.deletionPolicy,
    };
    const changed = (Object.keys(values) as (keyof typeof values)[]).filter(
      (k) => current[k] !== values[k],
    );
    if (changed.length === 0) return;
    await trx.updateTable('consultations').set(values).where('id', '=', row.id).execute();
    await recordAudit(trx, {
      actorId: me.id,
      action: 'consultation.privacy_notice_changed',
      targetType: 'consultation',
      targetId: row.id,
      consultationId: row.id,
      before: Object.fromEntries(changed.map((k) => [k, current[k]])),
      after: Object.fromEntries(changed.map((k) => [k, values[k]])),
      requestId: ctx.requestId,
    });
  });
}

/**
 * The signed-in person only: everything stored about them, for them to keep. Session ids are
 * hashes of the cookie secret but still identify a live session, so only their expiry is given.
 */
export async function exportMyData(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const userId = me.id;
  const [
    account,
    profile,
    responses,
    comments,
    endorsements,
    votes,
    reports,
    verification,
    suspensions,
    notifications,
    sessions,
    roles,
    emails,
    emailPreferences,
    formKeys,
  ] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'email', 'email_verified_at', 'created_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('respondent_profiles')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    db
      .selectFrom('responses')
      .innerJoin('consultations', 'consultations.id', 'responses.consultation_id')
      .select([
        'responses.id',
        'consultations.slug as consultation_slug',
        'consultations.title as consultation_title',
        'responses.status',
        'responses.reference',
        'responses.consent',
        'responses.current_version',
        'responses.has_unsubmitted_changes',
        'responses.display_name',
        'responses.organisation',
        'responses.segment',
        'responses.segment_other',
        'responses.organisation_stage',
        'responses.region',
        'responses.verified',
        'responses.overall_comments',
        'responses.submitted_overall_comments',
        'responses.first_submitted_at',
        'responses.last_submitted_at',
        'responses.created_at',
        'responses.updated_at',
      ])
      .where('responses.user_id', '=', userId)
      .orderBy('responses.created_at')
      .execute(),
    db
      .selectFrom('comments')
      .innerJoin('recommendations', 'recommendations.id', 'comments.recommendation_id')
      .innerJoin('consultations', 'consultations.id', 'comments.consultation_id')
      .select([
        'comments.id',
        'consultations.slug as consultation_slug',
        'recommendations.slug as recommendation_slug',
        'comments.parent_id',
        'comments.body',
        'comments.status',
        'comments.author_display_name',
        'comments.helpful_count',
        'comments.created_at',
        'comments.edited_at',
      ])
      .where('comments.author_id', '=', userId)
      .orderBy('comments.created_at')
      .execute(),
    db
      .selectFrom('endorsements')
      .innerJoin('recommendations', 'recommendations.id', 'endorsements.recommendation_id')
      .innerJoin('consultations', 'consultations.id', 'endorsements.consultation_id')
      .select([
        'consultations.slug as consultation_slug',
        'recommendations.slug as recommendation_slug',
        'endorsements.on_behalf_of_organisation',
        'endorsements.show_name',
        'endorsements.display_name',
        'endorsements.organisation',
        'endorsements.segment',
        'endorsements.created_at',
      ])
      .where('endorsements.user_id', '=', userId)
      .orderBy('endorsements.created_at')
      .execute(),
    db
      .selectFrom('comment_votes')
      .select(['comment_id', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('comment_flags')
      .select(['comment_id', 'reason', 'note', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('verification_requests')
      .select([
        'id',
        'organisation',
        'role',
        'evidence',
        'evidence_url',
        'status',
        'decided_at',
        'decision_note',
        'created_at',
      ])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('suspensions')
      .select(['reason', 'starts_at', 'ends_at', 'lifted_at', 'lift_reason', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('notifications')
      .select(['kind', 'subject', 'body', 'link', 'created_at', 'read_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('sessions')
      .select(['expires_at'])
      .where('user_id', '=', userId)
      .orderBy('expires_at')
      .execute(),
    db
      .selectFrom('role_grants')
      .leftJoin('consultations', 'consultations.id', 'role_grants.consultation_id')
      .select([
        'role_grants.role',
        'consultations.slug as consultation_slug',
        'role_grants.created_at',
      ])
      .where('role_grants.user_id', '=', userId)
      .execute(),
    // Bodies are left out: a recent one may hold a sign-in link that still works.
    db
      .selectFrom('email_outbox')
      .select(['kind', 'to_address', 'subject', 'created_at', 'sent_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('email_preferences')
      .select(['topic', 'subscribed', 'updated_at'])
      .where('user_id', '=', userId)
      .orderBy('topic')
      .execute(),
    // The forms sent in the last day, kept so that sending one again is not a second action.
    db
      .selectFrom('idempotency_keys')
      .select(['action', 'target_id', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
  ]);
  const responseIds = responses.map((r) => r.id);
  const [answers, submitted, versions] = responseIds.length
    ? await Promise.all([
        db
          .selectFrom('response_answers')
          .innerJoin('recommendations', 'recommendations.id', 'response_answers.recommendation_id')
          .select([
            'response_answers.response_id',
            'recommendations.number as recommendation_number',
            'recommendations.title as recommendation_title',
            'response_answers.stance',
            'response_answers.importance',
            'response_answers.reasons',
            'response_answers.change_mind',
          ])
          .where('response_answers.response_id', 'in', responseIds)
          .orderBy('recommendations.number')
          .execute(),
        db
          .selectFrom('submitted_answers')
          .innerJoin('recommendations', 'recommendations.id', 'submitted_answers.recommendation_id')
          .select([
            'submitted_answers.response_id',
            'recommendations.number as recommendation_number',
            'recommendations.title as recommendation_title',
            'submitted_answers.stance',
            'submitted_answers.importance',
            'submitted_answers.reasons',
            'submitted_answers.change_mind',
            'submitted_answers.quote_status',
          ])
          .where('submitted_answers.response_id', 'in', responseIds)
          .orderBy('recommendations.number')
          .execute(),
        db
          .selectFrom('response_versions')
          .select(['response_id', 'number', 'submitted_at', 'snapshot'])
          .where('response_id', 'in', responseIds)
          .orderBy('number')
          .execute(),
      ])
    : [[], [], []];
  const strip = <T extends { response_id: string }>(rows: T[], id: string) =>
    rows.filter((r) => r.response_id === id).map(({ response_id: _id, ...rest }) => rest);
  return {
    exportedAt: new Date().toISOString(),
    account: { ...account, roles },
    profile: profile ?? null,
    responses: responses.map((r) => ({
      ...r,
      workingAnswers: strip(answers, r.id),
      submittedAnswers: strip(submitted, r.id),
      // Each submitted version is the receipt of what was saved.
      receipts: strip(versions, r.id),
    })),
    comments,
    endorsements,
    helpfulVotes: votes,
    reports,
    verificationRequests: verification,
    suspensions,
    notifications,
    emails,
    emailPreferences,
    sessions,
    formsSentRecently: formKeys,
  };
}

/** The signed-in person only: what deleting their account would do, consultation by consultation. */
export async function describeDeletion(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const [responses, comments, endorsements] = await Promise.all([
    db
      .selectFrom('responses')
      .innerJoin('consultations', 'consultations.id', 'responses.consultation_id')
      .select([
        'consultations.slug',
        'consultations.title',
        'consultations.deletion_policy',
        'responses.status',
      ])
      .where('responses.user_id', '=', me.id)
      .orderBy('consultations.title')
      .execute(),
    db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('author_id', '=', me.id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('endorsements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', me.id)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    responses: responses.map((r) => ({
      slug: r.slug,
      title: r.title,
      // A draft was never counted, so it is always removed.
      outcome: r.status === 'draft' ? ('erase' as const) : r.deletion_policy,
      draft: r.status === 'draft',
    })),
    comments: Number(comments.n),
    endorsements: Number(endorsements.n),
  };
}

export const ACCOUNT_DELETION_FAILURES: RateLimit = {
  name: 'account-deletion-failures',
  limit: 5,
  windowSeconds: 300,
};

export type DeletionSummary = {
  pseudonym: string;
  responsesErased: number;
  responsesAnonymised: number;
  comments: number;
  endorsements: number;
  votes: number;
  reports: number;
};

/**
 * The signed-in person only, with their password: deletes their account in one transaction.
 * Responses are erased or anonymised as each consultation's notice says, endorsements, votes
 * and reports go with their counters, comments become tombstones, the audit log keeps a
 * pseudonym, and the rollups are kept by their triggers in the same transaction.
 */
export async function deleteAccount(
  db: Kysely<DB>,
  viewer: Viewer | null,
  input: DeleteAccountInput,
  ctx: RequestContext,
): Promise<DeletionSummary> {
  const me = requireSignedIn(viewer);
  const user = await db
    .selectFrom('users')
    .select(['password_hash'])
    .where('id', '=', me.id)
    .executeTakeFirst();
  if (!user) throw new DomainError('unauthenticated', 'Sign in to continue.');
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const limit = await hitRateLimit(db, ACCOUNT_DELETION_FAILURES, me.id);
    if (limit.limited) {
      throw new DomainError(
        'rate_limited',
        `Too many wrong passwords. Wait ${limit.retryAfterSeconds} seconds, then try again.`,
        { retryAfterSeconds: limit.retryAfterSeconds },
      );
    }
    throw new DomainError('invalid', 'The password is not right', {
      fieldErrors: { password: ['The password is not right'] },
    });
  }
  const summary = await eraseAccount(db, me.id, ctx);
  if (!summary) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return summary;
}

/**
 * Inside the caller's transaction: deletes responses with their answers and versions (and the
 * moderation history of their quotes). The rollup triggers subtract what each one counted, so
 * the results stay equal to the rows; this is the one way a response is removed.
 */
export async function eraseResponses(trx: Transaction<DB>, ids: string[]) {
  await q.allowErasure(trx);
  await q.deleteResponses(trx, ids);
}

/**
 * Deletes an account and what it owns; null when it was already gone (a second click of the
 * same button waits on the row lock, then finds nothing to do).
 */
export async function eraseAccount(
  db: Kysely<DB>,
  userId: string,
  ctx: RequestContext,
): Promise<DeletionSummary | null> {
  return db.transaction().execute(async (trx) => {
    const user = await q.lockUser(trx, userId);
    if (!user) return null;
    await q.allowErasure(trx);
    const pseudonym = randomUUID();
    const responses = await q.lockResponsesOf(trx, userId);
    const erase = responses
      .filter((r) => r.status === 'draft' || r.deletion_policy === 'erase')
      .map((r) => r.id);
    const anonymise = responses.filter((r) => !erase.includes(r.id)).map((r) => r.id);
    await eraseResponses(trx, erase);
    await q.anonymiseResponses(trx, anonymise);
    // Each consultation's log records that a response it received was withdrawn, and how.
    for (const r of responses.filter((r) => r.status !== 'draft')) {
      await recordAudit(trx, {
        actorId: pseudonym,
        action: 'response.withdrawn',
        targetType: 'response',
        targetId: r.id,
        consultationId: r.consultation_id,
        after: { outcome: erase.includes(r.id) ? 'erased' : 'anonymised' },
        requestId: ctx.requestId,
      });
    }
    const endorsements = await q.deleteEndorsementsOf(trx, userId);
    const { votes, reports } = await q.deleteVotesAndReportsOf(trx, userId);
    const comments = await q.tombstoneComments(trx, { authorId: userId });
    await q.pseudonymiseAudit(trx, userId, pseudonym);
    await q.deleteRateLimitsFor(trx, user.email, userId);
    await q.deleteEmailsOf(trx, user.email, userId);
    await q.deleteUser(trx, userId);
    const summary: DeletionSummary = {
      pseudonym,
      responsesErased: erase.length,
      responsesAnonymised: anonymise.length,
      comments,
      endorsements,
      votes,
      reports,
    };
    const { pseudonym: _p, ...counts } = summary;
    await recordAudit(trx, {
      actorId: pseudonym,
      action: 'account.deleted',
      targetType: 'user',
      targetId: pseudonym,
      after: counts,
      requestId: ctx.requestId,
    });
    return summary;
  });
}

export type RetentionItem = {
  slug: string;
  title: string;
  closesAt: Date;
  retentionMonths: number;
  responses: number;
  comments: number;
  endorsements: number;
};

/**
 * For the operator's retention command: removes the personal data of every consultation closed
 * longer than its retention period (responses anonymised, comments detached from their authors,
 * endorsement rows removed with their tallies kept), one transaction per consultation, and
 * marks it purged. With `dryRun`, only says what it would do.
 */
export async function purgeExpiredPersonalData(
  db: Kysely<DB>,
  options: { now?: Date; dryRun?: boolean } = {},
): Promise<RetentionItem[]> {
  const now = options.now ?? new Date();
  const expired = await q.listExpiredConsultations(db, now, DEFAULT_NOTICE.retentionMonths);
  const items: RetentionItem[] = [];
  for (const c of expired) {
    const item = {
      slug: c.slug,
      title: c.title,
      closesAt: c.closes_at!,
      retentionMonths: c.privacy_retention_months ?? DEFAULT_NOTICE.retentionMonths,
    };
    if (options.dryRun) {
      items.push({ ...item, ...(await q.countPersonalData(db, c.id)) });
      continue;
    }
    const counts = await db.transaction().execute(async (trx) => {
      await q.allowErasure(trx);
      const responses = await q.responsesOf(trx, c.id);
      const drafts = responses.filter((r) => r.status === 'draft').map((r) => r.id);
      const submitted = responses.filter((r) => r.status !== 'draft').map((r) => r.id);
      await eraseResponses(trx, drafts);
      await q.anonymiseResponses(trx, submitted);
      const comments = await q.detachComments(trx, c.id);
      const endorsements = await q.deleteEndorsementRows(trx, c.id);
      await forgetConsultationKeys(trx, c.id);
      await q.markPurged(trx, c.id, now);
      await recordAudit(trx, {
        actorId: null,
        action: 'consultation.personal_data_purged',
        targetType: 'consultation',
        targetId: c.id,
        consultationId: c.id,
        after: { responses: responses.length, comments, endorsements },
      });
      return { responses: responses.length, comments, endorsements };
    });
    items.push({ ...item, ...counts });
  }
  return items;
}

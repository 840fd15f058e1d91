import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConsultationStatus, DB } from '#db/schema';
import { formatUkDateTime } from '~/lib/dates';
import { phaseOf } from '~/lib/phase';
import { tryAgainIn } from '~/lib/wait';
import { type Viewer } from './auth';
import { DomainError, notFound } from './errors';
import { hitRateLimit, type RateLimit } from './rate-limits';
import { isOrganiser } from './auth/permissions';

// Rules shared by the public ways of taking part in a consultation: endorsing and commenting.

type Db = Kysely<DB> | Transaction<DB>;

export async function databaseNow(db: Db) {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
  return rows[0]!.now;
}

export type DiscussionConsultation = {
  id: string;
  slug: string;
  status: ConsultationStatus;
  opens_at: Date | null;
  closes_at: Date | null;
  report_threshold: number;
};

/**
 * A consultation and one of its recommendations, by slug. A draft does not exist for anyone who
 * cannot organise it (and nobody takes part in a draft: pass a null viewer for writes).
 */
export async function findRecommendation(
  db: Db,
  viewer: Viewer | null,
  consultationSlug: string,
  recommendationSlug: string,
) {
  const consultation = await findConsultation(db, viewer, consultationSlug);
  const recommendation = await db
    .selectFrom('recommendations')
    .select(['id', 'slug', 'title', 'state'])
    .where('consultation_id', '=', consultation.id)
    .where('slug', '=', recommendationSlug)
    .executeTakeFirst();
  if (!recommendation) throw notFound('recommendation');
  return { consultation, recommendation };
}

export const PLACEHOLDER_REFUSAL =
  'This recommendation is not yet open for comment: the source does not name this reform. It can be answered, commented on and endorsed once an organiser names it.';

/**
 * A placeholder is listed but takes no answers, comments or endorsements until it is named.
 * A placeholder never goes back to being one, so no lock is needed between check and write.
 */
export function requireOpenForComment(recommendation: { state: 'open' | 'placeholder' }) {
  if (recommendation.state === 'placeholder') throw new DomainError('closed', PLACEHOLDER_REFUSAL);
}

export async function findConsultation(
  db: Db,
  viewer: Viewer | null,
  consultationSlug: string,
): Promise<DiscussionConsultation> {
  const consultation = await db
    .selectFrom('consultations')
    .select(['id', 'slug', 'status', 'opens_at', 'closes_at', 'report_threshold'])
    .where('slug', '=', consultationSlug)
    .executeTakeFirst();
  if (!consultation || (consultation.status === 'draft' && !isOrganiser(viewer, consultation.id))) {
    throw notFound('consultation');
  }
  return consultation;
}

/**
 * Endorsing and commenting are open exactly while responses are: checked inside the writing
 * transaction against the database's clock, whatever the page showed.
 */
export function requireOpen(consultation: DiscussionConsultation, now: Date) {
  const phase = phaseOf(consultation, now);
  if (phase === 'open') return;
  if (phase === 'draft') throw notFound('consultation');
  if (phase === 'upcoming') {
    throw new DomainError(
      'closed',
      `This consultation opens on ${formatUkDateTime(consultation.opens_at!)}. You can endorse and comment from then.`,
    );
  }
  throw new DomainError(
    'closed',
    consultation.closes_at
      ? `This consultation closed on ${formatUkDateTime(consultation.closes_at)}, so endorsements and comments can no longer change.`
      : 'This consultation has closed, so endorsements and comments can no longer change.',
  );
}

/** Counts this request against every rule, and refuses it if any rule is over its limit. */
export async function enforceRateLimits(
  db: Kysely<DB>,
  checks: { rule: RateLimit; subject: string }[],
) {
  let wait = 0;
  for (const { rule, subject } of checks) {
    const state = await hitRateLimit(db, rule, subject);
    // This request is one of the hits: the limit-th request is still allowed.
    if (state.hits > rule.limit) wait = Math.max(wait, state.retryAfterSeconds);
  }
  if (wait > 0) {
    throw new DomainError(
      'rate_limited',
      `You have done that too often in a short time. ${tryAgainIn(wait)}`,
      { retryAfterSeconds: wait },
    );
  }
}

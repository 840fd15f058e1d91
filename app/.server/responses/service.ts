import { randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Consultation, DB, Stance } from '#db/schema';
import { formatUkDateTime } from '~/lib/dates';
import { phaseOf } from '~/lib/phase';
import {
  CONSENT_SHORT,
  IMPORTANCE_LABELS,
  STANCE_LABELS,
  type AnswerInput,
  type FinalStepInput,
  type ProfileStepInput,
  type ResponseFilters,
} from '~/lib/schemas/responses';
import { CONSENT_REQUIRED } from '~/lib/schemas/responses';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, isUniqueViolation, notFound } from '../errors';
import { onceForKey } from '../idempotency';
import { absoluteUrl, queueEmail } from '../mail';
import { holdQuotesForReview, holdUnreviewedQuotes } from '../moderation';
import { PLACEHOLDER_REFUSAL } from '../participation';
import {
  requireMayDraft,
  requireMayTakePart,
  requireOrganiser,
  requireSignedIn,
} from '../auth/permissions';
import { getProfile, updateProfile } from '../profiles';
import { takeToken, type TokenBucket } from '../rate-limits';
import { tryAgainIn } from '~/lib/wait';
import * as q from './queries';
import { type Consent } from '~/lib/enums';
import { decodeKeyset, encodeKeyset } from '../keyset';

type ConsultationRow = Pick<
  Consultation,
  'id' | 'slug' | 'title' | 'status' | 'opens_at' | 'closes_at'
>;

export async function loadConsultation(db: Kysely<DB> | Transaction<DB>, slug: string) {
  const row = await db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'status', 'opens_at', 'closes_at'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!row || row.status === 'draft') throw notFound('consultation');
  return row;
}

/**
 * Responses are accepted only while the consultation is open, whatever the client sends: the
 * check runs inside the writing transaction, against the database's clock.
 */
function requireOpen(consultation: ConsultationRow, now = new Date()) {
  const phase = phaseOf(consultation, now);
  if (phase === 'open') return;
  if (phase === 'upcoming') {
    throw new DomainError(
      'closed',
      `This consultation opens on ${formatUkDateTime(consultation.opens_at!)}. Your answers have not been saved yet.`,
    );
  }
  throw new DomainError(
    'closed',
    consultation.closes_at
      ? `This consultation closed on ${formatUkDateTime(consultation.closes_at)}, so responses can no longer be changed.`
      : 'This consultation has closed, so responses can no longer be changed.',
  );
}

async function databaseNow(db: Kysely<DB> | Transaction<DB>) {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
  return rows[0]!.now;
}

/** The signed-in respondent: their questionnaire for a consultation, with what they have saved. */
export async function getQuestionnaire(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const me = requireSignedIn(viewer);
  const consultation = await loadConsultation(db, slug);
  const recommendations = await db
    .selectFrom('recommendations')
    .select(['id', 'number', 'slug', 'title', 'summary'])
    .where('consultation_id', '=', consultation.id)
    // A placeholder is not asked about: it is neither a step nor "unanswered" on the check page.
    .where('state', '=', 'open')
    .orderBy('number')
    .execute();
  const response = await q.findResponse(db, consultation.id, me.id);
  const answers = response ? await q.listAnswers(db, response.id) : [];
  const byRecommendation = new Map(answers.map((a) => [a.recommendation_id, a]));
  const profile = await getProfile(db, me);
  return {
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      phase: phaseOf(consultation),
      opensAt: consultation.opens_at,
      closesAt: consultation.closes_at,
    },
    profile,
    response: response
      ? {
          status: response.status,
          reference: response.reference,
          version: response.current_version,
          hasUnsubmittedChanges: response.has_unsubmitted_changes,
          overallComments: response.overall_comments,
          // Null until chosen: the form then shows no option selected.
          consent: response.consent,
          lastSubmittedAt: response.last_submitted_at,
          finalStepSaved: response.overall_comments !== null || response.status === 'submitted',
        }
      : null,
    recommendations: recommendations.map((r) => {
      const answer = byRecommendation.get(r.id);
      return {
        ...r,
        answer: answer
          ? {
              stance: answer.stance,
              importance: answer.importance,
              reasons: answer.reasons,
              changeMind: answer.change_mind,
            }
          : null,
      };
    }),
  };
}

/**
 * Records a change to the working copy. A submitted response then has changes that do not count
 * until resubmitted; saving a page unchanged is not a change.
 */
async function touch(trx: Transaction<DB>, responseId: string, changed: boolean) {
  if (!changed) return;
  await trx
    .updateTable('responses')
    .set({
      updated_at: sql`now()`,
      has_unsubmitted_changes: sql`status = 'submitted'`,
    })
    .where('id', '=', responseId)
    .execute();
}

/**
 * The signed-in respondent: saves "About you" and starts a draft response if none exists. The
 * same form sent again (same key) answers as the first did and changes nothing.
 */
export async function saveProfileStep(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: ProfileStepInput,
): Promise<{ next: string }> {
  const me = requireSignedIn(viewer);
  return db.transaction().execute(async (trx) => {
    const consultation = await loadConsultation(trx, slug);
    const write = pageSave(me, input, 'response.profile_saved', consultation.id, consultation.id);
    return onceForKey(trx, write, async () => {
      requireOpen(consultation, await databaseNow(trx));
      await requireMayDraft(trx, me);
      await q.ensureResponse(trx, consultation.id, me.id);
      await updateProfile(trx, me, input);
      return { next: await stepAfter(trx, consultation, null) };
    });
  });
}

/** A questionnaire page's save, told apart from the same page's other saves by its key. */
function pageSave(
  me: Viewer,
  input: { idempotencyKey?: string | undefined },
  action: string,
  targetId: string,
  consultationId: string,
) {
  return { userId: me.id, key: input.idempotencyKey, action, targetId, consultationId };
}

/** The page that follows: the next recommendation by number, then the overall-comments page. */
async function stepAfter(
  trx: Transaction<DB>,
  consultation: ConsultationRow,
  afterNumber: number | null,
) {
  const next = await trx
    .selectFrom('recommendations')
    .select('slug')
    .where('consultation_id', '=', consultation.id)
    .where('state', '=', 'open')
    .where('number', '>', afterNumber ?? 0)
    .orderBy('number')
    .limit(1)
    .executeTakeFirst();
  const base = `/consultations/${consultation.slug}/respond`;
  return next ? `${base}/recommendations/${next.slug}` : `${base}/final`;
}

/**
 * The signed-in respondent: saves their answer to one recommendation into the working copy.
 * Each page writes only its own row, so two tabs on different pages never overwrite each other;
 * on the same page the later save wins. An empty page clears the answer. A retry of a save
 * (same key) answers as the first did and writes nothing, so it cannot undo a later save made
 * in another tab.
 */
export async function saveAnswer(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  recommendationSlug: string,
  input: AnswerInput,
): Promise<{ next: string }> {
  const me = requireSignedIn(viewer);
  return db.transaction().execute(async (trx) => {
    const consultation = await loadConsultation(trx, slug);
    const recommendation = await trx
      .selectFrom('recommendations')
      .select(['id', 'number', 'state'])
      .where('consultation_id', '=', consultation.id)
      .where('slug', '=', recommendationSlug)
      .executeTakeFirst();
    if (!recommendation) throw notFound('recommendation');
    const write = pageSave(me, input, 'response.answer_saved', recommendation.id, consultation.id);
    return onceForKey(trx, write, () => writeAnswer(trx, me, consultation, recommendation, input));
  });
}

async function writeAnswer(
  trx: Transaction<DB>,
  me: Viewer,
  consultation: ConsultationRow,
  recommendation: { id: string; number: number; state: 'open' | 'placeholder' },
  input: AnswerInput,
) {
  requireOpen(consultation, await databaseNow(trx));
  await requireMayDraft(trx, me);
  if (recommendation.state === 'placeholder') {
    throw new DomainError('closed', PLACEHOLDER_REFUSAL);
  }
  const response = await q.ensureResponse(trx, consultation.id, me.id);
  const values = input.stance
    ? {
        stance: input.stance,
        importance: input.importance ?? null,
        reasons: input.reasons,
        change_mind: input.changeMind,
      }
    : null;
  const before = await q.findAnswer(trx, response.id, recommendation.id);
  const changed = before
    ? !values ||
      before.stance !== values.stance ||
      before.importance !== values.importance ||
      before.reasons !== values.reasons ||
      before.change_mind !== values.change_mind
    : values !== null;
  if (values) await q.upsertAnswer(trx, response.id, recommendation.id, values);
  else await q.deleteAnswer(trx, response.id, recommendation.id);
  await touch(trx, response.id, changed);
  return { next: await stepAfter(trx, consultation, recommendation.number) };
}

/**
 * The signed-in respondent: saves overall comments and their publication choice; the same form
 * sent again (same key) changes nothing.
 */
export async function saveFinalStep(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: FinalStepInput,
) {
  const me = requireSignedIn(viewer);
  await db.transaction().execute(async (trx) => {
    const consultation = await loadConsultation(trx, slug);
    const write = pageSave(me, input, 'response.final_saved', consultation.id, consultation.id);
    await onceForKey(trx, write, () => writeFinalStep(trx, me, consultation, input));
  });
}

async function writeFinalStep(
  trx: Transaction<DB>,
  me: Viewer,
  consultation: ConsultationRow,
  input: FinalStepInput,
) {
  requireOpen(consultation, await databaseNow(trx));
  await requireMayDraft(trx, me);
  const response = await q.ensureResponse(trx, consultation.id, me.id);
  const overallComments = input.overallComments ?? '';
  // The publishing choice applies at once; the comments count from the next submission.
  await trx
    .updateTable('responses')
    .set({ overall_comments: overallComments, consent: input.consent })
    .where('id', '=', response.id)
    .execute();
  await touch(trx, response.id, (response.overall_comments ?? '') !== overallComments);
}

// Crockford's base32 without I, L, O, U: easy to read aloud and to type back.
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function newReference() {
  const pick = () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  const part = () => Array.from({ length: 4 }, pick).join('');
  return `${part()}-${part()}`;
}

export type SubmitResult = {
  reference: string;
  version: number;
  replayed: boolean;
  /** Nothing differed from the latest version, so none was stored. */
  unchanged: boolean;
};

/**
 * Resubmits by one account to one consultation: 10 at once, then one every 6 minutes. Each version is kept whole,
 * so an unbounded loop would fill the disk; nobody revising in earnest needs more.
 */
export const RESUBMITS_PER_RESPONSE: TokenBucket = {
  name: 'resubmits-response',
  burst: 10,
  refillEverySeconds: 360,
};

/** The snapshot as it compares: answers in a fixed order, through JSON like the stored one. */
function comparable(snapshot: unknown) {
  const value = JSON.parse(JSON.stringify(snapshot)) as {
    answers?: { recommendationId: string }[];
  };
  value.answers?.sort((a, b) => a.recommendationId.localeCompare(b.recommendationId));
  return value;
}

/**
 * The signed-in respondent: submits (or resubmits) their response. One response per person is
 * kept by a unique constraint; the response row is locked so concurrent submits queue; and the
 * page's idempotency key turns a double click or a replay into the same receipt. Each version
 * is audited in its own transaction; a replay records nothing.
 */
export async function submitResponse(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  submissionKey: string,
  ctx?: RequestContext,
): Promise<SubmitResult> {
  const me = requireSignedIn(viewer);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => submitOnce(trx, me, slug, submissionKey, ctx));
    } catch (error) {
      // A new reference collided with another response's: draw again.
      if (attempt < 3 && isUniqueViolation(error, 'responses_reference_key')) continue;
      throw error;
    }
  }
}

async function submitOnce(
  trx: Transaction<DB>,
  me: Viewer,
  slug: string,
  submissionKey: string,
  ctx: RequestContext | undefined,
): Promise<SubmitResult> {
  const consultation = await loadConsultation(trx, slug);
  const response = await q.findResponse(trx, consultation.id, me.id, { forUpdate: true });
  if (response) {
    const earlier = await q.findVersionByKey(trx, response.id, submissionKey);
    if (earlier) {
      return {
        reference: response.reference!,
        version: earlier.number,
        replayed: true,
        unchanged: false,
      };
    }
  }
  requireOpen(consultation, await databaseNow(trx));
  await requireMayTakePart(trx, me);
  const answers = response ? await q.listAnswers(trx, response.id) : [];
  if (!response || answers.length === 0) {
    throw new DomainError(
      'invalid',
      'Answer at least one recommendation before you submit your response.',
    );
  }
  if (!response.consent) {
    // Consent is an active choice: nothing is pre-selected, so it must have been made.
    throw new DomainError('invalid', CONSENT_REQUIRED, {
      fieldErrors: { consent: [CONSENT_REQUIRED] },
    });
  }
  const profile = await getProfile(trx, me);
  const version = response.current_version + 1;
  const reference = response.reference ?? newReference();
  const snapshot = {
    profile: {
      displayName: profile.display_name,
      organisation: profile.organisation,
      segment: profile.segment,
      segmentOther: profile.segment_other,
      organisationStage: profile.organisation_stage,
      region: profile.region,
      verified: profile.verified,
    },
    consent: response.consent,
    overallComments: response.overall_comments,
    answers: answers.map((a) => ({
      recommendationId: a.recommendation_id,
      stance: a.stance,
      importance: a.importance,
      reasons: a.reasons,
      changeMind: a.change_mind,
    })),
  };
  if (response.status === 'submitted' && response.current_version > 0) {
    const latest = await q.findVersion(trx, response.id, response.current_version);
    if (latest && isDeepStrictEqual(comparable(latest.snapshot), comparable(snapshot))) {
      await q.markSubmittedCopyCurrent(trx, response.id);
      return { reference, version: response.current_version, replayed: false, unchanged: true };
    }
    // Inside the transaction: a submit that fails after this gives its token back.
    const token = await takeToken(trx, RESUBMITS_PER_RESPONSE, `${me.id}:${consultation.id}`);
    if (!token.allowed) {
      throw new DomainError(
        'rate_limited',
        `You have submitted changes to this response many times in a short time. Your changes are kept as a draft. ${tryAgainIn(token.retryAfterSeconds)}`,
        { retryAfterSeconds: token.retryAfterSeconds },
      );
    }
  }
  await trx
    .insertInto('response_versions')
    .values({
      response_id: response.id,
      number: version,
      idempotency_key: submissionKey,
      snapshot: JSON.stringify(snapshot),
    })
    .execute();
  await trx
    .updateTable('responses')
    .set({
      status: 'submitted',
      reference,
      current_version: version,
      has_unsubmitted_changes: false,
      submitted_overall_comments: response.overall_comments,
      segment: profile.segment,
      segment_other: profile.segment_other,
      display_name: profile.display_name,
      organisation: profile.organisation,
      organisation_stage: profile.organisation_stage,
      region: profile.region,
      verified: profile.verified,
      first_submitted_at: sql`coalesce(first_submitted_at, now())`,
      last_submitted_at: sql`now()`,
      updated_at: sql`now()`,
    })
    .where('id', '=', response.id)
    .execute();
  // After the response row, whose segment, verification and first day the answers copy.
  await q.replaceSubmittedAnswers(trx, response.id, consultation.id, answers);
  await holdQuotesForReview(trx, consultation.id, response.id);
  // Ids and counts only: the answers themselves are in the version, where erasure can reach them.
  await recordAudit(trx, {
    actorId: me.id,
    action: version === 1 ? 'response.submitted' : 'response.resubmitted',
    targetType: 'response',
    targetId: response.id,
    consultationId: consultation.id,
    after: { reference, version, answers: answers.length },
    requestId: ctx?.requestId,
  });
  await queueResponseCopy(trx, me.id, consultation, {
    reference,
    version,
    consent: response.consent,
    overallComments: response.overall_comments,
    answers,
  });
  return { reference, version, replayed: false, unchanged: false };
}

/**
 * The respondent's copy of what was saved, with the receipt reference, queued in the submit
 * transaction: the email exists exactly when the submitted version does.
 */
async function queueResponseCopy(
  trx: Transaction<DB>,
  userId: string,
  consultation: ConsultationRow,
  submitted: {
    reference: string;
    version: number;
    consent: Consent;
    overallComments: string | null;
    answers: {
      recommendation_id: string;
      stance: Stance | null;
      importance: number | null;
      reasons: string | null;
      change_mind: string | null;
    }[];
  },
) {
  const recommendations = await trx
    .selectFrom('recommendations')
    .select(['id', 'number', 'title'])
    .where('consultation_id', '=', consultation.id)
    .orderBy('number')
    .execute();
  const byId = new Map(submitted.answers.map((a) => [a.recommendation_id, a]));
  const lines = [
    `Thank you for responding to "${consultation.title}". This is a copy of what we saved.`,
    '',
    `Receipt reference: ${submitted.reference} (version ${submitted.version})`,
    `Publishing: ${CONSENT_SHORT[submitted.consent]}`,
    '',
  ];
  for (const r of recommendations) {
    const a = byId.get(r.id);
    if (!a) continue;
    lines.push(`${r.number}. ${r.title}`);
    if (a.stance) lines.push(`   Your view: ${STANCE_LABELS[a.stance]}`);
    if (a.importance !== null) {
      lines.push(`   Importance: ${IMPORTANCE_LABELS[a.importance] ?? a.importance}`);
    }
    if (a.reasons) lines.push(`   Your reasons: ${a.reasons}`);
    if (a.change_mind) lines.push(`   What would change your mind: ${a.change_mind}`);
    lines.push('');
  }
  if (submitted.overallComments) lines.push('Overall comments:', submitted.overallComments, '');
  lines.push(
    `You can change your response until the consultation closes: ${absoluteUrl(`/consultations/${consultation.slug}/respond/receipt`)}`,
  );
  await queueEmail(trx, {
    userId,
    to: await q.findEmailOf(trx, userId),
    kind: 'response.copy',
    subject: `Your response to ${consultation.title} (${submitted.reference})`,
    text: lines.join('\n'),
  });
}

/** The signed-in respondent: their receipt for a submitted response. */
export async function getReceipt(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const me = requireSignedIn(viewer);
  const consultation = await loadConsultation(db, slug);
  const response = await q.findResponse(db, consultation.id, me.id);
  if (!response || response.status !== 'submitted') throw notFound('response');
  const versions = await q.listVersions(db, response.id);
  return {
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      phase: phaseOf(consultation),
      closesAt: consultation.closes_at,
      summaryPublished: consultation.status === 'published',
    },
    reference: response.reference!,
    version: response.current_version,
    // A submitted response always has a choice (responses_submitted_has_consent).
    consent: response.consent!,
    firstSubmittedAt: response.first_submitted_at!,
    lastSubmittedAt: response.last_submitted_at!,
    hasUnsubmittedChanges: response.has_unsubmitted_changes,
    versions: versions.map((v) => ({ number: v.number, submittedAt: v.submitted_at })),
  };
}

/**
 * The respondent: changes how their submitted response may be published. Allowed after the
 * close too, until the organiser publishes the summary.
 */
export async function changeConsent(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  consent: Consent,
  ctx: RequestContext,
) {
  const me = requireSignedIn(viewer);
  await db.transaction().execute(async (trx) => {
    const consultation = await loadConsultation(trx, slug);
    if (consultation.status === 'published') {
      throw new DomainError(
        'closed',
        'The summary of this consultation has been published, so the publication choice can no longer change.',
      );
    }
    const response = await q.findResponse(trx, consultation.id, me.id, { forUpdate: true });
    if (!response || response.status !== 'submitted') throw notFound('response');
    if (response.consent === consent) return;
    // Withdrawing from publication is always allowed; publishing more needs a right to take part.
    if (consent !== 'private') await requireMayTakePart(trx, me);
    await trx.updateTable('responses').set({ consent }).where('id', '=', response.id).execute();
    if (response.consent === 'private') {
      await holdUnreviewedQuotes(trx, consultation.id, response.id);
    }
    await recordAudit(trx, {
      actorId: me.id,
      action: 'response.consent_changed',
      targetType: 'response',
      targetId: response.id,
      consultationId: consultation.id,
      before: { consent: response.consent },
      after: { consent },
      requestId: ctx.requestId,
    });
  });
}

/** The signed-in person: every response they have started, newest activity first. */
export async function listMyResponses(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const rows = await q.listMyResponses(db, me.id);
  return rows.map((r) => ({
    slug: r.slug,
    title: r.title,
    status: r.status,
    reference: r.reference,
    version: r.current_version,
    hasUnsubmittedChanges: r.has_unsubmitted_changes,
    firstSubmittedAt: r.first_submitted_at,
    lastSubmittedAt: r.last_submitted_at,
    updatedAt: r.updated_at,
    phase: phaseOf({ status: r.consultation_status, opens_at: r.opens_at, closes_at: r.closes_at }),
  }));
}

function requireOrganiserOf(viewer: Viewer | null, consultationId: string) {
  requireOrganiser(
    viewer,
    consultationId,
    'Only organisers of this consultation can read individual responses.',
  );
}

const PAGE_SIZE = 25;

/** Organisers of the consultation: submitted responses, every consent, filtered and paged. */
export async function listResponsesForOrganiser(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  filters: ResponseFilters,
) {
  const consultation = await loadConsultation(db, slug);
  requireOrganiserOf(viewer, consultation.id);
  const recommendations = await db
    .selectFrom('recommendations')
    .select(['id', 'number', 'slug', 'title'])
    .where('consultation_id', '=', consultation.id)
    .orderBy('number')
    .execute();
  const recommendation = filters.recommendation
    ? recommendations.find((r) => r.slug === filters.recommendation)
    : undefined;
  if (filters.recommendation && !recommendation) {
    throw new DomainError('invalid', 'Choose a recommendation from the list.');
  }
  if (filters.stance && !recommendation) {
    throw new DomainError('invalid', 'Choose a recommendation to filter by view.');
  }
  const rows = await q.listSubmittedResponses(db, consultation.id, {
    segment: filters.segment,
    recommendationId: recommendation?.id,
    stance: filters.stance,
    after: decodeKeyset(filters.after),
    limit: PAGE_SIZE,
  });
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    consultation: { slug: consultation.slug, title: consultation.title },
    recommendations,
    responses: page.map((r) => ({
      reference: r.reference!,
      displayName: r.display_name,
      organisation: r.organisation,
      segment: r.segment!,
      segmentOther: r.segment_other,
      consent: r.consent!,
      version: r.current_version,
      lastSubmittedAt: r.last_submitted_at!,
    })),
    nextCursor:
      rows.length > PAGE_SIZE && last ? encodeKeyset({ at: last.keyset_at, id: last.id }) : null,
  };
}

/** Organisers of the consultation: one submitted response in full, with its version history. */
export async function getResponseForOrganiser(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  reference: string,
) {
  const consultation = await loadConsultation(db, slug);
  requireOrganiserOf(viewer, consultation.id);
  const response = await q.findResponseByReference(db, consultation.id, reference);
  if (!response || response.status !== 'submitted') throw notFound('response');
  const recommendations = await db
    .selectFrom('recommendations')
    .select(['id', 'number', 'slug', 'title'])
    .where('consultation_id', '=', consultation.id)
    .orderBy('number')
    .execute();
  const answers = new Map(
    (await q.listSubmittedAnswers(db, response.id)).map((a) => [a.recommendation_id, a]),
  );
  const versions = await q.listVersions(db, response.id);
  // The badge follows the person's verification today; `verified` stays the snapshot taken at
  // submission, which the results by segment use.
  const current = await db
    .selectFrom('responses')
    .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'responses.user_id')
    .select('respondent_profiles.verified')
    .where('responses.id', '=', response.id)
    .executeTakeFirst();
  return {
    consultation: { slug: consultation.slug, title: consultation.title },
    response: {
      reference: response.reference!,
      displayName: response.display_name,
      organisation: response.organisation,
      segment: response.segment!,
      segmentOther: response.segment_other,
      organisationStage: response.organisation_stage,
      region: response.region,
      verified: response.verified,
      verifiedNow: current?.verified ?? false,
      consent: response.consent!,
      version: response.current_version,
      firstSubmittedAt: response.first_submitted_at!,
      lastSubmittedAt: response.last_submitted_at!,
      overallComments: response.submitted_overall_comments,
    },
    answers: recommendations.map((r) => {
      const a = answers.get(r.id);
      return {
        number: r.number,
        title: r.title,
        stance: a?.stance ?? null,
        importance: a?.importance ?? null,
        reasons: a?.reasons ?? null,
        changeMind: a?.change_mind ?? null,
      };
    }),
    versions: versions.map((v) => ({ number: v.number, submittedAt: v.submitted_at })),
  };
}

import { isDeepStrictEqual } from 'node:util';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { CONSENT_REQUIRED } from '~/lib/schemas/responses';
import { tryAgainIn } from '~/lib/wait';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import { requireMayTakePart, requireSignedIn } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError, isUniqueViolation } from '../errors';
import { holdQuotesForReview } from '../moderation';
import { databaseNow } from '../participation';
import { getProfile } from '../profiles';
import { takeToken, type TokenBucket } from '../rate-limits';
import * as q from './queries';
import { loadConsultation, requireOpen } from './questionnaire';
import { queueResponseCopy } from './response-copy';
import { comparableSnapshot, profileSnapshot, readSnapshot, type Snapshot } from './snapshot';
import { writeSubmittedResponse } from './submitted';

// Submitting the working copy: a new version, the counted answers, the receipt and its email.

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
      // Another submit took the same new reference between the check and the write: draw again.
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
  const snapshot: Snapshot = {
    profile: profileSnapshot(profile),
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
    if (
      latest &&
      isDeepStrictEqual(
        comparableSnapshot(readSnapshot(latest.snapshot)),
        comparableSnapshot(snapshot),
      )
    ) {
      await q.markSubmittedCopyCurrent(trx, response.id);
      return {
        reference: response.reference!,
        version: response.current_version,
        replayed: false,
        unchanged: true,
      };
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
  const { reference, version } = await writeSubmittedResponse(trx, {
    consultationId: consultation.id,
    userId: me.id,
    snapshot,
    existing: {
      id: response.id,
      reference: response.reference,
      currentVersion: response.current_version,
    },
    idempotencyKey: submissionKey,
  });
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

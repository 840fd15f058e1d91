import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { type Consent } from '~/lib/enums';
import { phaseOf } from '~/lib/phase';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import { requireMayTakePart, requireSignedIn } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError, notFound } from '../errors';
import { holdUnreviewedQuotes } from '../moderation';
import * as q from './queries';
import { loadConsultation } from './questionnaire';

// The receipt of a submitted response, and the one thing still changeable from it.

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
        'The summary of this consultation has been published, so the publishing choice can no longer change.',
      );
    }
    const response = await q.findResponse(trx, consultation.id, me.id, { forUpdate: true });
    if (!response || response.status !== 'submitted') throw notFound('response');
    if (response.consent === consent) return;
    // Withdrawing from publication is always allowed; publishing more needs a right to take part.
    if (consent !== 'private') await requireMayTakePart(trx, me);
    await q.setConsent(trx, response.id, consent);
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

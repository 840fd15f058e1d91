import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import type { ConsultationStatusInput } from '~/lib/schemas/consultations';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import { requireOrganisedConsultation } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError, conflict, notFound } from '../errors';
import { STALE_EDIT, loadOrganised, presentConsultation } from './consultation-view';
import * as q from './queries';

/** Organisers of this consultation: what closing it now would do, for the confirmation page. */
export async function getClosingSummary(db: Kysely<DB>, slug: string, viewer: Viewer | null) {
  const row = await loadOrganised(db, slug, viewer);
  const phase = phaseOf(row);
  return {
    consultation: presentConsultation(row),
    canClose: phase === 'open' || phase === 'upcoming',
    receivedResponses: await q.countReceivedResponses(db, row.id),
    unsubmittedResponses: await q.countUnsubmittedResponses(db, row.id),
  };
}

const AUDIT_ACTIONS = {
  open: 'consultation.opened',
  close: 'consultation.closed',
  analyse: 'consultation.analysis_started',
} as const;

/**
 * Organisers of this consultation: opens it for responses, closes it, or starts analysing the
 * responses of a closed one (closed → analysing; publishing the summary then makes it
 * 'published', see `summaries`). Asking for the state it is already in changes nothing, so a
 * double click is harmless.
 */
export async function changeConsultationStatus(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: ConsultationStatusInput,
  ctx: RequestContext,
) {
  const { id: consultationId } = await requireOrganisedConsultation(db, viewer, slug);
  return db.transaction().execute(async (trx) => {
    const current = await q.findConsultationById(trx, consultationId, { forUpdate: true });
    if (!current) throw notFound('consultation');
    const now = new Date();
    const phase = phaseOf(current, now);

    if (input.intent === 'open') {
      if (current.status === 'open' && phase !== 'closed') return presentConsultation(current);
      if (current.status === 'published') {
        throw new DomainError(
          'invalid',
          'A consultation whose summary is published cannot reopen.',
        );
      }
      if (current.status === 'analysing') {
        throw new DomainError(
          'invalid',
          'A consultation whose responses are being analysed cannot reopen: what respondents answered is settled.',
        );
      }
      if (!current.closes_at || current.closes_at <= now) {
        throw new DomainError('invalid', 'Set a closing date in the future before opening.', {
          fieldErrors: { closesAt: ['Enter a closing date in the future'] },
        });
      }
      const count = (await q.listRecommendations(trx, consultationId)).length;
      if (count === 0) {
        throw new DomainError('invalid', 'Add at least one recommendation before opening.');
      }
    } else if (input.intent === 'analyse') {
      if (current.status === 'analysing') return presentConsultation(current);
      if (current.status === 'published') {
        throw new DomainError(
          'invalid',
          'The summary of this consultation is published; correct it rather than analyse again.',
        );
      }
      if (phase !== 'closed') {
        throw new DomainError(
          'invalid',
          'Close the consultation before analysing its responses: people can still respond.',
        );
      }
    } else {
      if (phase === 'closed' || phase === 'analysing' || phase === 'published') {
        return presentConsultation(current);
      }
      if (current.status === 'draft') {
        throw new DomainError('invalid', 'A draft has not opened, so it cannot close.');
      }
    }
    if (current.version !== input.version) throw conflict(STALE_EDIT);

    const values =
      input.intent === 'open'
        ? { status: 'open' as const }
        : input.intent === 'analyse'
          ? { status: 'analysing' as const }
          : {
              status: 'closed' as const,
              // Record when it actually closed, so the public page does not promise later dates.
              closes_at: current.closes_at && current.closes_at < now ? current.closes_at : now,
            };
    const row = await q.updateConsultation(trx, consultationId, current.version, values);
    if (!row) throw conflict(STALE_EDIT);
    await recordAudit(trx, {
      actorId: viewer!.id,
      action: AUDIT_ACTIONS[input.intent],
      targetType: 'consultation',
      targetId: consultationId,
      consultationId,
      before: { status: current.status },
      after: { status: row.status, closes_at: row.closes_at },
      requestId: ctx.requestId,
    });
    return presentConsultation(row);
  });
}

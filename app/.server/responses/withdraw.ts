import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { formatUkDateTime } from '~/lib/dates';
import { phaseOf } from '~/lib/phase';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, notFound } from '../errors';
import { onceForKey } from '../idempotency';
import { absoluteUrl, queueEmail } from '../mail';
import { databaseNow } from '../participation';
import { requireMayDraft, requireSignedIn } from '../auth/permissions';
import { eraseResponses, getConsultationNotice } from '../privacy';
import * as q from './queries';
import { loadConsultation, type ConsultationRow } from './questionnaire';

export type WithdrawalOutcome = { outcome: 'withdrawn' | 'already_withdrawn'; reference: string };

/**
 * After the close the response is part of the record the organisers report on: the person can
 * still delete their account (which applies the consultation's deletion policy) or ask the
 * organisers, but not withdraw it themselves.
 */
function closedMessage(consultation: ConsultationRow) {
  const when = consultation.closes_at
    ? `closed on ${formatUkDateTime(consultation.closes_at)}`
    : 'has closed';
  return `This consultation ${when}, so your response can no longer be withdrawn. You can delete your account, which removes or anonymises your responses as each consultation's privacy notice says, or contact the organisers.`;
}

function requireOpenForWithdrawal(consultation: ConsultationRow, now: Date) {
  const phase = phaseOf(consultation, now);
  if (phase === 'open') return;
  throw new DomainError('closed', closedMessage(consultation), {
    link: { href: `/consultations/${consultation.slug}/privacy`, text: 'How to contact them' },
  });
}

/** The signed-in respondent: what withdrawing their submitted response would do. */
export async function getWithdrawal(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const me = requireSignedIn(viewer);
  const consultation = await loadConsultation(db, slug);
  const response = await q.findResponse(db, consultation.id, me.id);
  const submitted = response?.status === 'submitted' ? response : null;
  const [discussion, notice, earlier] = await Promise.all([
    q.listOwnDiscussion(db, consultation.id, me.id),
    getConsultationNotice(db, slug),
    submitted ? null : q.findWithdrawal(db, consultation.id, me.id),
  ]);
  const phase = phaseOf(consultation);
  return {
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      phase,
      closesAt: consultation.closes_at,
    },
    response: submitted
      ? { reference: submitted.reference!, version: submitted.current_version }
      : null,
    withdrawnAt: earlier?.occurred_at ?? null,
    closedMessage: phase === 'open' ? null : closedMessage(consultation),
    contactEmail: notice.notice.contactEmail,
    discussion: discussion
      .map((r) => ({
        slug: r.slug,
        number: r.number,
        title: r.title,
        comments: r.comments ?? 0,
        endorsements: r.endorsements ?? 0,
      }))
      .filter((r) => r.comments > 0 || r.endorsements > 0),
  };
}

/**
 * The author only, while the consultation is open: withdraws their submitted response. In one
 * transaction the response, its answers and versions are deleted (the rollups follow through
 * the same path as account deletion), one `response.withdrawn` audit event is written and the
 * confirmation email is queued. The same form sent twice answers as the first did; another tab
 * that finds it gone already gets `already_withdrawn`, not an error.
 */
export async function withdrawResponse(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  withdrawalKey: string,
  ctx: RequestContext,
): Promise<WithdrawalOutcome> {
  const me = requireSignedIn(viewer);
  return db.transaction().execute(async (trx) => {
    const consultation = await loadConsultation(trx, slug);
    const write = {
      userId: me.id,
      key: withdrawalKey,
      action: 'response.withdrawn',
      targetId: consultation.id,
      consultationId: consultation.id,
    };
    return onceForKey(trx, write, () => withdrawOnce(trx, me, consultation, ctx));
  });
}

async function withdrawOnce(
  trx: Transaction<DB>,
  me: Viewer,
  consultation: ConsultationRow,
  ctx: RequestContext,
): Promise<WithdrawalOutcome> {
  // The row lock makes a second tab wait for the first withdrawal, then find it gone.
  const response = await q.findResponse(trx, consultation.id, me.id, { forUpdate: true });
  if (!response || response.status !== 'submitted') {
    const earlier = await q.findWithdrawal(trx, consultation.id, me.id);
    const reference = (earlier?.after as { reference?: unknown } | null)?.reference;
    if (typeof reference === 'string') return { outcome: 'already_withdrawn', reference };
    throw notFound('response');
  }
  requireOpenForWithdrawal(consultation, await databaseNow(trx));
  await requireMayDraft(trx, me);
  const reference = response.reference!;
  await eraseResponses(trx, [response.id]);
  // The reference only: the answers are gone, and the log must not keep them.
  await recordAudit(trx, {
    actorId: me.id,
    action: 'response.withdrawn',
    targetType: 'response',
    targetId: response.id,
    consultationId: consultation.id,
    after: { outcome: 'withdrawn', reference },
    requestId: ctx.requestId,
  });
  await queueWithdrawalConfirmation(trx, me.id, consultation, reference);
  return { outcome: 'withdrawn', reference };
}

/** Sent in the withdrawing transaction, as the copy of a response is sent in the submitting one. */
async function queueWithdrawalConfirmation(
  trx: Transaction<DB>,
  userId: string,
  consultation: ConsultationRow,
  reference: string,
) {
  const lines = [
    `You withdrew your response to "${consultation.title}" (reference ${reference}).`,
    '',
    'Your answers have been deleted and no longer count in the results.',
    'Your comments and endorsements are separate and have not changed; you can remove them on each recommendation’s page.',
    '',
    consultation.closes_at
      ? `You can respond again until ${formatUkDateTime(consultation.closes_at)}: ${absoluteUrl(`/consultations/${consultation.slug}/respond`)}`
      : `You can respond again while the consultation is open: ${absoluteUrl(`/consultations/${consultation.slug}/respond`)}`,
  ];
  await queueEmail(trx, {
    userId,
    to: await q.findEmailOf(trx, userId),
    kind: 'response.withdrawn',
    subject: `Your response to ${consultation.title} has been withdrawn (${reference})`,
    text: lines.join('\n'),
  });
}

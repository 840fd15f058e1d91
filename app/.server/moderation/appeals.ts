import type { Kysely, Transaction } from 'kysely';
import type { DB, HideReason, ModerationAction, ModerationItemType } from '#db/schema';
import { HIDE_REASON_LABELS, type AppealInput } from '~/lib/schemas/moderation';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, conflict, isUniqueViolation, notFound } from '../errors';
import { isUuid } from '../keyset';
import { notify } from '../notifications';
import { requireSignedIn } from '../auth/permissions';
import * as q from './queries';

type Db = Kysely<DB> | Transaction<DB>;

// Appeals live apart from decisions.ts, which holds the decisions themselves: an author asks for a
// review of one decision, once; the item goes back to the queue marked "Appeal" until a moderator
// decides on it again, and that decision closes the appeal and is told to the author.

/** Decisions an author may ask to have reviewed: the ones that took their words away. */
const APPEALABLE: ReadonlySet<ModerationAction> = new Set(['hide', 'redact']);

/** "because it is spam or advertising", from the reason's label. */
export function becauseOf(reason: HideReason | null) {
  if (!reason) return '';
  const label = HIDE_REASON_LABELS[reason];
  return ` because ${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}

async function loadDecision(db: Db, decisionId: string) {
  if (!isUuid(decisionId)) throw notFound('decision');
  return q.findDecision(db, decisionId);
}

type DecisionRow = NonNullable<Awaited<ReturnType<typeof loadDecision>>>;

/** Why this decision cannot be appealed now, or null if it can. */
async function whyNotAppealable(db: Db, d: DecisionRow): Promise<string | null> {
  if (!APPEALABLE.has(d.action))
    return 'Only a decision to hide or edit your words can be reviewed.';
  const later = await q.findLaterDecision(db, d.item_key, d.seq);
  if (later) {
    return 'A moderator has made a later decision on this, so this one can no longer be reviewed. Your messages say what they decided.';
  }
  const answersAppeal = await q.findAppealResolvedBy(db, d.id);
  if (answersAppeal) {
    return 'This decision was the review you asked for, so it cannot be reviewed again.';
  }
  if (d.item_type === 'comment') {
    // Always set on a comment's decision (a CHECK constraint says so); the type cannot.
    const c = d.comment_id ? await q.findCommentStatus(db, d.comment_id) : undefined;
    if (!c || c.status === 'deleted')
      return 'You deleted this comment, so there is nothing to review.';
  }
  return null;
}

function what(type: ModerationItemType) {
  return type === 'comment' ? 'your comment' : 'the reasons you gave';
}

function linkOf(d: DecisionRow) {
  return d.item_type === 'comment'
    ? `/consultations/${d.consultation_slug}/recommendations/${d.recommendation_slug}#comment-${d.comment_id}`
    : '/account/responses';
}

/** The author of the item: a decision, whether it may be appealed, and any appeal made. */
export async function getAppeal(db: Kysely<DB>, viewer: Viewer | null, decisionId: string) {
  const me = requireSignedIn(viewer);
  const d = await loadDecision(db, decisionId);
  // Someone else's decision does not exist for this person.
  if (!d || d.author_id !== me.id) throw notFound('decision');
  const appeal = await q.findAppealOf(db, d.id);
  return {
    decision: {
      id: d.id,
      itemType: d.item_type,
      action: d.action,
      reason: d.reason ? HIDE_REASON_LABELS[d.reason] : null,
      decidedAt: d.created_at,
      consultationTitle: d.consultation_title,
      recommendation: { number: d.recommendation_number, title: d.recommendation_title },
      link: linkOf(d),
    },
    appeal: appeal
      ? {
          reason: appeal.reason,
          createdAt: appeal.created_at,
          resolvedAt: appeal.resolved_at,
          outcomeStatus: appeal.outcome_status,
        }
      : null,
    refusal: appeal ? null : await whyNotAppealable(db, d),
  };
}

export const ALREADY_APPEALED = 'You have already asked for a review of this decision.';

/**
 * The author of the item, once per decision: asks for a moderator's decision to be reviewed. The
 * item goes back to the moderation queue marked "Appeal"; the request is audited.
 */
export async function requestAppeal(
  db: Kysely<DB>,
  viewer: Viewer | null,
  decisionId: string,
  input: AppealInput,
  ctx: RequestContext,
) {
  const me = requireSignedIn(viewer);
  try {
    await db.transaction().execute(async (trx) => {
      const d = await loadDecision(trx, decisionId);
      if (!d || d.author_id !== me.id) throw notFound('decision');
      // Locks the item's decisions, so a moderator deciding at the same moment is seen.
      await q.lockDecisions(trx, d.item_key);
      const existing = await q.findAppealOf(trx, d.id);
      if (existing) throw conflict(ALREADY_APPEALED);
      const refusal = await whyNotAppealable(trx, d);
      if (refusal) throw new DomainError('invalid', refusal);
      const appeal = await q.insertAppeal(trx, {
        consultation_id: d.consultation_id,
        decision_id: d.id,
        item_type: d.item_type,
        item_key: d.item_key,
        comment_id: d.comment_id,
        response_id: d.response_id,
        recommendation_id: d.recommendation_id,
        author_id: me.id,
        reason: input.reason,
      });
      await recordAudit(trx, {
        actorId: me.id,
        action: 'moderation.appeal_requested',
        targetType: d.item_type,
        targetId: d.item_key,
        consultationId: d.consultation_id,
        reason: input.reason,
        after: { appeal: appeal.id, decision: d.id },
        requestId: ctx.requestId,
      });
    });
  } catch (error) {
    // Two requests at once (a double click, a second tab): the unique decision_id decides.
    if (isUniqueViolation(error, 'moderation_appeals_decision_id_key')) {
      throw conflict(ALREADY_APPEALED);
    }
    throw error;
  }
}

/**
 * Called by a moderator's decision on an item, in its transaction: closes the item's open appeal
 * (if any), audits it and tells the author the outcome. Escalating leaves the appeal open, as
 * nothing is decided yet. Returns whether an appeal was closed, so the usual message is not sent
 * twice.
 */
export async function resolveOpenAppeal(
  trx: Transaction<DB>,
  item: {
    ref: string;
    type: ModerationItemType;
    authorId: string | null;
    recommendationId: string;
  },
  decision: {
    id: string;
    action: ModerationAction;
    statusAfter: string;
    reason: HideReason | null;
    note: string | null;
  },
  consultation: { id: string; slug: string },
  actorId: string,
  requestId: string,
): Promise<boolean> {
  if (decision.action === 'escalate') return false;
  const open = await q.findOpenAppeal(trx, item.ref);
  if (!open) return false;
  await q.resolveAppeal(trx, open.id, decision.id);
  await recordAudit(trx, {
    actorId,
    action: 'moderation.appeal_decided',
    targetType: item.type,
    targetId: item.ref,
    consultationId: consultation.id,
    after: { appeal: open.id, decision: decision.id, status: decision.statusAfter },
    requestId,
  });
  // The author may have deleted their account since asking: the appeal closes, no one to tell.
  if (!item.authorId) return true;
  const rec = await q.findRecommendation(trx, item.recommendationId);
  const where = `recommendation ${rec.number}, “${rec.title}”`;
  const hidden = decision.statusAfter === 'hidden';
  const outcome = hidden
    ? `kept it hidden${becauseOf(decision.reason)}`
    : decision.action === 'redact'
      ? `edited it${becauseOf(decision.reason)}`
      : item.type === 'comment'
        ? 'made it visible'
        : 'allowed it to be quoted, as your publishing choice allows';
  const subject = `The review you asked for on ${where}: ${hidden ? 'still hidden' : 'decided'}`;
  await notify(trx, {
    userId: item.authorId,
    kind: `moderation.${item.type}.appeal_decided`,
    subject: subject.length > 200 ? `${subject.slice(0, 199)}…` : subject,
    body:
      `A moderator reviewed ${what(item.type)} on ${where} again, as you asked, and ${outcome}. This was the review of that decision, so it is final.` +
      (decision.note ? `\n\nNote from the moderator: ${decision.note}` : ''),
    link:
      item.type === 'comment'
        ? `/consultations/${consultation.slug}/recommendations/${rec.slug}#comment-${item.ref.slice(2)}`
        : '/account/responses',
  });
  return true;
}

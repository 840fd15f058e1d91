import type { Kysely, Transaction } from 'kysely';
import type { DB, HideReason, ModerationItemType } from '#db/schema';
import {
  COMMENT_STATUSES,
  QUOTE_STATUSES,
  expectOneOf,
  type ModerationItemStatus,
} from '~/lib/enums';
import {
  HIDE_REASON_LABELS,
  type BulkDecisionInput,
  type DecisionInput,
} from '~/lib/schemas/moderation';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, conflict, forbidden, isUniqueViolation } from '../errors';
import { MARKDOWN_RENDERER_VERSION, renderForField, renderForStorage } from '../markdown';
import { requireStaff, type Staff } from './access';
import { resolveOpenAppeal } from './appeals';
import { messageAuthor, messageOrganisers } from './decision-messages';
import { loadItem, type ItemState } from './items';
import * as q from './queries';

// Decisions on items, one at a time or a selection at once: each is checked against the state
// the moderator saw, applied to the item, recorded (append-only) with its audit event, and told
// to the author, in the transaction of the decision.

export type Plan = {
  statusAfter: ModerationItemStatus;
  escalatedAfter: boolean;
  bodyAfter: string | null;
  /** The HTML stored with `bodyAfter`, rendered when the decision is planned. */
  bodyHtmlAfter: string | null;
  reason: HideReason | null;
  note: string | null;
  undoesId: string | null;
  reviewed: 'now' | 'reset' | 'keep';
};

function refuse(message: string): never {
  throw new DomainError('invalid', message);
}

const ITEM_NAME: Record<ModerationItemType, string> = { comment: 'comment', quote: 'quote' };

/** Checks a decision against the item's state and works out the state it leaves. */
async function plan(trx: Transaction<DB>, item: ItemState, input: DecisionInput): Promise<Plan> {
  const name = ITEM_NAME[item.type];
  const visible = item.type === 'comment' ? 'visible' : 'published';
  if (item.type === 'comment' && item.status === 'deleted') {
    refuse('Its author deleted this comment, so there is nothing to decide.');
  }
  const base = { bodyAfter: null, bodyHtmlAfter: null, reason: null, note: null, undoesId: null };
  switch (input.intent) {
    case 'approve':
      if (!item.needsReview) refuse(`This ${name} is not waiting for review.`);
      return {
        ...base,
        statusAfter: visible,
        escalatedAfter: false,
        note: input.note,
        reviewed: 'now',
      };
    case 'hide':
      if (item.status === 'hidden' && !item.needsReview) refuse(`This ${name} is already hidden.`);
      return {
        ...base,
        statusAfter: 'hidden',
        escalatedAfter: false,
        reason: input.reason,
        note: input.note,
        reviewed: 'now',
      };
    case 'restore':
      if (item.status !== 'hidden')
        refuse(`This ${name} is not hidden, so there is nothing to restore.`);
      return {
        ...base,
        statusAfter: visible,
        escalatedAfter: false,
        note: input.note,
        reviewed: 'now',
      };
    case 'redact':
      if (item.type !== 'comment') refuse('Only comments can be edited by a moderator.');
      if (input.body === item.body)
        refuse(
          'The new text is the same as the current text. Change it, or choose another decision.',
        );
      return {
        ...base,
        statusAfter: item.status,
        escalatedAfter: item.escalated,
        bodyAfter: input.body,
        bodyHtmlAfter: renderForField('comment', input.body, 'body').html,
        reason: input.reason,
        note: input.note,
        reviewed: 'now',
      };
    case 'escalate':
      if (item.escalated) refuse(`This ${name} is already waiting for an organiser.`);
      return {
        ...base,
        statusAfter: item.status,
        escalatedAfter: true,
        note: input.note,
        reviewed: 'keep',
      };
    case 'undo': {
      const decisions = await q.listDecisions(trx, item.ref);
      const latest = decisions[decisions.length - 1];
      if (!latest || latest.id !== input.decisionId) {
        refuse('Only the latest decision on an item can be undone. Undo the later ones first.');
      }
      return {
        ...base,
        statusAfter: latest.status_before,
        escalatedAfter: latest.escalated_before,
        bodyAfter: latest.action === 'redact' ? latest.body_before : null,
        // The text as it was, even if today's limits would refuse it as new.
        bodyHtmlAfter:
          latest.action === 'redact' && latest.body_before !== null
            ? renderForStorage('comment', latest.body_before).html
            : null,
        undoesId: latest.id,
        // Back as it was: any reports count as unseen again.
        reviewed: 'reset',
      };
    }
  }
}

async function applyPlan(trx: Transaction<DB>, item: ItemState, p: Plan) {
  const reviewedAt = p.reviewed === 'now' ? new Date() : p.reviewed === 'reset' ? null : undefined;
  const escalatedAt =
    p.escalatedAfter === item.escalated ? undefined : p.escalatedAfter ? new Date() : null;
  if (item.type === 'comment') {
    await q.updateComment(trx, item.commentId, {
      status: expectOneOf(COMMENT_STATUSES, p.statusAfter),
      ...(p.bodyAfter !== null
        ? {
            body: p.bodyAfter,
            body_html: p.bodyHtmlAfter,
            body_html_version: MARKDOWN_RENDERER_VERSION,
          }
        : {}),
      ...(reviewedAt !== undefined ? { reviewed_at: reviewedAt } : {}),
      ...(escalatedAt !== undefined ? { escalated_at: escalatedAt } : {}),
    });
  } else {
    await q.updateQuote(trx, item.responseId, item.recommendationId, {
      quote_status: expectOneOf(QUOTE_STATUSES, p.statusAfter),
      ...(reviewedAt !== undefined ? { reviewed_at: reviewedAt } : {}),
      ...(escalatedAt !== undefined ? { escalated_at: escalatedAt } : {}),
    });
  }
}

export const SOMEONE_ELSE_FIRST =
  'Someone else decided on this item first, so your decision was not applied. Check its new state below and decide again if you still need to.';

type Outcome =
  | { applied: true; decisionId: string }
  | { applied: false; status: ModerationItemStatus; seq: number };

/** One decision inside a transaction; a stale view is refused and audited, not applied. */
async function decideIn(
  trx: Transaction<DB>,
  staff: Staff,
  ref: string,
  input: DecisionInput,
  ctx: RequestContext,
  bulk: boolean,
): Promise<Outcome> {
  const { consultation, viewer } = staff;
  const item = await loadItem(trx, consultation.id, ref, { forUpdate: true });
  if (item.authorId === viewer.id) {
    throw forbidden('You cannot moderate your own content. Ask another moderator.');
  }
  const seq = await q.lastSeq(trx, item.ref);
  if (seq !== input.seenSeq || item.status !== input.seenStatus) {
    await recordAudit(trx, {
      actorId: viewer.id,
      action: 'moderation.decision_refused',
      targetType: item.type,
      targetId: item.ref,
      consultationId: consultation.id,
      reason: `Someone else decided first (tried: ${input.intent}).`,
      before: { seenStatus: input.seenStatus, seenDecisions: input.seenSeq },
      after: { status: item.status, decisions: seq },
      requestId: ctx.requestId,
    });
    return { applied: false, status: item.status, seq };
  }
  const p = await plan(trx, item, input);
  // Counted before the decision marks the reports as seen.
  const reports = item.type === 'comment' ? await q.countUnreviewedReports(trx, item.commentId) : 0;
  await applyPlan(trx, item, p);
  const decision = await q.insertDecision(trx, {
    consultation_id: consultation.id,
    item_type: item.type,
    comment_id: item.commentId,
    response_id: item.responseId,
    recommendation_id: item.type === 'quote' ? item.recommendationId : null,
    item_key: item.ref,
    seq: seq + 1,
    action: input.intent,
    reason: p.reason,
    note: p.note,
    status_before: item.status,
    status_after: p.statusAfter,
    escalated_before: item.escalated,
    escalated_after: p.escalatedAfter,
    body_before: input.intent === 'redact' ? item.body : p.bodyAfter !== null ? item.body : null,
    body_after: p.bodyAfter,
    undoes_id: p.undoesId,
    decided_by: viewer.id,
    bulk,
  });
  await recordAudit(trx, {
    actorId: viewer.id,
    action: `moderation.${input.intent}`,
    targetType: item.type,
    targetId: item.ref,
    consultationId: consultation.id,
    reason:
      [p.reason ? HIDE_REASON_LABELS[p.reason] : null, p.note].filter(Boolean).join(' — ') || null,
    before: { status: item.status, escalated: item.escalated },
    after: {
      status: p.statusAfter,
      escalated: p.escalatedAfter,
      decision: decision.id,
      ...(p.undoesId ? { undoes: p.undoesId } : {}),
      ...(bulk ? { bulk: true } : {}),
    },
    requestId: ctx.requestId,
  });
  const answeredAppeal = await resolveOpenAppeal(
    trx,
    item,
    {
      id: decision.id,
      action: input.intent,
      statusAfter: p.statusAfter,
      reason: p.reason,
      note: p.note,
    },
    consultation,
    viewer.id,
    ctx.requestId,
  );
  if (!answeredAppeal) {
    await messageAuthor(trx, item, input.intent, p, consultation.slug, {
      id: decision.id,
      reports,
    });
  }
  if (input.intent === 'escalate') await messageOrganisers(trx, staff, item, p.note);
  return { applied: true, decisionId: decision.id };
}

/** Records a refused attempt on its own, when the refusal rolled the decision back. */
async function auditRefusal(
  db: Kysely<DB>,
  staff: Staff,
  ref: string,
  intent: string,
  reason: string,
  ctx: RequestContext,
) {
  await recordAudit(db, {
    actorId: staff.viewer.id,
    action: 'moderation.decision_refused',
    targetType: ref.startsWith('c.') ? 'comment' : 'quote',
    targetId: ref,
    consultationId: staff.consultation.id,
    reason: `${reason} (tried: ${intent}).`,
    requestId: ctx.requestId,
  });
}

/**
 * Moderators and organisers of the consultation, never on their own content: takes one
 * decision on one item, with its audit event and a message to the author, in one transaction.
 * The decision is taken against the state the moderator saw: if someone else decided first it
 * is refused with a clear message (a 409), and the refused attempt is audited too.
 */
export async function decide(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  ref: string,
  input: DecisionInput,
  ctx: RequestContext,
): Promise<{ decisionId: string }> {
  const staff = await requireStaff(db, viewer, slug, { action: input.intent, ctx });
  let outcome: Outcome;
  try {
    outcome = await db.transaction().execute((trx) => decideIn(trx, staff, ref, input, ctx, false));
  } catch (error) {
    // The unique (item, seq) key is the last word when two decisions pass the lock together.
    if (isUniqueViolation(error, 'moderation_decisions_item_seq')) {
      await auditRefusal(db, staff, ref, input.intent, 'Someone else decided first', ctx);
      throw conflict(SOMEONE_ELSE_FIRST);
    }
    if (error instanceof DomainError && error.code === 'forbidden') {
      await auditRefusal(db, staff, ref, input.intent, 'Own content', ctx);
    }
    throw error;
  }
  if (!outcome.applied) throw conflict(SOMEONE_ELSE_FIRST);
  return { decisionId: outcome.decisionId };
}

/**
 * Moderators and organisers: approves or hides a selection at once (for spam waves), in one
 * transaction. Items that changed since the page was shown, that the moderator wrote, or that
 * the decision does not fit are skipped and counted, never overwritten.
 */
export async function decideBulk(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: BulkDecisionInput,
  ctx: RequestContext,
): Promise<{ applied: number; skipped: number }> {
  const staff = await requireStaff(db, viewer, slug, { action: `bulk ${input.intent}`, ctx });
  return db.transaction().execute(async (trx) => {
    let applied = 0;
    let skipped = 0;
    for (const selected of input.items) {
      const decision: DecisionInput =
        input.intent === 'hide'
          ? {
              intent: 'hide',
              reason: input.reason!,
              note: input.note,
              seenSeq: selected.seenSeq,
              seenStatus: selected.seenStatus,
            }
          : {
              intent: 'approve',
              note: input.note,
              seenSeq: selected.seenSeq,
              seenStatus: selected.seenStatus,
            };
      try {
        const outcome = await decideIn(trx, staff, selected.ref, decision, ctx, true);
        if (outcome.applied) applied += 1;
        else skipped += 1;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // A refused item changed nothing (checks come before writes), so the rest can go on.
        if (error.code === 'forbidden') {
          await recordAudit(trx, {
            actorId: staff.viewer.id,
            action: 'moderation.decision_refused',
            targetType: selected.ref.startsWith('c.') ? 'comment' : 'quote',
            targetId: selected.ref,
            consultationId: staff.consultation.id,
            reason: `Own content (tried: bulk ${input.intent}).`,
            requestId: ctx.requestId,
          });
        }
        skipped += 1;
      }
    }
    return { applied, skipped };
  });
}

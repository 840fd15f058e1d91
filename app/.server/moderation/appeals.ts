import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, HideReason, ModerationAction, ModerationItemType } from '#db/schema';
import { HIDE_REASON_LABELS, type AppealInput } from '~/lib/schemas/moderation';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, conflict, isUniqueViolation, notFound } from '../errors';
import { isUuid } from '../keyset';
import { notify } from '../notifications';
import { requireSignedIn } from '../auth/permissions';

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

/** Reports made since a moderator last looked: the ones that led to this decision. */
export async function countUnreviewedReports(db: Db, commentId: string) {
  const row = await db
    .selectFrom('comment_flags as f')
    .innerJoin('comments as c', 'c.id', 'f.comment_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('f.comment_id', '=', commentId)
    .where(sql<boolean>`f.created_at > coalesce(c.reviewed_at, '-infinity'::timestamptz)`)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The open appeal on an item, if any: it puts the item back in the queue. */
export function findOpenAppeal(db: Db, itemKey: string) {
  return db
    .selectFrom('moderation_appeals')
    .select(['id', 'decision_id', 'reason', 'created_at'])
    .where('item_key', '=', itemKey)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
}

async function loadDecision(db: Db, decisionId: string) {
  if (!isUuid(decisionId)) throw notFound('decision');
  return db
    .selectFrom('moderation_decisions as d')
    .innerJoin('consultations as c', 'c.id', 'd.consultation_id')
    .innerJoin('recommendations as r', (j) =>
      j.on(
        'r.id',
        '=',
        sql<string>`coalesce(d.recommendation_id,
          (select cm.recommendation_id from comments cm where cm.id = d.comment_id))`,
      ),
    )
    .leftJoin('comments as cm', 'cm.id', 'd.comment_id')
    .leftJoin('responses as resp', 'resp.id', 'd.response_id')
    .select([
      'd.id',
      'd.consultation_id',
      'd.item_type',
      'd.item_key',
      'd.comment_id',
      'd.response_id',
      'd.recommendation_id',
      'd.seq',
      'd.action',
      'd.reason',
      'd.created_at',
      'c.slug as consultation_slug',
      'c.title as consultation_title',
      'r.number as recommendation_number',
      'r.title as recommendation_title',
      'r.slug as recommendation_slug',
      sql<string | null>`coalesce(cm.author_id, resp.user_id)`.as('author_id'),
    ])
    .where('d.id', '=', decisionId)
    .executeTakeFirst();
}

type DecisionRow = NonNullable<Awaited<ReturnType<typeof loadDecision>>>;

/** Why this decision cannot be appealed now, or null if it can. */
async function whyNotAppealable(db: Db, d: DecisionRow): Promise<string | null> {
  if (!APPEALABLE.has(d.action))
    return 'Only a decision to hide or edit your words can be reviewed.';
  const later = await db
    .selectFrom('moderation_decisions')
    .select('id')
    .where('item_key', '=', d.item_key)
    .where('seq', '>', d.seq)
    .executeTakeFirst();
  if (later) {
    return 'A moderator has made a later decision on this, so this one can no longer be reviewed. Your messages say what they decided.';
  }
  const answersAppeal = await db
    .selectFrom('moderation_appeals')
    .select('id')
    .where('resolved_by_decision_id', '=', d.id)
    .executeTakeFirst();
  if (answersAppeal) {
    return 'This decision was the review you asked for, so it cannot be reviewed again.';
  }
  if (d.item_type === 'comment') {
    const c = await db
      .selectFrom('comments')
      .select('status')
      .where('id', '=', d.comment_id!)
      .executeTakeFirst();
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
  const appeal = await db
    .selectFrom('moderation_appeals as a')
    .leftJoin('moderation_decisions as r', 'r.id', 'a.resolved_by_decision_id')
    .select(['a.reason', 'a.created_at', 'a.resolved_at', 'r.status_after as outcome_status'])
    .where('a.decision_id', '=', d.id)
    .executeTakeFirst();
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
      await trx
        .selectFrom('moderation_decisions')
        .select('id')
        .where('item_key', '=', d.item_key)
        .forUpdate()
        .execute();
      const existing = await trx
        .selectFrom('moderation_appeals')
        .select('id')
        .where('decision_id', '=', d.id)
        .executeTakeFirst();
      if (existing) throw conflict(ALREADY_APPEALED);
      const refusal = await whyNotAppealable(trx, d);
      if (refusal) throw new DomainError('invalid', refusal);
      const appeal = await trx
        .insertInto('moderation_appeals')
        .values({
          consultation_id: d.consultation_id,
          decision_id: d.id,
          item_type: d.item_type,
          item_key: d.item_key,
          comment_id: d.comment_id,
          response_id: d.response_id,
          recommendation_id: d.recommendation_id,
          author_id: me.id,
          reason: input.reason,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
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
  const open = await findOpenAppeal(trx, item.ref);
  if (!open) return false;
  await trx
    .updateTable('moderation_appeals')
    .set({ resolved_at: sql`now()`, resolved_by_decision_id: decision.id })
    .where('id', '=', open.id)
    .execute();
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
  const rec = await trx
    .selectFrom('recommendations')
    .select(['number', 'title', 'slug'])
    .where('id', '=', item.recommendationId)
    .executeTakeFirstOrThrow();
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

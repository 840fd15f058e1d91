import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type { CommentStatus, ModerationAction, ModerationItemType, QuoteStatus } from '~/lib/enums';
import { HIDE_REASON_LABELS } from '~/lib/schemas/moderation';
import type { Viewer } from '../auth';
import { notFound } from '../errors';
import { isUuid } from '../keyset';
import { plainTextHtml, storedHtml } from '../markdown';
import { requireStaff } from './access';
import * as q from './queries';

type Db = Kysely<DB> | Transaction<DB>;

// One item (a comment, or a quote: a response's reasons on one recommendation) by its address,
// as decisions load it and as its page shows it.

type ItemRef =
  | { type: 'comment'; commentId: string }
  | { type: 'quote'; responseId: string; recommendationId: string };

/** Parses an item address; anything malformed names nothing, so it is a 404. */
export function parseItemRef(ref: string): ItemRef {
  const [kind, a, b, ...rest] = ref.split('.');
  if (kind === 'c' && a && isUuid(a) && b === undefined) return { type: 'comment', commentId: a };
  if (kind === 'q' && a && b && isUuid(a) && isUuid(b) && rest.length === 0) {
    return { type: 'quote', responseId: a, recommendationId: b };
  }
  throw notFound('item');
}

export function itemRefOf(
  type: ModerationItemType,
  id: string,
  recommendationId?: string | null,
): string {
  return type === 'comment' ? `c.${id}` : `q.${id}.${recommendationId}`;
}

/** The item's state as decisions see it, for comments and quotes alike. */
export type ItemState = {
  ref: string;
  consultationId: string;
  recommendationId: string;
  /** Null when the author has deleted their account. */
  authorId: string | null;
  escalated: boolean;
  body: string;
  /** A comment's stored HTML; a quote's reasons are plain text, shown escaped. */
  bodyHtml: string;
  needsReview: boolean;
} & (
  | { type: 'comment'; status: CommentStatus; commentId: string; responseId: null }
  | { type: 'quote'; status: QuoteStatus; commentId: null; responseId: string }
);

/** One item of this consultation by its address (404 for another's), optionally locked. */
export async function loadItem(
  db: Db,
  consultationId: string,
  ref: string,
  options: { forUpdate?: boolean } = {},
): Promise<ItemState> {
  const parsed = parseItemRef(ref);
  if (parsed.type === 'comment') {
    const c = await q.findComment(db, parsed.commentId, options);
    // Another consultation's item does not exist here.
    if (!c || c.consultation_id !== consultationId) throw notFound('item');
    return {
      ref: itemRefOf('comment', c.id),
      type: 'comment',
      consultationId,
      recommendationId: c.recommendation_id,
      authorId: c.author_id,
      status: c.status,
      escalated: c.escalated_at !== null,
      body: c.body,
      bodyHtml: storedHtml(c.body_html, c.body),
      // An open appeal puts a decided item back in front of a moderator.
      needsReview:
        c.status === 'held' ||
        c.escalated_at !== null ||
        c.needs_look ||
        !!(await q.findOpenAppeal(db, itemRefOf('comment', c.id))),
      commentId: c.id,
      responseId: null,
    };
  }
  const a = await q.findQuote(db, parsed.responseId, parsed.recommendationId, options);
  if (
    !a ||
    a.consultation_id !== consultationId ||
    a.response_status !== 'submitted' ||
    !a.reasons
  ) {
    throw notFound('item');
  }
  return {
    ref: itemRefOf('quote', a.response_id, a.recommendation_id),
    type: 'quote',
    consultationId,
    recommendationId: a.recommendation_id,
    authorId: a.user_id,
    status: a.quote_status,
    escalated: a.escalated_at !== null,
    body: a.reasons,
    bodyHtml: plainTextHtml(a.reasons),
    needsReview:
      a.quote_status === 'pending' ||
      a.escalated_at !== null ||
      !!(await q.findOpenAppeal(db, itemRefOf('quote', a.response_id, a.recommendation_id))),
    commentId: null,
    responseId: a.response_id,
  };
}

// ---------------------------------------------------------------------------------------------
// The item's page

const ACTION_LABELS: Record<ModerationAction, string> = {
  approve: 'Approved',
  hide: 'Hidden',
  restore: 'Restored',
  redact: 'Edited to remove content',
  escalate: 'Escalated to organisers',
  undo: 'Undid a decision',
};

/** Which decisions make sense for an item in its present state. */
function allowedActions(item: ItemState, viewerId: string): ModerationAction[] {
  if (item.authorId === viewerId) return [];
  if (item.type === 'comment' && item.status === 'deleted') return [];
  const actions: ModerationAction[] = [];
  if (item.needsReview) actions.push('approve');
  // Hiding what reports hid confirms it, with a reason the author is told.
  if (item.status !== 'hidden' || item.needsReview) actions.push('hide');
  if (item.status === 'hidden') actions.push('restore');
  if (item.type === 'comment') actions.push('redact');
  if (!item.escalated) actions.push('escalate');
  return actions;
}

/**
 * Moderators and organisers: one item with its content, context, reports and full decision
 * history. The text before a redaction is given to organisers only.
 */
export async function getItem(db: Kysely<DB>, viewer: Viewer | null, slug: string, ref: string) {
  const { consultation, isOrganiser, viewer: me } = await requireStaff(db, viewer, slug);
  const item = await loadItem(db, consultation.id, ref);
  const recommendation = await q.findRecommendation(db, item.recommendationId);
  const decisions = await q.listDecisions(db, item.ref);
  const seq = decisions.length ? decisions[decisions.length - 1]!.seq : 0;
  const undone = new Set(decisions.map((d) => d.undoes_id).filter(Boolean));
  let comment: null | {
    authorName: string;
    segment: string;
    heldReason: string | null;
    reportCount: number;
    createdAt: Date;
    editedAt: Date | null;
    parentHtml: string | null;
    reports: { id: string; reason: string; note: string | null; createdAt: Date }[];
  } = null;
  let quote: null | {
    authorName: string;
    segment: string | null;
    consent: string;
    stance: string | null;
    reference: string | null;
    submittedAt: Date | null;
  } = null;
  if (item.type === 'comment') {
    const c = (await q.findComment(db, item.commentId))!;
    const parent = c.parent_id ? await q.findComment(db, c.parent_id) : undefined;
    comment = {
      authorName: c.author_display_name,
      segment: c.author_segment,
      heldReason: c.status === 'held' ? c.held_reason : null,
      reportCount: c.report_count,
      createdAt: c.created_at,
      editedAt: c.edited_at,
      parentHtml:
        parent && parent.status !== 'deleted' ? storedHtml(parent.body_html, parent.body) : null,
      reports: (await q.listReports(db, c.id)).map((f) => ({
        id: f.id,
        reason: f.reason,
        note: f.note,
        createdAt: f.created_at,
      })),
    };
  } else {
    const a = (await q.findQuote(db, item.responseId, item.recommendationId))!;
    quote = {
      authorName: a.display_name ?? 'A respondent',
      segment: a.segment,
      consent: a.consent!,
      stance: a.stance,
      reference: a.reference,
      submittedAt: a.last_submitted_at,
    };
  }
  const latest = decisions[decisions.length - 1];
  const appeal = await q.findOpenAppeal(db, item.ref);
  return {
    consultation: { slug: consultation.slug, title: consultation.title },
    appeal: appeal ? { reason: appeal.reason, createdAt: appeal.created_at } : null,
    isOrganiser,
    item: {
      ref: item.ref,
      type: item.type,
      status: item.status,
      escalated: item.escalated,
      needsReview: item.needsReview,
      bodyHtml: item.bodyHtml,
      body: item.body,
      isOwn: item.authorId === me.id,
      seq,
    },
    recommendation,
    comment,
    quote,
    actions: allowedActions(item, me.id),
    undoable: latest && item.authorId !== me.id ? latest.id : null,
    history: decisions.map((d) => ({
      id: d.id,
      seq: d.seq,
      action: d.action,
      label: ACTION_LABELS[d.action],
      reason: d.reason ? HIDE_REASON_LABELS[d.reason] : null,
      note: d.note,
      statusBefore: d.status_before,
      statusAfter: d.status_after,
      bulk: d.bulk,
      undone: undone.has(d.id),
      createdAt: d.created_at,
      decidedBy: d.decided_by_name ?? 'A former moderator',
      // The original wording may hold the very personal data the redaction removed.
      originalBody: isOrganiser ? d.body_before : null,
    })),
  };
}
export type ModerationItemView = Awaited<ReturnType<typeof getItem>>;

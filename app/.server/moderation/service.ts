import type { Kysely, Transaction } from 'kysely';
import type { DB, HideReason, ModerationAction, ModerationItemType } from '#db/schema';
import {
  HIDE_REASON_LABELS,
  QUEUE_STATES,
  type BulkDecisionInput,
  type DecisionInput,
  type PolicyInput,
  type QueueFilter,
  type QueueState,
} from '~/lib/schemas/moderation';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, conflict, forbidden, isUniqueViolation, notFound } from '../errors';
import { decodeKeyset, encodeKeyset, isUuid } from '../keyset';
import {
  MARKDOWN_RENDERER_VERSION,
  plainTextHtml,
  renderForField,
  renderForStorage,
  storedHtml,
} from '../markdown';
import { notify } from '../notifications';
import { becauseOf, countUnreviewedReports, findOpenAppeal, resolveOpenAppeal } from './appeals';
import * as q from './queries';
import {
  canModerate,
  isOrganiser,
  requireOrganisedConsultation,
  requireOrganiser,
  requireSignedIn,
} from '../auth/permissions';

type Db = Kysely<DB> | Transaction<DB>;

export const QUEUE_PAGE_SIZE = 25;

type Staff = { viewer: Viewer; consultation: StaffConsultation; isOrganiser: boolean };
type StaffConsultation = {
  id: string;
  slug: string;
  title: string;
  moderation_mode: 'post' | 'pre';
  flag_threshold: number;
};

function findConsultation(db: Db, slug: string) {
  return db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'moderation_mode', 'flag_threshold', 'status'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/**
 * The moderator or organiser of this consultation (or of every one). Anyone else is refused;
 * a refused write is written to the audit log, so probing leaves a trace.
 */
async function requireStaff(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  attempt?: { action: string; ctx: RequestContext },
): Promise<Staff> {
  const me = requireSignedIn(viewer);
  const consultation = await findConsultation(db, slug);
  if (!consultation) throw notFound('consultation');
  if (!canModerate(me, consultation.id)) {
    if (attempt) {
      await recordAudit(db, {
        actorId: me.id,
        action: 'moderation.refused',
        targetType: 'consultation',
        targetId: consultation.id,
        consultationId: consultation.id,
        reason: `Not a moderator or organiser of this consultation (tried: ${attempt.action}).`,
        requestId: attempt.ctx.requestId,
      });
    }
    throw forbidden('Only moderators and organisers of this consultation can do that.');
  }
  return { viewer: me, consultation, isOrganiser: isOrganiser(me, consultation.id) };
}

/**
 * For moderation form actions, before the form is read: refuses (and logs) anyone who may not
 * moderate this consultation, so a refused POST is a 403 whatever it contains.
 */
export async function requireModerationAccess(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  attempt: { action: string; ctx: RequestContext },
) {
  await requireStaff(db, viewer, slug, attempt);
}

// ---------------------------------------------------------------------------------------------
// Items

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
type ItemState = {
  ref: string;
  type: ModerationItemType;
  consultationId: string;
  recommendationId: string;
  /** Null when the author has deleted their account. */
  authorId: string | null;
  status: string;
  escalated: boolean;
  body: string;
  /** A comment's stored HTML; a quote's reasons are plain text, shown escaped. */
  bodyHtml: string;
  needsReview: boolean;
  commentId: string | null;
  responseId: string | null;
};

async function loadItem(
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
        !!(await findOpenAppeal(db, itemRefOf('comment', c.id))),
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
      !!(await findOpenAppeal(db, itemRefOf('quote', a.response_id, a.recommendation_id))),
    commentId: null,
    responseId: a.response_id,
  };
}

// ---------------------------------------------------------------------------------------------
// Queue

export type QueueItem = {
  ref: string;
  type: ModerationItemType;
  state: QueueState;
  status: string;
  triggers: string[];
  heldReason: string | null;
  flagCount: number;
  segment: string | null;
  authorName: string;
  excerpt: string;
  recommendation: { number: number; title: string };
  createdAt: Date;
  /** What a bulk form sends back, so a changed item is skipped rather than overwritten. */
  seen: string;
  isOwn: boolean;
};

function excerpt(text: string, max = 240) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Moderators and organisers of the consultation: a page of the items waiting for review, with
 * the count in each state under the same filters. Oldest first unless asked otherwise.
 */
export async function getQueue(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  filter: QueueFilter,
  cursor?: string | null,
) {
  const { consultation, isOrganiser } = await requireStaff(db, viewer, slug);
  const { state: _state, order: _order, ...rest } = filter;
  const after = decodeKeyset(cursor, { withCount: true });
  const [rows, counts] = await Promise.all([
    q.listQueue(db, consultation.id, filter, { after, limit: QUEUE_PAGE_SIZE }),
    q.countQueue(db, consultation.id, rest),
  ]);
  const page = rows.slice(0, QUEUE_PAGE_SIZE);
  const commentIds = page.filter((r) => r.item_type === 'comment').map((r) => r.id);
  const reasons = await q.flagReasons(db, commentIds);
  const seqs = await Promise.all(
    page.map((r) => q.lastSeq(db, itemRefOf(r.item_type, r.id, r.recommendation_ref))),
  );
  const items: QueueItem[] = page.map((r, i) => {
    const ref = itemRefOf(r.item_type, r.id, r.recommendation_ref);
    const triggers =
      r.item_type === 'quote'
        ? ['pre_moderation']
        : [
            ...(r.held_reason && r.status === 'held' ? [r.held_reason] : []),
            ...(reasons.get(r.id) ?? []),
          ];
    return {
      ref,
      type: r.item_type,
      state: r.state,
      status: r.status,
      triggers,
      heldReason: r.held_reason,
      flagCount: r.flag_count,
      segment: r.segment,
      authorName: r.author_name,
      excerpt: excerpt(r.body),
      recommendation: { number: r.recommendation_number, title: r.recommendation_title },
      createdAt: r.created_at,
      seen: `${seqs[i]}:${r.status}`,
      isOwn: r.author_id === viewer!.id,
    };
  });
  const last = page[page.length - 1];
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const recommendations = await db
    .selectFrom('recommendations')
    .select(['number', 'title'])
    .where('consultation_id', '=', consultation.id)
    .orderBy('number')
    .execute();
  return {
    recommendations,
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      mode: consultation.moderation_mode,
    },
    isOrganiser,
    filter,
    items,
    counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, counts.get(s) ?? 0])) as Record<
      QueueState,
      number
    >,
    total,
    nextCursor:
      rows.length > QUEUE_PAGE_SIZE && last
        ? encodeKeyset({ at: last.keyset_at, id: last.id, count: last.position })
        : null,
  };
}

/** Moderators and organisers: the counts per state and the latest decisions, for the overview. */
export async function getOverview(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const { consultation, isOrganiser } = await requireStaff(db, viewer, slug);
  const counts = await q.countQueue(db, consultation.id, { age: 'any' });
  const recent = await q.recentDecisions(db, consultation.id, 10);
  return {
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      mode: consultation.moderation_mode,
      flagThreshold: consultation.flag_threshold,
    },
    isOrganiser,
    counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, counts.get(s) ?? 0])) as Record<
      QueueState,
      number
    >,
    total: [...counts.values()].reduce((sum, n) => sum + n, 0),
    recent: recent.map((d) => ({
      id: d.id,
      ref: d.item_key,
      type: d.item_type,
      action: d.action,
      reason: d.reason,
      bulk: d.bulk,
      createdAt: d.created_at,
      decidedBy: d.decided_by_name ?? 'A former moderator',
      recommendationNumber: d.recommendation_number,
    })),
  };
}

/** Signed-in staff: the consultations they may moderate, with how many items wait in each. */
export async function listModeratedConsultations(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const all = await db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'status', 'moderation_mode'])
    .orderBy('created_at', 'desc')
    .execute();
  if (me.roles.length === 0) {
    throw forbidden('Only moderators and organisers can see the moderation pages.');
  }
  const mine = all.filter((c) => canModerate(me, c.id));
  return Promise.all(
    mine.map(async (c) => {
      const counts = await q.countQueue(db, c.id, { age: 'any' });
      return {
        slug: c.slug,
        title: c.title,
        status: c.status,
        mode: c.moderation_mode,
        waiting: [...counts.values()].reduce((sum, n) => sum + n, 0),
      };
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// One item

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
  const recommendation = await db
    .selectFrom('recommendations')
    .select(['number', 'title', 'slug'])
    .where('id', '=', item.recommendationId)
    .executeTakeFirstOrThrow();
  const decisions = await q.listDecisions(db, item.ref);
  const seq = decisions.length ? decisions[decisions.length - 1]!.seq : 0;
  const undone = new Set(decisions.map((d) => d.undoes_id).filter(Boolean));
  let comment: null | {
    authorName: string;
    segment: string;
    heldReason: string | null;
    flagCount: number;
    createdAt: Date;
    editedAt: Date | null;
    parentHtml: string | null;
    flags: { id: string; reason: string; note: string | null; createdAt: Date }[];
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
    const c = (await q.findComment(db, item.commentId!))!;
    const parent = c.parent_id ? await q.findComment(db, c.parent_id) : undefined;
    comment = {
      authorName: c.author_display_name,
      segment: c.author_segment,
      heldReason: c.status === 'held' ? c.held_reason : null,
      flagCount: c.flag_count,
      createdAt: c.created_at,
      editedAt: c.edited_at,
      parentHtml:
        parent && parent.status !== 'deleted' ? storedHtml(parent.body_html, parent.body) : null,
      flags: (await q.listFlags(db, c.id)).map((f) => ({
        id: f.id,
        reason: f.reason,
        note: f.note,
        createdAt: f.created_at,
      })),
    };
  } else {
    const a = (await q.findQuote(db, item.responseId!, item.recommendationId))!;
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
  const appeal = await findOpenAppeal(db, item.ref);
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

// ---------------------------------------------------------------------------------------------
// Decisions

type Plan = {
  statusAfter: string;
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
    await trx
      .updateTable('comments')
      .set({
        status: p.statusAfter as 'visible' | 'hidden' | 'held',
        ...(p.bodyAfter !== null
          ? {
              body: p.bodyAfter,
              body_html: p.bodyHtmlAfter,
              body_html_version: MARKDOWN_RENDERER_VERSION,
            }
          : {}),
        ...(reviewedAt !== undefined ? { reviewed_at: reviewedAt } : {}),
        ...(escalatedAt !== undefined ? { escalated_at: escalatedAt } : {}),
      })
      .where('id', '=', item.commentId!)
      .execute();
  } else {
    await trx
      .updateTable('submitted_answers')
      .set({
        quote_status: p.statusAfter as 'published' | 'pending' | 'hidden',
        ...(reviewedAt !== undefined ? { reviewed_at: reviewedAt } : {}),
        ...(escalatedAt !== undefined ? { escalated_at: escalatedAt } : {}),
      })
      .where('response_id', '=', item.responseId!)
      .where('recommendation_id', '=', item.recommendationId)
      .execute();
  }
}

async function messageAuthor(
  trx: Transaction<DB>,
  item: ItemState,
  action: ModerationAction,
  p: Plan,
  slug: string,
  decision: { id: string; reports: number },
) {
  const rec = await trx
    .selectFrom('recommendations')
    .select(['number', 'title', 'slug'])
    .where('id', '=', item.recommendationId)
    .executeTakeFirstOrThrow();
  const where = `recommendation ${rec.number}, “${rec.title}”`;
  const what = item.type === 'comment' ? 'Your comment' : 'Your reasons';
  const link =
    item.type === 'comment'
      ? `/consultations/${slug}/recommendations/${rec.slug}#comment-${item.commentId}`
      : '/account/responses';
  const because = becauseOf(p.reason);
  // Says who started it: readers' reports (with how many) or a moderator on their own.
  const hidBy =
    decision.reports > 0
      ? `Readers reported your comment on ${where} (${decision.reports} ${decision.reports === 1 ? 'report' : 'reports'}) and a moderator hid it${because}.`
      : `A moderator hid your comment on ${where}${because}.`;
  const appealable = action === 'hide' || action === 'redact';
  const review = appealable
    ? ' If you think this is wrong, you can ask for a review from your messages.'
    : '';
  const note = p.note ? `\n\nNote from the moderator: ${p.note}` : '';
  const messages: Record<ModerationAction, { subject: string; body: string }> = {
    approve: {
      subject: `${what} on ${where} was approved`,
      body:
        item.type === 'comment'
          ? `A moderator reviewed your comment on ${where}. It is published.`
          : `A moderator reviewed the reasons you gave on ${where}. They may be quoted in the results, as your publishing choice allows.`,
    },
    hide: {
      subject: `${what} on ${where} was hidden`,
      body:
        item.type === 'comment'
          ? `${hidBy} It stays in the thread as hidden and is not deleted.${review}`
          : `A moderator hid the reasons you gave on ${where}${because}. Your response still counts; only the public text is hidden.${review}`,
    },
    restore: {
      subject: `${what} on ${where} is visible again`,
      body: `A moderator reviewed ${item.type === 'comment' ? 'your comment' : 'the reasons you gave'} on ${where} again and restored it.`,
    },
    redact: {
      subject: `A moderator edited your comment on ${where}`,
      body: `A moderator removed part of your comment on ${where}${because}. The rest of your comment is unchanged.${review}`,
    },
    escalate: {
      subject: `${what} on ${where} is with the organisers`,
      body: `A moderator asked the organisers of this consultation to review ${item.type === 'comment' ? 'your comment' : 'the reasons you gave'} on ${where}. You will get a message when they decide.`,
    },
    undo: {
      subject: `A moderation decision on ${where} was reversed`,
      body: `A moderator reversed an earlier decision on ${item.type === 'comment' ? 'your comment' : 'the reasons you gave'} on ${where}. It is back as it was before that decision.`,
    },
  };
  const m = messages[action];
  // An author who deleted their account has nobody left to tell.
  if (!item.authorId) return;
  await notify(trx, {
    userId: item.authorId,
    kind: `moderation.${item.type}.${action}`,
    subject: subjectLine(m.subject),
    body: m.body + note,
    link,
    appealDecisionId: appealable ? decision.id : null,
  });
}

/** Message subjects hold 200 characters; long titles are shortened, never refused. */
function subjectLine(text: string) {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** An escalation reaches the organisers of the consultation (not the one escalating). */
async function messageOrganisers(
  trx: Transaction<DB>,
  staff: Staff,
  item: ItemState,
  note: string | null,
) {
  const organisers = await trx
    .selectFrom('role_grants')
    .select('user_id')
    .distinct()
    .where('role', '=', 'organiser')
    .where((eb) =>
      eb.or([eb('consultation_id', '=', staff.consultation.id), eb('consultation_id', 'is', null)]),
    )
    .where('user_id', '<>', staff.viewer.id)
    .execute();
  for (const { user_id } of organisers) {
    await notify(trx, {
      userId: user_id,
      kind: `moderation.${item.type}.escalated_to_you`,
      subject: subjectLine(
        `A ${item.type === 'comment' ? 'comment' : 'quote'} on “${staff.consultation.title}” needs an organiser’s decision`,
      ),
      body: `${staff.viewer.displayName} escalated it for you to decide.${note ? `\n\nTheir note: ${note}` : ''}`,
      link: `/moderation/${staff.consultation.slug}/items/${item.ref}`,
    });
  }
}

export const SOMEONE_ELSE_FIRST =
  'Someone else decided on this item first, so your decision was not applied. Check its new state below and decide again if you still need to.';

type Outcome =
  { applied: true; decisionId: string } | { applied: false; status: string; seq: number };

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
  const reports = item.type === 'comment' ? await countUnreviewedReports(trx, item.commentId!) : 0;
  await applyPlan(trx, item, p);
  const decision = await trx
    .insertInto('moderation_decisions')
    .values({
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
    })
    .returning('id')
    .executeTakeFirstOrThrow();
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

// ---------------------------------------------------------------------------------------------
// Policy

const NOT_POLICY_ORGANISER =
  'Only organisers of this consultation can change its moderation policy.';

/** For the policy form action, before the form is read: organisers of the consultation only. */
export async function requirePolicyAccess(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  requireSignedIn(viewer);
  await requireOrganisedConsultation(db, viewer, slug, NOT_POLICY_ORGANISER);
}

/** Organisers of the consultation: its moderation policy as the settings form shows it. */
export async function getPolicy(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  requireSignedIn(viewer);
  const c = await db
    .selectFrom('consultations')
    .select([
      'id',
      'slug',
      'title',
      'moderation_mode',
      'flag_threshold',
      'house_rules',
      'house_rules_html',
      'version',
    ])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!c) throw notFound('consultation');
  requireOrganiser(viewer, c.id, NOT_POLICY_ORGANISER);
  return {
    consultation: { slug: c.slug, title: c.title },
    mode: c.moderation_mode,
    flagThreshold: c.flag_threshold,
    houseRules: c.house_rules,
    houseRulesHtml: c.house_rules ? storedHtml(c.house_rules_html, c.house_rules) : null,
    version: c.version,
  };
}

const STALE_POLICY =
  'Someone else changed this consultation while you were editing. Your choices are below and have not been saved: check them and save again.';

/**
 * Organisers of the consultation: sets pre- or post-moderation, the report threshold and the
 * house rules, against the version they saw, with an audit event. Switching to
 * pre-moderation affects what is posted from then on; nothing published is taken down.
 */
export async function updatePolicy(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: PolicyInput,
  ctx: RequestContext,
) {
  const me = requireSignedIn(viewer);
  const houseRules = renderForField('house-rules', input.houseRules, 'houseRules');
  return db.transaction().execute(async (trx) => {
    const c = await trx
      .selectFrom('consultations')
      .select(['id', 'moderation_mode', 'flag_threshold', 'house_rules', 'version'])
      .where('slug', '=', slug)
      .forUpdate()
      .executeTakeFirst();
    if (!c) throw notFound('consultation');
    requireOrganiser(viewer, c.id, NOT_POLICY_ORGANISER);
    if (c.version !== input.version) throw conflict(STALE_POLICY);
    const before = {
      mode: c.moderation_mode,
      flagThreshold: c.flag_threshold,
      houseRules: c.house_rules,
    };
    const after = {
      mode: input.mode,
      flagThreshold: input.flagThreshold,
      houseRules: input.houseRules,
    };
    if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false };
    await trx
      .updateTable('consultations')
      .set({
        moderation_mode: input.mode,
        flag_threshold: input.flagThreshold,
        house_rules: input.houseRules,
        house_rules_html: houseRules.html,
        house_rules_html_version: houseRules.version,
        version: c.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', c.id)
      .execute();
    await recordAudit(trx, {
      actorId: me.id,
      action: 'consultation.moderation_policy_changed',
      targetType: 'consultation',
      targetId: c.id,
      consultationId: c.id,
      before,
      after,
      requestId: ctx.requestId,
    });
    return { changed: true };
  });
}

/** Public: the consultation's house rules as safe HTML, or null when it has none. */
export async function getHouseRules(db: Db, slug: string) {
  const c = await db
    .selectFrom('consultations')
    .select(['house_rules', 'house_rules_html'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  return c?.house_rules ? storedHtml(c.house_rules_html, c.house_rules) : null;
}

/** For the comment service: whether a new comment on this consultation waits for review. */
export async function isPreModerated(db: Db, consultationId: string) {
  const c = await db
    .selectFrom('consultations')
    .select('moderation_mode')
    .where('id', '=', consultationId)
    .executeTakeFirst();
  return c?.moderation_mode === 'pre';
}

/**
 * For the response service, right after a submission replaced the counted answers (which
 * resets their quote status). Reasons unchanged since the previous submission keep the last
 * moderation decision on them, so resubmitting cannot bring back hidden text; new or changed
 * reasons wait for a moderator under pre-moderation, or when their earlier text was hidden.
 */
export async function holdQuotesForReview(db: Db, consultationId: string, responseId: string) {
  const response = await db
    .selectFrom('responses')
    .select(['current_version', 'consent'])
    .where('id', '=', responseId)
    .executeTakeFirstOrThrow();
  const answers = await db
    .selectFrom('submitted_answers')
    .select(['recommendation_id', 'reasons'])
    .where('response_id', '=', responseId)
    .where('reasons', 'is not', null)
    .execute();
  if (answers.length === 0) return;
  const previous = await db
    .selectFrom('response_versions')
    .select('snapshot')
    .where('response_id', '=', responseId)
    .where('number', '=', response.current_version - 1)
    .executeTakeFirst();
  const previousReasons = new Map<string, string | null>();
  const snapshot = previous?.snapshot as
    { answers?: { recommendationId?: string; reasons?: string | null }[] } | undefined;
  for (const a of snapshot?.answers ?? []) {
    if (a.recommendationId) previousReasons.set(a.recommendationId, a.reasons ?? null);
  }
  const decisions = await db
    .selectFrom('moderation_decisions')
    .select(['recommendation_id', 'status_after', 'escalated_after', 'created_at'])
    .distinctOn('item_key')
    .where('response_id', '=', responseId)
    .orderBy('item_key')
    .orderBy('seq', 'desc')
    .execute();
  const latest = new Map(decisions.map((d) => [d.recommendation_id!, d]));
  const preModerated = await isPreModerated(db, consultationId);
  for (const answer of answers) {
    const decision = latest.get(answer.recommendation_id);
    const unchanged = previousReasons.get(answer.recommendation_id) === answer.reasons;
    let change: {
      quote_status: 'pending' | 'hidden' | 'published';
      reviewed_at?: Date;
      escalated_at?: Date | null;
    } | null = null;
    if (decision && unchanged) {
      change = {
        quote_status: decision.status_after as 'pending' | 'hidden' | 'published',
        reviewed_at: decision.created_at,
        escalated_at: decision.escalated_after ? decision.created_at : null,
      };
    } else if (
      (preModerated && response.consent !== 'private') ||
      decision?.status_after === 'hidden'
    ) {
      change = { quote_status: 'pending' };
    }
    if (!change) continue;
    await db
      .updateTable('submitted_answers')
      .set(change)
      .where('response_id', '=', responseId)
      .where('recommendation_id', '=', answer.recommendation_id)
      .execute();
  }
}

/**
 * For the response service, when a respondent makes private reasons public: under
 * pre-moderation, reasons no moderator has looked at wait for one before they can be quoted.
 */
export async function holdUnreviewedQuotes(db: Db, consultationId: string, responseId: string) {
  if (!(await isPreModerated(db, consultationId))) return;
  await db
    .updateTable('submitted_answers')
    .set({ quote_status: 'pending' })
    .where('response_id', '=', responseId)
    .where('reasons', 'is not', null)
    .where('quote_status', '=', 'published')
    .where('reviewed_at', 'is', null)
    .execute();
}

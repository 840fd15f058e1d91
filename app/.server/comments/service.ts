import type { Kysely, Transaction } from 'kysely';
import type { CommentStatus, DB, HeldReason, Segment } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import {
  COMMENT_EDIT_MINUTES,
  MAX_LINKS,
  countLinks,
  type CommentInput,
  type CommentSort,
  type EditCommentInput,
  type FlagInput,
} from '~/lib/schemas/discussion';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, conflict, forbidden, notFound } from '../errors';
import { onceForKey } from '../idempotency';
import { decodeKeyset, encodeKeyset, isUuid } from '../keyset';
import { renderForField, storedHtml } from '../markdown';
import { isPreModerated } from '../moderation';
import {
  databaseNow,
  enforceRateLimits,
  findConsultation,
  findRecommendation,
  requireOpenForComment,
  requireOpen,
  type DiscussionConsultation,
} from '../participation';
import { requireMayTakePart, requireSignedIn } from '../auth/permissions';
import type { RateLimit } from '../rate-limits';
import * as q from './queries';

export const COMMENTS_PER_MINUTE: RateLimit = {
  name: 'comments-account-minute',
  limit: 5,
  windowSeconds: 60,
};
export const COMMENTS_PER_HOUR: RateLimit = {
  name: 'comments-account-hour',
  limit: 30,
  windowSeconds: 3600,
};
// Offices and universities share an address, so the per-address allowance is wider.
export const COMMENTS_PER_IP: RateLimit = { name: 'comments-ip', limit: 60, windowSeconds: 3600 };
// A handful of accounts reporting everything in sight must not hide a whole discussion.
export const FLAGS_PER_ACCOUNT: RateLimit = {
  name: 'flags-account',
  limit: 20,
  windowSeconds: 3600,
};

// Each edit rewrites a stored comment and each vote toggle its count: a person fixing typos or
// changing their mind needs a few, a script thousands.
export const COMMENT_EDITS_PER_ACCOUNT: RateLimit = {
  name: 'comment-edits-account',
  limit: 30,
  windowSeconds: 900,
};
export const HELPFUL_VOTES_PER_ACCOUNT: RateLimit = {
  name: 'helpful-votes-account',
  limit: 60,
  windowSeconds: 600,
};

export const COMMENTS_PAGE_SIZE = 20;
export const REPLIES_PER_THREAD = 50;

type Db = Kysely<DB> | Transaction<DB>;
type StoredComment = NonNullable<Awaited<ReturnType<typeof q.findComment>>>;

/** What the author is told after posting or editing: a held comment waits for a moderator. */
export type PostedComment = {
  id: string;
  status: CommentStatus;
  heldReason: HeldReason | null;
  /** True when this post repeated one the author had just made: nothing new was stored. */
  repeated?: boolean;
};

const NOT_FOUND_PARENT =
  'We could not find the comment you are replying to on this recommendation. Reload the page and try again.';

/**
 * A comment by id, within the consultation named in the address. Someone else's held comment
 * does not exist for the viewer, as in the listing.
 */
async function loadComment(
  db: Db,
  viewer: Viewer,
  consultationSlug: string,
  commentId: string,
  options: { forUpdate?: boolean } = {},
) {
  const consultation = await findConsultation(db, null, consultationSlug);
  const comment = isUuid(commentId) ? await q.findComment(db, commentId, options) : undefined;
  if (
    !comment ||
    comment.consultation_id !== consultation.id ||
    (comment.status === 'held' && comment.author_id !== viewer.id)
  ) {
    throw notFound('comment');
  }
  return { consultation, comment };
}

function requireReplyable(parent: StoredComment | undefined, recommendationId: string, me: Viewer) {
  if (
    !parent ||
    parent.recommendation_id !== recommendationId ||
    (parent.status === 'held' && parent.author_id !== me.id)
  ) {
    throw new DomainError('invalid', NOT_FOUND_PARENT);
  }
  if (parent.status === 'deleted') {
    throw new DomainError('invalid', 'The comment you are replying to has been deleted.');
  }
  if (parent.status === 'hidden') {
    throw new DomainError(
      'invalid',
      'The comment you are replying to is hidden while a moderator reviews it.',
    );
  }
  if (parent.status === 'held') {
    throw new DomainError(
      'invalid',
      'Your comment is waiting for review. You can reply to it once it is published.',
    );
  }
  if (parent.depth >= 2) {
    throw new DomainError(
      'invalid',
      'Replies go two levels deep at most. Reply to the comment above this one instead.',
    );
  }
}

/**
 * Signed-in people, while the consultation is open: posts a comment, or a reply to one on the
 * same recommendation. A comment with many links, or one repeating what the author posted on
 * this consultation in the last day, is held for a moderator; the result says so. The same
 * text sent twice in a row (a double click, two tabs) is stored once: the second gets the first.
 * The same form sent again (same key) answers exactly as the first did, whenever it comes.
 */
export async function postComment(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  recommendationSlug: string,
  input: CommentInput,
  ctx: RequestContext,
): Promise<PostedComment> {
  const me = requireSignedIn(viewer);
  await enforceRateLimits(db, [
    { rule: COMMENTS_PER_MINUTE, subject: me.id },
    { rule: COMMENTS_PER_HOUR, subject: me.id },
    { rule: COMMENTS_PER_IP, subject: ctx.clientIp },
  ]);
  const rendered = renderForField('comment', input.body, 'body');
  return db.transaction().execute(async (trx) => {
    const { consultation, recommendation } = await findRecommendation(
      trx,
      null,
      consultationSlug,
      recommendationSlug,
    );
    const write = {
      userId: me.id,
      key: input.idempotencyKey,
      // A reply's key is told apart by its parent: one page's key serves all its reply boxes.
      action: input.parentId ? 'comment.reply' : 'comment.post',
      targetId: input.parentId ?? recommendation.id,
      consultationId: consultation.id,
    };
    return onceForKey(trx, write, () =>
      writeComment(trx, me, consultation, recommendation, input, rendered),
    );
  });
}

async function writeComment(
  trx: Transaction<DB>,
  me: Viewer,
  consultation: DiscussionConsultation,
  recommendation: { id: string; state: 'open' | 'placeholder' },
  input: CommentInput,
  rendered: { html: string; version: number },
): Promise<PostedComment> {
  requireOpen(consultation, await databaseNow(trx));
  requireOpenForComment(recommendation);
  await requireMayTakePart(trx, me);
  const author = await q.lockAuthorProfile(trx, me.id);
  let parent: StoredComment | undefined;
  if (input.parentId) {
    // Locked, so that a reply and the parent's deletion cannot pass each other.
    parent = await q.findComment(trx, input.parentId, { forUpdate: true });
    requireReplyable(parent, recommendation.id, me);
  }
  // The author's profile row is locked above, so two copies of one post are checked in turn.
  const repeated = await q.findRepeatedPost(trx, {
    authorId: me.id,
    recommendationId: recommendation.id,
    parentId: parent?.id ?? null,
    body: input.body,
  });
  if (repeated) {
    return {
      id: repeated.id,
      status: repeated.status,
      heldReason: repeated.held_reason,
      repeated: true,
    };
  }
  const heldReason: HeldReason | null =
    countLinks(input.body) > MAX_LINKS
      ? 'links'
      : (await q.hasRecentDuplicate(trx, me.id, consultation.id, input.body))
        ? 'duplicate'
        : (await isPreModerated(trx, consultation.id))
          ? 'pre_moderation'
          : null;
  const row = await q.insertComment(trx, {
    recommendation_id: recommendation.id,
    consultation_id: consultation.id,
    author_id: me.id,
    parent_id: parent?.id ?? null,
    thread_id: parent ? (parent.thread_id ?? parent.id) : null,
    depth: parent ? parent.depth + 1 : 0,
    body: input.body,
    body_html: rendered.html,
    body_html_version: rendered.version,
    status: heldReason ? 'held' : 'visible',
    held_reason: heldReason,
    author_segment: author.segment,
    author_display_name: author.display_name,
    author_verified: author.verified,
  });
  if (parent) await q.incrementReplyCount(trx, parent.id);
  return { id: row.id, status: row.status, heldReason: row.held_reason };
}

/**
 * The author, within 15 minutes of posting and while the consultation is open: replaces the
 * text and marks the comment edited. The link rule applies again; a held comment stays held.
 */
export async function editComment(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  commentId: string,
  input: EditCommentInput,
): Promise<PostedComment> {
  const me = requireSignedIn(viewer);
  // As for posting: the limit first, so a flood of edits is refused before any rendering.
  await enforceRateLimits(db, [{ rule: COMMENT_EDITS_PER_ACCOUNT, subject: me.id }]);
  const rendered = renderForField('comment', input.body, 'body');
  return db.transaction().execute(async (trx) => {
    const { consultation, comment } = await loadComment(trx, me, consultationSlug, commentId, {
      forUpdate: true,
    });
    if (comment.author_id !== me.id) throw forbidden('Only its author can edit a comment.');
    if (comment.status === 'deleted') {
      throw new DomainError('invalid', 'This comment was deleted, so it can no longer be edited.');
    }
    if (comment.status === 'hidden') {
      throw new DomainError(
        'invalid',
        'This comment is hidden while a moderator reviews it, so it cannot be edited.',
      );
    }
    if (!comment.editable) {
      throw new DomainError(
        'invalid',
        `Comments can be changed for ${COMMENT_EDIT_MINUTES} minutes after posting. This one can no longer be edited.`,
      );
    }
    requireOpen(consultation, await databaseNow(trx));
    await requireMayTakePart(trx, me);
    if (comment.body === input.body) {
      return { id: comment.id, status: comment.status, heldReason: comment.held_reason };
    }
    const held = comment.status === 'visible' && countLinks(input.body) > MAX_LINKS;
    const row = await q.updateBody(trx, comment.id, {
      body: input.body,
      body_html: rendered.html,
      body_html_version: rendered.version,
      status: held ? 'held' : comment.status,
      held_reason: held ? 'links' : comment.held_reason,
    });
    return { id: row.id, status: row.status, heldReason: row.held_reason };
  });
}

/**
 * The author, at any time: deletes their comment. The text stays in the database for the
 * moderators and is never shown again; replies stay under a "deleted" placeholder. Deleting
 * twice is harmless.
 */
export async function deleteComment(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  commentId: string,
): Promise<{ changed: boolean }> {
  const me = requireSignedIn(viewer);
  return db.transaction().execute(async (trx) => {
    const { comment } = await loadComment(trx, me, consultationSlug, commentId, {
      forUpdate: true,
    });
    if (comment.author_id !== me.id) throw forbidden('Only its author can delete a comment.');
    if (comment.status === 'deleted') return { changed: false };
    await q.markDeleted(trx, comment.id);
    return { changed: true };
  });
}

function requireVotable(comment: StoredComment, me: Viewer) {
  if (comment.author_id === me.id) {
    throw new DomainError('invalid', 'You cannot mark your own comment as helpful.');
  }
  if (comment.status === 'deleted') {
    throw new DomainError('invalid', 'This comment was deleted.');
  }
  if (comment.status === 'hidden') {
    throw new DomainError('invalid', 'This comment is hidden while a moderator reviews it.');
  }
}

/**
 * Signed-in people other than the author, while the consultation is open: marks a published
 * comment helpful. Once per person: the vote's primary key decides, and only the request that
 * inserted the vote counts it.
 */
export async function voteHelpful(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  commentId: string,
): Promise<{ voted: boolean; changed: boolean }> {
  const me = requireSignedIn(viewer);
  await enforceRateLimits(db, [{ rule: HELPFUL_VOTES_PER_ACCOUNT, subject: me.id }]);
  return db.transaction().execute(async (trx) => {
    const { consultation, comment } = await loadComment(trx, me, consultationSlug, commentId);
    requireVotable(comment, me);
    requireOpen(consultation, await databaseNow(trx));
    await requireMayTakePart(trx, me);
    if (!(await q.insertVote(trx, comment.id, me.id))) return { voted: true, changed: false };
    await q.addToHelpfulCount(trx, comment.id, 1);
    return { voted: true, changed: true };
  });
}

/** Signed-in people, while the consultation is open: takes back their "helpful" vote. */
export async function unvoteHelpful(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  commentId: string,
): Promise<{ voted: boolean; changed: boolean }> {
  const me = requireSignedIn(viewer);
  await enforceRateLimits(db, [{ rule: HELPFUL_VOTES_PER_ACCOUNT, subject: me.id }]);
  return db.transaction().execute(async (trx) => {
    const { consultation, comment } = await loadComment(trx, me, consultationSlug, commentId);
    requireOpen(consultation, await databaseNow(trx));
    await requireMayTakePart(trx, me);
    if (!(await q.deleteVote(trx, comment.id, me.id))) return { voted: false, changed: false };
    await q.addToHelpfulCount(trx, comment.id, -1);
    return { voted: false, changed: true };
  });
}

/**
 * Signed-in people other than the author, also after the close: reports a comment to the
 * moderators, once per person. When the reports reach the consultation's threshold the comment
 * is hidden and the audit log says so. The comment row is locked, so simultaneous reports are
 * each counted exactly once.
 */
export async function flagComment(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  commentId: string,
  input: FlagInput,
  ctx: RequestContext,
): Promise<{ hidden: boolean }> {
  const me = requireSignedIn(viewer);
  await enforceRateLimits(db, [{ rule: FLAGS_PER_ACCOUNT, subject: me.id }]);
  return db.transaction().execute(async (trx) => {
    const { consultation, comment } = await loadComment(trx, me, consultationSlug, commentId, {
      forUpdate: true,
    });
    if (comment.author_id === me.id) {
      throw new DomainError(
        'invalid',
        'You cannot report your own comment. You can edit or delete it instead.',
      );
    }
    if (comment.status === 'deleted') {
      throw new DomainError('invalid', 'This comment was deleted, so there is nothing to report.');
    }
    await requireMayTakePart(trx, me);
    const flag = await q.insertFlag(trx, {
      comment_id: comment.id,
      user_id: me.id,
      reason: input.reason,
      note: input.note,
    });
    if (!flag) throw conflict('You have already reported this comment.');
    const after = await q.addFlag(trx, comment.id, consultation.flag_threshold);
    if (comment.status === 'visible' && after.status === 'hidden') {
      await recordAudit(trx, {
        actorId: null,
        action: 'comment.auto_hidden',
        targetType: 'comment',
        targetId: comment.id,
        consultationId: consultation.id,
        reason: `Reported by ${after.flag_count} people; this consultation hides a comment at ${consultation.flag_threshold}.`,
        before: { status: comment.status },
        after: { status: after.status, flagCount: after.flag_count },
        requestId: ctx.requestId,
      });
    }
    return { hidden: after.status === 'hidden' };
  });
}

type ListedRow = Omit<
  Awaited<ReturnType<typeof q.listReplies>>[number],
  'position' | 'thread_total'
>;

export type CommentView = {
  id: string;
  parentId: string | null;
  depth: number;
  status: CommentStatus;
  /** Null when the viewer may not read the text (deleted, or hidden or held for someone else). */
  bodyHtml: string | null;
  author: { displayName: string; segment: Segment; verified: boolean } | null;
  /** Why the comment is not shown as usual, in words for the page; null for a normal comment. */
  notice: string | null;
  createdAt: Date;
  editedAt: Date | null;
  helpfulCount: number;
  isOwn: boolean;
  viewerVoted: boolean;
  viewerFlagged: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canVote: boolean;
  canFlag: boolean;
  canReply: boolean;
  replies: CommentView[];
  /** Replies the viewer could see that this page leaves out (top-level comments only). */
  omittedReplies: number;
};

export const COMMENT_NOTICES = {
  deleted: 'This comment was deleted',
  hidden: 'This comment is hidden while a moderator reviews it',
  hiddenOwn:
    'Only you can see this comment: readers reported it, so it is hidden until a moderator reviews it',
  hiddenUnreportedOwn: 'Only you can see this comment: it is hidden until a moderator reviews it',
  hiddenByModerator: 'A moderator hid this comment',
  hiddenByModeratorOwn: 'Only you can see this comment: a moderator hid it. Your messages say why.',
  hiddenBySuspension:
    'Only you can see this comment: it was hidden when your account was suspended',
  heldOthers: 'This comment is waiting for a moderator’s review',
  heldLinks:
    'Held for review: only you can see this comment until a moderator approves it, because it has more than two links',
  heldDuplicate:
    'Held for review: only you can see this comment until a moderator approves it, because it repeats a comment you posted in the last day',
  heldPreModeration:
    'Held for review: only you can see this comment until a moderator approves it, because every comment on this consultation is reviewed before it is published',
} as const;

type Presenter = {
  viewer: Viewer | null;
  open: boolean;
  voted: Set<string>;
  flagged: Set<string>;
};

function noticeFor(row: ListedRow, isOwn: boolean): string | null {
  switch (row.status) {
    case 'visible':
      return null;
    case 'deleted':
      return COMMENT_NOTICES.deleted;
    case 'hidden':
      if (row.hidden_by_suspension) {
        return isOwn ? COMMENT_NOTICES.hiddenBySuspension : COMMENT_NOTICES.hidden;
      }
      // A moderator's decision sets reviewed_at; reports alone leave it empty.
      if (row.reviewed_at) {
        return isOwn ? COMMENT_NOTICES.hiddenByModeratorOwn : COMMENT_NOTICES.hiddenByModerator;
      }
      // Says "reported" only when there are reports (an undone decision can leave none).
      if (!isOwn) return COMMENT_NOTICES.hidden;
      return row.flag_count > 0 ? COMMENT_NOTICES.hiddenOwn : COMMENT_NOTICES.hiddenUnreportedOwn;
    case 'held':
      if (!isOwn) return COMMENT_NOTICES.heldOthers;
      return row.held_reason === 'duplicate'
        ? COMMENT_NOTICES.heldDuplicate
        : row.held_reason === 'pre_moderation'
          ? COMMENT_NOTICES.heldPreModeration
          : COMMENT_NOTICES.heldLinks;
  }
}

function present(row: ListedRow, p: Presenter): CommentView {
  const isOwn = p.viewer?.id === row.author_id;
  const readable =
    row.status === 'visible' || (isOwn && (row.status === 'hidden' || row.status === 'held'));
  const published = row.status === 'visible';
  const flagged = p.flagged.has(row.id);
  return {
    id: row.id,
    parentId: row.parent_id,
    depth: row.depth,
    status: row.status,
    bodyHtml: readable ? storedHtml(row.body_html, row.body) : null,
    author: readable
      ? {
          displayName: row.author_display_name,
          segment: row.author_segment,
          verified: row.author_verified,
        }
      : null,
    notice: noticeFor(row, isOwn),
    createdAt: row.created_at,
    editedAt: readable ? row.edited_at : null,
    helpfulCount: published ? row.helpful_count : 0,
    isOwn,
    viewerVoted: p.voted.has(row.id),
    viewerFlagged: flagged,
    canEdit: isOwn && (published || row.status === 'held') && row.editable && p.open,
    canDelete: isOwn && row.status !== 'deleted',
    canVote: !!p.viewer && !isOwn && published && p.open,
    canFlag: !!p.viewer && !isOwn && published && !flagged,
    canReply: !!p.viewer && published && row.depth < 2 && p.open,
    replies: [],
    omittedReplies: 0,
  };
}

async function visibleCounts(
  db: Db,
  consultation: DiscussionConsultation,
  recommendationId?: string,
) {
  const rows = await q.countVisible(db, consultation.id, recommendationId);
  return new Map(rows.map((r) => [r.recommendation_id, r.count]));
}

/**
 * Public: a page of a recommendation's top-level comments in the chosen order, each with its
 * replies nested oldest first, as the viewer may see them (see CommentView), and the number of
 * published comments and replies.
 */
export async function listComments(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  recommendationSlug: string,
  options: { sort?: CommentSort; cursor?: string | null } = {},
) {
  const sort = options.sort ?? 'newest';
  const { consultation, recommendation } = await findRecommendation(
    db,
    viewer,
    consultationSlug,
    recommendationSlug,
  );
  const viewerId = viewer?.id ?? null;
  const rows = await q.listTopLevel(db, {
    recommendationId: recommendation.id,
    viewerId,
    sort,
    after: decodeKeyset(options.cursor, { withCount: sort === 'helpful' }),
    limit: COMMENTS_PAGE_SIZE,
  });
  const page = rows.slice(0, COMMENTS_PAGE_SIZE);
  const replies = await q.listReplies(db, {
    threadIds: page.map((r) => r.id),
    viewerId,
    perThread: REPLIES_PER_THREAD,
  });
  const ids = [...page.map((r) => r.id), ...replies.map((r) => r.id)];
  const p: Presenter = {
    viewer,
    open: phaseOf(consultation) === 'open',
    voted: viewerId ? await q.votedBy(db, viewerId, ids) : new Set(),
    flagged: viewerId ? await q.flaggedBy(db, viewerId, ids) : new Set(),
  };
  const comments = page.map((row) => present(row, p));
  const byId = new Map(comments.map((c) => [c.id, c]));
  for (const reply of replies) {
    const view = present(reply, p);
    byId.set(view.id, view);
    // A reply whose parent fell outside the page's bound has nothing to hang from.
    byId.get(reply.parent_id!)?.replies.push(view);
  }
  const shown = new Map<string, number>();
  const totals = new Map<string, number>();
  for (const reply of replies) {
    shown.set(reply.thread_id!, (shown.get(reply.thread_id!) ?? 0) + 1);
    totals.set(reply.thread_id!, reply.thread_total);
  }
  for (const comment of comments) {
    comment.omittedReplies = (totals.get(comment.id) ?? 0) - (shown.get(comment.id) ?? 0);
  }
  const last = page[page.length - 1];
  const counts = await visibleCounts(db, consultation, recommendation.id);
  return {
    sort,
    comments,
    nextCursor:
      rows.length > COMMENTS_PAGE_SIZE && last
        ? encodeKeyset({
            at: last.keyset_at,
            id: last.id,
            ...(sort === 'helpful' ? { count: last.helpful_count } : {}),
          })
        : null,
    visibleCount: counts.get(recommendation.id) ?? 0,
    canComment: !!viewer && p.open && recommendation.state === 'open',
  };
}
export type CommentsPage = Awaited<ReturnType<typeof listComments>>;

/**
 * Public: the number of published comments and replies on each recommendation of a
 * consultation, by recommendation slug (an index-only count, no counter to drift).
 */
export async function countComments(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
): Promise<Record<string, number>> {
  const consultation = await findConsultation(db, viewer, consultationSlug);
  const counts = await visibleCounts(db, consultation);
  const recommendations = await q.listRecommendations(db, consultation.id);
  return Object.fromEntries(recommendations.map((r) => [r.slug, counts.get(r.id) ?? 0]));
}

/**
 * Signed-in people: one comment as its edit, delete and report pages need it. The raw text is
 * given to its author only; others get what they could read on the page anyway.
 */
export async function getComment(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  recommendationSlug: string,
  commentId: string,
) {
  const me = requireSignedIn(viewer);
  const { consultation, comment } = await loadComment(db, me, consultationSlug, commentId);
  const { recommendation } = await findRecommendation(db, me, consultationSlug, recommendationSlug);
  if (comment.recommendation_id !== recommendation.id) throw notFound('comment');
  const isOwn = comment.author_id === me.id;
  const open = phaseOf(consultation) === 'open';
  const readable = comment.status === 'visible' || (isOwn && comment.status !== 'deleted');
  return {
    id: comment.id,
    status: comment.status,
    isOwn,
    body: isOwn ? comment.body : null,
    bodyHtml: readable ? storedHtml(comment.body_html, comment.body) : null,
    canEdit:
      isOwn &&
      open &&
      comment.editable &&
      (comment.status === 'visible' || comment.status === 'held'),
    canDelete: isOwn && comment.status !== 'deleted',
    canFlag: !isOwn && comment.status === 'visible',
  };
}

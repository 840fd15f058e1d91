import type { Kysely } from 'kysely';
import type { CommentStatus, DB, Segment } from '#db/schema';
import { phaseOf } from '~/lib/phase';
import { type CommentSort } from '~/lib/schemas/discussion';
import type { Viewer } from '../auth';
import { requireSignedIn } from '../auth/permissions';
import { notFound } from '../errors';
import { decodeKeyset, encodeKeyset } from '../keyset';
import { storedHtml } from '../markdown';
import {
  findConsultation,
  findRecommendation,
  type DiscussionConsultation,
} from '../participation';
import { loadComment, type Db } from './stored-comment';
import * as q from './queries';

export const COMMENTS_PAGE_SIZE = 20;
export const REPLIES_PER_THREAD = 50;

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
  viewerReported: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canVote: boolean;
  canReport: boolean;
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
  reported: Set<string>;
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
      return row.report_count > 0 ? COMMENT_NOTICES.hiddenOwn : COMMENT_NOTICES.hiddenUnreportedOwn;
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
  const reported = p.reported.has(row.id);
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
    viewerReported: reported,
    canEdit: isOwn && (published || row.status === 'held') && row.editable && p.open,
    canDelete: isOwn && row.status !== 'deleted',
    canVote: !!p.viewer && !isOwn && published && p.open,
    canReport: !!p.viewer && !isOwn && published && !reported,
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
    reported: viewerId ? await q.reportedBy(db, viewerId, ids) : new Set(),
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
    canReport: !isOwn && comment.status === 'visible',
  };
}

import type { Kysely, Transaction } from 'kysely';
import type { DB, HeldReason } from '#db/schema';
import { MAX_LINKS, countLinks, type CommentInput } from '~/lib/schemas/discussion';
import type { Viewer } from '../auth';
import { requireMayTakePart, requireSignedIn } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError } from '../errors';
import { onceForKey } from '../idempotency';
import { renderForField } from '../markdown';
import { isPreModerated } from '../moderation';
import {
  databaseNow,
  enforceRateLimits,
  findRecommendation,
  requireOpenForComment,
  requireOpen,
  type DiscussionConsultation,
} from '../participation';
import * as limits from './limits';
import { type PostedComment, type StoredComment } from './stored-comment';
import * as q from './queries';

const NOT_FOUND_PARENT =
  'We could not find the comment you are replying to on this recommendation. Reload the page and try again.';

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
    { rule: limits.COMMENTS_PER_MINUTE, subject: me.id },
    { rule: limits.COMMENTS_PER_HOUR, subject: me.id },
    { rule: limits.COMMENTS_PER_IP, subject: ctx.clientIp },
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

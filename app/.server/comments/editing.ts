import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import {
  COMMENT_EDIT_MINUTES,
  MAX_LINKS,
  countLinks,
  type EditCommentInput,
} from '~/lib/schemas/discussion';
import type { Viewer } from '../auth';
import { requireMayTakePart, requireSignedIn } from '../auth/permissions';
import { DomainError, forbidden } from '../errors';
import { renderForField } from '../markdown';
import { databaseNow, enforceRateLimits, requireOpen } from '../participation';
import * as limits from './limits';
import { loadComment, type PostedComment } from './stored-comment';
import * as q from './queries';

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
  await enforceRateLimits(db, [{ rule: limits.COMMENT_EDITS_PER_ACCOUNT, subject: me.id }]);
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

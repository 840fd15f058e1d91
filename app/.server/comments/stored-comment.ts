import type { Kysely, Transaction } from 'kysely';
import type { CommentStatus, DB, HeldReason } from '#db/schema';
import type { Viewer } from '../auth';
import { notFound } from '../errors';
import { isUuid } from '../keyset';
import { findConsultation } from '../participation';
import * as q from './queries';

export type Db = Kysely<DB> | Transaction<DB>;
export type StoredComment = NonNullable<Awaited<ReturnType<typeof q.findComment>>>;

/** What the author is told after posting or editing: a held comment waits for a moderator. */
export type PostedComment = {
  id: string;
  status: CommentStatus;
  heldReason: HeldReason | null;
  /** True when this post repeated one the author had just made: nothing new was stored. */
  repeated?: boolean;
};

/**
 * A comment by id, within the consultation named in the address. Someone else's held comment
 * does not exist for the viewer, as in the listing.
 */
export async function loadComment(
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

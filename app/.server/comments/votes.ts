import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { Viewer } from '../auth';
import { requireMayTakePart, requireSignedIn } from '../auth/permissions';
import { DomainError } from '../errors';
import { databaseNow, enforceRateLimits, requireOpen } from '../participation';
import * as limits from './limits';
import { loadComment, type StoredComment } from './stored-comment';
import * as q from './queries';

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

type VoteOutcome = { voted: boolean; changed: boolean };

/**
 * Signed-in people other than the author, while the consultation is open: marks a published
 * comment helpful. Once per person: the vote's primary key decides, and only the request that
 * inserted the vote counts it.
 */
export function voteHelpful(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  commentId: string,
): Promise<VoteOutcome> {
  return setHelpfulVote(db, viewer, consultationSlug, commentId, true);
}

/** Signed-in people, while the consultation is open: takes back their "helpful" vote. */
export function unvoteHelpful(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  commentId: string,
): Promise<VoteOutcome> {
  return setHelpfulVote(db, viewer, consultationSlug, commentId, false);
}

// Voting and taking a vote back differ only in the row written and the sign of the count;
// only the request whose insert or delete took effect moves the count.
async function setHelpfulVote(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  commentId: string,
  voted: boolean,
): Promise<VoteOutcome> {
  const me = requireSignedIn(viewer);
  await enforceRateLimits(db, [{ rule: limits.HELPFUL_VOTES_PER_ACCOUNT, subject: me.id }]);
  return db.transaction().execute(async (trx) => {
    const { consultation, comment } = await loadComment(trx, me, consultationSlug, commentId);
    // Taking a vote back is allowed on a comment that has since been hidden or deleted.
    if (voted) requireVotable(comment, me);
    requireOpen(consultation, await databaseNow(trx));
    await requireMayTakePart(trx, me);
    const written = voted
      ? await q.insertVote(trx, comment.id, me.id)
      : await q.deleteVote(trx, comment.id, me.id);
    if (!written) return { voted, changed: false };
    await q.addToHelpfulCount(trx, comment.id, voted ? 1 : -1);
    return { voted, changed: true };
  });
}

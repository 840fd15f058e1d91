import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { ReportInput } from '~/lib/schemas/discussion';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import { requireMayTakePart, requireSignedIn } from '../auth/permissions';
import type { RequestContext } from '../context';
import { DomainError, conflict } from '../errors';
import { enforceRateLimits } from '../participation';
import * as limits from './limits';
import { loadComment } from './stored-comment';
import * as q from './queries';

/**
 * Signed-in people other than the author, also after the close: reports a comment to the
 * moderators, once per person. When the reports reach the consultation's threshold the comment
 * is hidden and the audit log says so. The comment row is locked, so simultaneous reports are
 * each counted exactly once.
 */
export async function reportComment(
  db: Kysely<DB>,
  viewer: Viewer | null,
  consultationSlug: string,
  commentId: string,
  input: ReportInput,
  ctx: RequestContext,
): Promise<{ hidden: boolean }> {
  const me = requireSignedIn(viewer);
  await enforceRateLimits(db, [{ rule: limits.REPORTS_PER_ACCOUNT, subject: me.id }]);
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
    const report = await q.insertReport(trx, {
      comment_id: comment.id,
      user_id: me.id,
      reason: input.reason,
      note: input.note,
    });
    if (!report) throw conflict('You have already reported this comment.');
    const after = await q.addReport(trx, comment.id, consultation.report_threshold);
    if (comment.status === 'visible' && after.status === 'hidden') {
      await recordAudit(trx, {
        actorId: null,
        action: 'comment.auto_hidden',
        targetType: 'comment',
        targetId: comment.id,
        consultationId: consultation.id,
        reason: `Reported by ${after.report_count} people; this consultation hides a comment at ${consultation.report_threshold}.`,
        before: { status: comment.status },
        after: { status: after.status, reportCount: after.report_count },
        requestId: ctx.requestId,
      });
    }
    return { hidden: after.status === 'hidden' };
  });
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type { LiftInput, SuspendInput } from '~/lib/schemas/trust';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, conflict, notFound } from '../errors';
import { isUuid } from '../keyset';
import { notify } from '../notifications';
import { untilText } from './messages';
import * as q from './queries';
import { requireSiteOrganiser } from '../auth/permissions';

type Db = Kysely<DB> | Transaction<DB>;

const DAY_MS = 24 * 60 * 60 * 1000;
const LENGTH_DAYS = { '1d': 1, '7d': 7, '30d': 30 } as const;

/** The viewer's own suspension in force now, if any (to explain it on their account pages). */
export async function getMySuspension(db: Db, viewer: Viewer | null) {
  if (!viewer) return null;
  const s = await q.findActiveSuspension(db, viewer.id);
  return s ? { reason: s.reason, endsAt: s.ends_at, startsAt: s.starts_at } : null;
}

/** Site-wide organisers: the account with that email address, or a field error. */
export async function findAccountByEmail(db: Db, viewer: Viewer | null, email: string) {
  requireSiteOrganiser(viewer);
  const id = await q.findAccountIdByEmail(db, email);
  if (!id) {
    throw new DomainError('invalid', 'No account uses that email address', {
      fieldErrors: { email: ['No account uses that email address. Check it and try again.'] },
    });
  }
  return id;
}

/** Site-wide organisers: accounts suspended now. */
export async function listSuspendedAccounts(db: Db, viewer: Viewer | null) {
  requireSiteOrganiser(viewer);
  const rows = await q.listActiveSuspensions(db);
  return rows.map((r) => ({
    userId: r.user_id,
    email: r.email,
    displayName: r.display_name,
    reason: r.reason,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
  }));
}

/** Site-wide organisers: one account with its suspensions, for the account page. */
export async function getAccountForOrganiser(db: Db, viewer: Viewer | null, userId: string) {
  const me = requireSiteOrganiser(viewer);
  const account = isUuid(userId) ? await q.findAccount(db, userId) : undefined;
  if (!account) throw notFound('account');
  const [active, history, publicComments, staff] = await Promise.all([
    q.findActiveSuspension(db, userId),
    q.listSuspensionsOf(db, userId),
    q.countPublicComments(db, userId),
    q.hasStaffRole(db, userId),
  ]);
  const hidden = await q.countHiddenBySuspension(
    db,
    history.map((s) => s.id),
  );
  return {
    account: {
      id: account.id,
      email: account.email,
      displayName: account.display_name,
      organisation: account.organisation,
      segment: account.segment,
      verified: account.verified,
      verifiedRole: account.verified_role,
      createdAt: account.created_at,
    },
    activeSuspensionId: active?.id ?? null,
    suspensions: history.map((s) => ({
      id: s.id,
      reason: s.reason,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      createdByName: s.created_by_name,
      liftedAt: s.lifted_at,
      liftedByName: s.lifted_by_name,
      liftReason: s.lift_reason,
      hiddenComments: hidden.get(s.id) ?? 0,
    })),
    publicComments,
    isStaff: staff,
    isSelf: me.id === account.id,
  };
}

async function auditHidden(
  trx: Transaction<DB>,
  actorId: string,
  action: 'comment.hidden_by_suspension' | 'comment.restored_after_suspension',
  suspensionId: string,
  comments: { consultation_id: string }[],
  ctx: RequestContext,
) {
  const byConsultation = new Map<string, number>();
  for (const c of comments) {
    byConsultation.set(c.consultation_id, (byConsultation.get(c.consultation_id) ?? 0) + 1);
  }
  // One entry per consultation, so each consultation's own log shows what happened to it.
  for (const [consultationId, count] of byConsultation) {
    await recordAudit(trx, {
      actorId,
      action,
      targetType: 'suspension',
      targetId: suspensionId,
      consultationId,
      after: { comments: count },
      requestId: ctx.requestId,
    });
  }
}

/**
 * Site-wide organisers: suspends an account for a time or until lifted, ends its sessions and,
 * if asked, hides its comments, all in one transaction with the audit events and a message to
 * the person. Staff accounts lose their roles first; nobody suspends themselves.
 */
export async function suspendAccount(
  db: Kysely<DB>,
  viewer: Viewer | null,
  userId: string,
  input: SuspendInput,
  ctx: RequestContext,
) {
  const me = requireSiteOrganiser(viewer);
  if (!isUuid(userId)) throw notFound('account');
  if (me.id === userId) throw new DomainError('invalid', 'You cannot suspend your own account.');
  return db.transaction().execute(async (trx) => {
    const account = await q.lockAccount(trx, userId);
    if (!account) throw notFound('account');
    if (await q.hasStaffRole(trx, userId)) {
      throw new DomainError(
        'invalid',
        'This account is a moderator or organiser. Remove its roles on the team pages first.',
      );
    }
    const current = await q.lockUnliftedSuspension(trx, userId);
    if (current && !current.ended) {
      throw conflict(
        `This account is already suspended ${untilText(current.ends_at)}. Lift that suspension first to change it.`,
      );
    }
    if (current) {
      await q.closeSuspension(trx, current.id, {
        by: null,
        reason: 'Ran out',
        at: current.ends_at!,
      });
    }
    const now = await databaseNow(trx);
    const endsAt =
      input.length === 'permanent'
        ? null
        : input.length === 'until'
          ? input.until
          : new Date(now.getTime() + LENGTH_DAYS[input.length] * DAY_MS);
    if (endsAt && endsAt <= now) {
      throw new DomainError('invalid', 'The end of the suspension must be in the future', {
        fieldErrors: { until: ['Enter a date and time in the future'] },
      });
    }
    const suspension = await q.insertSuspension(trx, {
      userId,
      reason: input.reason,
      endsAt,
      createdBy: me.id,
    });
    const sessionsEnded = await q.deleteSessions(trx, userId);
    const hidden = input.hideContent ? await q.hideCommentsOf(trx, suspension.id, userId) : [];
    await recordAudit(trx, {
      actorId: me.id,
      action: 'account.suspended',
      targetType: 'user',
      targetId: userId,
      reason: input.reason,
      after: {
        suspensionId: suspension.id,
        endsAt: suspension.ends_at,
        sessionsEnded,
        commentsHidden: hidden.length,
      },
      requestId: ctx.requestId,
    });
    await auditHidden(trx, me.id, 'comment.hidden_by_suspension', suspension.id, hidden, ctx);
    await notify(trx, {
      userId,
      kind: 'account.suspended',
      subject: 'Your account has been suspended',
      body: `Your account is suspended ${untilText(suspension.ends_at)}. Reason: ${input.reason}${hidden.length ? `\n\n${hidden.length} of your comments are hidden while it lasts.` : ''}\n\nYou can still read consultations, but you cannot respond, comment, endorse or report comments.`,
      link: '/account/profile',
    });
    return { suspensionId: suspension.id, commentsHidden: hidden.length };
  });
}

/**
 * Site-wide organisers: lifts the account's suspension now, putting back the comments it hid if
 * asked. Lifting twice (two tabs) tells the second that it is already lifted.
 */
export async function liftSuspension(
  db: Kysely<DB>,
  viewer: Viewer | null,
  userId: string,
  input: LiftInput,
  ctx: RequestContext,
) {
  const me = requireSiteOrganiser(viewer);
  if (!isUuid(userId)) throw notFound('account');
  return db.transaction().execute(async (trx) => {
    const account = await q.lockAccount(trx, userId);
    if (!account) throw notFound('account');
    const current = await q.lockUnliftedSuspension(trx, userId);
    if (!current || current.ended) {
      throw conflict('This account is not suspended any more: someone lifted it, or it ran out.');
    }
    await q.closeSuspension(trx, current.id, { by: me.id, reason: input.reason });
    const restored = input.restoreContent ? await q.restoreCommentsOf(trx, current.id) : [];
    await recordAudit(trx, {
      actorId: me.id,
      action: 'account.suspension_lifted',
      targetType: 'user',
      targetId: userId,
      reason: input.reason,
      before: { suspensionId: current.id, endsAt: current.ends_at },
      after: { commentsRestored: restored.length },
      requestId: ctx.requestId,
    });
    await auditHidden(trx, me.id, 'comment.restored_after_suspension', current.id, restored, ctx);
    await notify(trx, {
      userId,
      kind: 'account.suspension_lifted',
      subject: 'Your suspension has been lifted',
      body: `You can take part again: respond, comment and endorse.${restored.length ? ` ${restored.length} of your comments are shown again.` : ''}`,
      link: '/consultations',
    });
    return { commentsRestored: restored.length };
  });
}

/**
 * Site-wide organisers: hides the account's comments under a suspension in force, or puts back
 * what a suspension hid. Both only touch comments no one has changed since, and repeat safely.
 */
export async function changeSuspendedContent(
  db: Kysely<DB>,
  viewer: Viewer | null,
  userId: string,
  input: { intent: 'hide-content' | 'restore-content'; suspensionId: string },
  ctx: RequestContext,
) {
  const me = requireSiteOrganiser(viewer);
  if (!isUuid(userId)) throw notFound('account');
  return db.transaction().execute(async (trx) => {
    const account = await q.lockAccount(trx, userId);
    if (!account) throw notFound('account');
    const suspension = (await q.listSuspensionsOf(trx, userId)).find(
      (s) => s.id === input.suspensionId,
    );
    if (!suspension) throw notFound('suspension');
    if (input.intent === 'hide-content') {
      const active = await q.findActiveSuspension(trx, userId);
      if (active?.id !== suspension.id) {
        throw conflict('That suspension is no longer in force, so nothing was hidden.');
      }
      const hidden = await q.hideCommentsOf(trx, suspension.id, userId);
      await auditHidden(trx, me.id, 'comment.hidden_by_suspension', suspension.id, hidden, ctx);
      if (hidden.length) {
        await recordAudit(trx, {
          actorId: me.id,
          action: 'account.content_hidden',
          targetType: 'user',
          targetId: userId,
          after: { suspensionId: suspension.id, commentsHidden: hidden.length },
          requestId: ctx.requestId,
        });
      }
      return { changed: hidden.length };
    }
    const restored = await q.restoreCommentsOf(trx, suspension.id);
    await auditHidden(
      trx,
      me.id,
      'comment.restored_after_suspension',
      suspension.id,
      restored,
      ctx,
    );
    if (restored.length) {
      await recordAudit(trx, {
        actorId: me.id,
        action: 'account.content_restored',
        targetType: 'user',
        targetId: userId,
        after: { suspensionId: suspension.id, commentsRestored: restored.length },
        requestId: ctx.requestId,
      });
    }
    return { changed: restored.length };
  });
}

async function databaseNow(db: Db) {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(db);
  return rows[0]!.now;
}

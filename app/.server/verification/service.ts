import { sql, type Kysely } from 'kysely';
import type { DB, VerificationStatus } from '#db/schema';
import type { VerificationDecisionInput, VerificationRequestInput } from '~/lib/schemas/trust';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { conflict, isUniqueViolation, notFound } from '../errors';
import { decodeKeyset, encodeKeyset, isUuid } from '../keyset';
import { notify } from '../notifications';
import {
  requireConfirmedEmail,
  requireSignedIn,
  requireNotSuspended,
  requireSiteOrganiser,
} from '../auth/permissions';
import * as q from './queries';

// Verification belongs to a person's profile, across every consultation, so (like suspensions)
// only site-wide organisers decide it.

export const VERIFICATION_PAGE_SIZE = 25;

function presentRequest(row: Awaited<ReturnType<typeof q.listRequestsOf>>[number]) {
  return {
    id: row.id,
    organisation: row.organisation,
    role: row.role,
    evidence: row.evidence,
    evidenceUrl: row.evidence_url,
    status: row.status,
    decidedAt: row.decided_at,
    decisionNote: row.decision_note,
    createdAt: row.created_at,
  };
}

/** The signed-in person: their badge and their requests. */
export async function getMyVerification(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const profile = await db
    .selectFrom('respondent_profiles')
    .select(['organisation', 'verified', 'verified_role'])
    .where('user_id', '=', me.id)
    .executeTakeFirstOrThrow();
  const requests = (await q.listRequestsOf(db, me.id)).map(presentRequest);
  return {
    verified: profile.verified,
    organisation: profile.organisation,
    verifiedRole: profile.verified_role,
    pending: requests.find((r) => r.status === 'pending') ?? null,
    requests,
  };
}

/**
 * The signed-in person: asks the organisers to verify an organisation and role. One request
 * waits at a time (a unique index decides between two tabs).
 */
export async function requestVerification(
  db: Kysely<DB>,
  viewer: Viewer | null,
  input: VerificationRequestInput,
  ctx: RequestContext,
) {
  const me = requireSignedIn(viewer);
  try {
    return await db.transaction().execute(async (trx) => {
      // A verified badge is public: only for an account whose address is proven, and not
      // suspended.
      await requireNotSuspended(trx, me.id);
      await requireConfirmedEmail(trx, me.id);
      const row = await q.insertRequest(trx, { userId: me.id, ...input });
      await recordAudit(trx, {
        actorId: me.id,
        action: 'verification.requested',
        targetType: 'verification_request',
        targetId: row.id,
        after: { organisation: input.organisation, role: input.role },
        requestId: ctx.requestId,
      });
      return { id: row.id };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'verification_requests_one_pending_idx')) {
      throw conflict(
        'You already have a request waiting for the organisers. You will get a message when they decide.',
      );
    }
    throw error;
  }
}

/** Site-wide organisers: requests in one state, oldest first, by keyset. */
export async function listVerificationRequests(
  db: Kysely<DB>,
  viewer: Viewer | null,
  options: { status: VerificationStatus; cursor: string | null },
) {
  requireSiteOrganiser(viewer);
  const after = decodeKeyset(options.cursor);
  const rows = await q.listRequests(db, options.status, after, VERIFICATION_PAGE_SIZE + 1);
  const page = rows.slice(0, VERIFICATION_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    requests: page.map((row) => ({
      ...presentRequest(row),
      email: row.email,
      displayName: row.display_name,
      segment: row.segment,
    })),
    nextCursor:
      rows.length > VERIFICATION_PAGE_SIZE && last
        ? encodeKeyset({ at: last.cursor_at, id: last.id })
        : null,
  };
}

/** Site-wide organisers: one request with the person it is about. */
export async function getVerificationRequest(db: Kysely<DB>, viewer: Viewer | null, id: string) {
  requireSiteOrganiser(viewer);
  const row = isUuid(id) ? await q.findRequest(db, id) : undefined;
  if (!row) throw notFound('verification request');
  return {
    ...presentRequest(row),
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    segment: row.segment,
    profileOrganisation: row.profile_organisation,
    profileVerified: row.profile_verified,
    decidedByName: row.decided_by_name,
  };
}

/**
 * Site-wide organisers: approves or rejects a waiting request. Approval sets the person's badge
 * (their profile's organisation becomes the verified one) and shows it on their comments and
 * endorsements; an earlier approval is replaced. The person is told either way. A request
 * someone else decided first is refused with who did it.
 */
export async function decideVerification(
  db: Kysely<DB>,
  viewer: Viewer | null,
  id: string,
  input: VerificationDecisionInput,
  ctx: RequestContext,
) {
  const me = requireSiteOrganiser(viewer);
  if (!isUuid(id)) throw notFound('verification request');
  return db.transaction().execute(async (trx) => {
    const request = await q.findRequest(trx, id, { forUpdate: true });
    if (!request) throw notFound('verification request');
    if (request.status !== 'pending') {
      // Read again: a row locked after waiting keeps the joins of the snapshot it waited in.
      const decided = await q.findRequest(trx, id);
      throw conflict(
        `This request was already ${request.status}${decided?.decided_by_name ? ` by ${decided.decided_by_name}` : ''}. Nothing was changed.`,
      );
    }
    const approve = input.decision === 'approve';
    if (approve) {
      const earlier = await q.findApproved(trx, request.user_id);
      if (earlier) {
        await q.setStatus(trx, earlier.id, {
          status: 'revoked',
          by: me.id,
          note: 'Replaced by a newer verification',
        });
      }
      await q.setProfileVerification(trx, request.user_id, {
        verified: true,
        organisation: request.organisation,
        role: request.role,
      });
    }
    await q.setStatus(trx, id, {
      status: approve ? 'approved' : 'rejected',
      by: me.id,
      note: input.note,
    });
    await recordAudit(trx, {
      actorId: me.id,
      action: approve ? 'verification.approved' : 'verification.rejected',
      targetType: 'verification_request',
      targetId: id,
      reason: input.note,
      before: { status: 'pending', verified: request.profile_verified },
      after: {
        status: approve ? 'approved' : 'rejected',
        verified: approve || request.profile_verified,
        userId: request.user_id,
        organisation: request.organisation,
        role: request.role,
      },
      requestId: ctx.requestId,
    });
    await notify(trx, {
      userId: request.user_id,
      kind: approve ? 'verification.approved' : 'verification.rejected',
      subject: approve
        ? `You are verified as ${request.role} at ${request.organisation}`
        : 'Your verification request was not approved',
      body: approve
        ? `Your comments and endorsements now show a verified badge.${input.note ? `\n\nNote from the organisers: ${input.note}` : ''}`
        : `The organisers could not verify you as ${request.role} at ${request.organisation}.\n\nTheir note: ${input.note}\n\nYou can send a new request with more evidence.`,
      link: '/account/verification',
    });
    return { status: approve ? ('approved' as const) : ('rejected' as const) };
  });
}

/** Site-wide organisers: removes a person's badge everywhere, saying why. */
export async function revokeVerification(
  db: Kysely<DB>,
  viewer: Viewer | null,
  userId: string,
  note: string,
  ctx: RequestContext,
) {
  const me = requireSiteOrganiser(viewer);
  if (!isUuid(userId)) throw notFound('account');
  return db.transaction().execute(async (trx) => {
    const approved = await q.findApproved(trx, userId);
    const profile = await trx
      .selectFrom('respondent_profiles')
      .select('verified')
      .where('user_id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    if (!profile) throw notFound('account');
    if (!profile.verified)
      throw conflict('This person is not verified, so there is nothing to revoke.');
    if (approved) await q.setStatus(trx, approved.id, { status: 'revoked', by: me.id, note });
    await q.setProfileVerification(trx, userId, { verified: false });
    await recordAudit(trx, {
      actorId: me.id,
      action: 'verification.revoked',
      targetType: 'user',
      targetId: userId,
      reason: note,
      before: { verified: true, organisation: approved?.organisation, role: approved?.role },
      after: { verified: false },
      requestId: ctx.requestId,
    });
    await notify(trx, {
      userId,
      kind: 'verification.revoked',
      subject: 'Your verified badge has been removed',
      body: `The organisers removed your verification. Their note: ${note}\n\nYou can send a new request.`,
      link: '/account/verification',
    });
  });
}

/** Site-wide organisers: how many requests wait for a decision. */
export async function countPendingVerifications(db: Kysely<DB>, viewer: Viewer | null) {
  requireSiteOrganiser(viewer);
  const row = await db
    .selectFrom('verification_requests')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return row.n;
}

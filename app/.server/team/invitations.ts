import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB, StaffRole } from '#db/schema';
import { minutesToWait } from '~/lib/wait';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, conflict, isUniqueViolation } from '../errors';
import { absoluteUrl, hashToken, queueEmail } from '../mail';
import { notify } from '../notifications';
import { hitRateLimit, type RateLimit } from '../rate-limits';
import { findActiveSuspension } from '../suspensions/queries';
import * as q from './queries';
import { requireSignedIn } from '../auth/permissions';

type Db = Kysely<DB> | Transaction<DB>;

export const INVITATION_LIFETIME_SECONDS = 7 * 24 * 3600;

/** Each invitation is an email to an address of the inviter's choosing: a bounded number. */
export const INVITATIONS_PER_ORGANISER: RateLimit = {
  name: 'role-invitations',
  limit: 20,
  windowSeconds: 3600,
};

export const ROLE_NAMES: Record<StaffRole, string> = {
  moderator: 'moderator',
  organiser: 'organiser',
};

/** Where a role applies: one consultation, or (null) every consultation. */
export type Place = { id: string; slug: string; title: string } | null;

function roleWords(role: StaffRole, place: Place) {
  return place ? `a ${ROLE_NAMES[role]} of ${place.title}` : `a site-wide ${ROLE_NAMES[role]}`;
}

/** The page a new moderator or organiser works from. */
export function staffHome(role: StaffRole, slug: string | null) {
  const base = role === 'organiser' ? '/organise' : '/moderation';
  return slug ? `${base}/${slug}` : base;
}

const ROLE_DUTIES: Record<StaffRole, string> = {
  moderator: 'Moderators review reported and held comments.',
  organiser: 'Organisers edit consultations, read their responses and manage their teams.',
};

/** Counts one invitation email sent by `inviterId`; refuses past the hourly limit. */
export async function countInvitationSent(db: Kysely<DB>, inviterId: string) {
  const limit = await hitRateLimit(db, INVITATIONS_PER_ORGANISER, inviterId);
  if (limit.hits > INVITATIONS_PER_ORGANISER.limit) {
    throw new DomainError(
      'rate_limited',
      `You have sent ${INVITATIONS_PER_ORGANISER.limit} invitations in the last hour. Wait ${minutesToWait(limit.retryAfterSeconds)}, then try again.`,
      { retryAfterSeconds: limit.retryAfterSeconds },
    );
  }
}

function invitationLink(token: string) {
  return absoluteUrl(`/invitations/accept?token=${encodeURIComponent(token)}`);
}

async function queueInvitationEmail(
  db: Db,
  invitation: { email: string; role: StaffRole; place: Place; inviterName: string | null },
  link: string,
) {
  const account = await q.findAccountByEmail(db, invitation.email);
  const what = roleWords(invitation.role, invitation.place);
  await queueEmail(db, {
    userId: account?.id ?? null,
    to: invitation.email,
    kind: 'role.invitation',
    subject: `You are invited to be ${what}`.slice(0, 200),
    text: [
      `${invitation.inviterName ?? 'The site organisers'} invited ${invitation.email} to be ${what} on Open Consultation. ${ROLE_DUTIES[invitation.role]}`,
      '',
      `To accept, open this link, sign in (or create an account) with this email address, and press "Accept invitation": ${link}`,
      '',
      'The link works for 7 days. If you did not expect this, ignore this email: nothing changes unless you accept.',
    ].join('\n'),
  });
}

/** Refuses to invite an account that cannot or need not take the role. */
async function refuseUnfitAccount(db: Db, email: string, role: StaffRole, place: Place) {
  const account = await q.findAccountByEmail(db, email);
  if (!account) return;
  if (await q.holdsRole(db, account.id, role, place?.id ?? null, { siteWideCounts: false })) {
    throw new DomainError(
      'conflict',
      `${account.display_name} is already ${roleWords(role, place)}.`,
      {
        fieldErrors: { email: [`${account.display_name} is already ${roleWords(role, place)}.`] },
      },
    );
  }
  // A suspension is site-wide; a consultation's team cannot undo it by offering a role.
  if (await findActiveSuspension(db, account.id)) {
    throw new DomainError('invalid', 'That account is suspended', {
      fieldErrors: {
        email: [
          'That account is suspended, so it cannot be given a role. The site organisers can lift the suspension first.',
        ],
      },
    });
  }
}

/**
 * Inside the caller's transaction: offers `role` to whoever proves they own `email`, and emails
 * them a link. An open invitation for the same address, role and place is renewed instead (a new
 * link; the old one stops working). The role itself is only granted by acceptInvitation.
 */
export async function offerRole(
  trx: Transaction<DB>,
  offer: {
    email: string;
    role: StaffRole;
    place: Place;
    inviter: { id: string; name: string } | null;
    requestId: string | null;
    via?: string;
  },
) {
  await refuseUnfitAccount(trx, offer.email, offer.role, offer.place);
  const token = randomBytes(32).toString('base64url');
  const consultationId = offer.place?.id ?? null;
  const open = await q.findOpenInvitation(trx, {
    email: offer.email,
    role: offer.role,
    consultationId,
  });
  let row: { id: string; expires_at: Date };
  try {
    row = open
      ? (await q.renewInvitation(trx, open.id, {
          tokenHash: hashToken(token),
          ttlSeconds: INVITATION_LIFETIME_SECONDS,
          invitedBy: offer.inviter?.id ?? null,
        }))!
      : await q.insertInvitation(trx, {
          email: offer.email,
          role: offer.role,
          consultationId,
          invitedBy: offer.inviter?.id ?? null,
          tokenHash: hashToken(token),
          ttlSeconds: INVITATION_LIFETIME_SECONDS,
        });
  } catch (error) {
    if (isUniqueViolation(error, 'role_invitations_open_idx')) {
      throw conflict('Someone has just invited that address to the same role. Reload the page.');
    }
    throw error;
  }
  await recordAudit(trx, {
    actorId: offer.inviter?.id ?? null,
    action: open ? 'role.invitation_resent' : 'role.invited',
    targetType: 'role_invitation',
    targetId: row.id,
    consultationId,
    // The address stays on the invitation row, not in the append-only log.
    after: {
      role: offer.role,
      scope: offer.place ? 'consultation' : 'site',
      ...(offer.via ? { via: offer.via } : {}),
    },
    requestId: offer.requestId,
  });
  const link = invitationLink(token);
  await queueInvitationEmail(
    trx,
    {
      email: offer.email,
      role: offer.role,
      place: offer.place,
      inviterName: offer.inviter?.name ?? null,
    },
    link,
  );
  return { invitationId: row.id, expiresAt: row.expires_at, renewed: !!open, link };
}

/** Inside the caller's transaction: a new link for an invitation of the consultation. */
export async function resendInvitation(
  trx: Transaction<DB>,
  place: NonNullable<Place>,
  invitationId: string,
  inviter: { id: string; name: string },
  requestId: string | null,
) {
  const invitation = await openInvitationOf(trx, invitationId, place.id);
  return offerRole(trx, {
    email: invitation.email,
    role: invitation.role,
    place,
    inviter,
    requestId,
  });
}

/** Inside the caller's transaction: withdraws an open invitation; its link stops working. */
export async function revokeInvitation(
  trx: Transaction<DB>,
  place: NonNullable<Place>,
  invitationId: string,
  actorId: string,
  requestId: string | null,
) {
  const invitation = await openInvitationOf(trx, invitationId, place.id);
  await q.markRevoked(trx, invitation.id);
  await recordAudit(trx, {
    actorId,
    action: 'role.invitation_revoked',
    targetType: 'role_invitation',
    targetId: invitation.id,
    consultationId: place.id,
    before: { role: invitation.role },
    requestId,
  });
  return { invitationId: invitation.id };
}

async function openInvitationOf(
  trx: Transaction<DB>,
  invitationId: string,
  consultationId: string,
) {
  const invitation = await q.lockInvitationOf(trx, invitationId, consultationId);
  if (!invitation) throw new DomainError('not_found', 'We could not find that invitation.');
  if (invitation.accepted_at || invitation.revoked_at) {
    throw conflict(
      invitation.accepted_at
        ? `${invitation.email} has already accepted that invitation.`
        : 'That invitation has already been withdrawn.',
    );
  }
  return invitation;
}

/** Open invitations of a consultation, for its team page. */
export async function listInvitations(db: Db, consultationId: string) {
  const rows = await q.listOpenInvitations(db, consultationId);
  return rows.map((r) => ({
    invitationId: r.id,
    email: r.email,
    role: r.role,
    invitedByName: r.invited_by_name,
    sentAt: r.sent_at,
    expiresAt: r.expires_at,
    expired: r.expired,
  }));
}

type InvitationRow = NonNullable<Awaited<ReturnType<typeof q.findInvitationByHash>>>;

function placeOf(row: InvitationRow): Place {
  return row.consultation_id
    ? { id: row.consultation_id, slug: row.slug!, title: row.title! }
    : null;
}

function stateOf(row: InvitationRow) {
  if (row.accepted_at) return 'accepted' as const;
  if (row.revoked_at) return 'revoked' as const;
  if (row.expired) return 'expired' as const;
  return 'open' as const;
}

const NO_LONGER: Record<'accepted' | 'revoked' | 'expired', string> = {
  accepted: 'This invitation has already been accepted.',
  revoked: 'This invitation has been withdrawn. Ask the organisers for a new one if you need it.',
  expired: 'This invitation has expired. Ask the organisers to send it again.',
};

export const INVITATION_NOT_VALID =
  'This invitation link is not valid. Check that you copied all of it.';

/**
 * Anyone holding an invitation link: what it offers and whether the viewer could accept it,
 * without using it (mail scanners open links). Null for an unknown link.
 */
export async function describeInvitation(db: Kysely<DB>, viewer: Viewer | null, token: string) {
  if (!token) return null;
  const row = await q.findInvitationByHash(db, hashToken(token));
  if (!row) return null;
  const place = placeOf(row);
  const state = stateOf(row);
  let you: { email: string; matches: boolean; confirmed: boolean } | null = null;
  if (viewer) {
    const account = await db
      .selectFrom('users')
      .select(['email', 'email_verified_at'])
      .where('id', '=', viewer.id)
      .executeTakeFirstOrThrow();
    you = {
      email: account.email,
      matches: account.email === row.email,
      confirmed: account.email_verified_at !== null,
    };
  }
  return {
    email: row.email,
    role: row.role,
    consultation: place ? { slug: place.slug, title: place.title } : null,
    invitedByName: row.invited_by_name,
    expiresAt: row.expires_at,
    state,
    acceptedByYou: state === 'accepted' && !!viewer && row.accepted_by === viewer.id,
    message: state === 'open' ? null : NO_LONGER[state],
    staffHome: staffHome(row.role, place?.slug ?? null),
    you,
  };
}

/** Whether the person who sent a consultation's invitation may still give its roles. */
async function inviterStillOrganises(db: Db, row: InvitationRow) {
  if (!row.invited_by || !row.consultation_id) return false;
  const organises = await q.holdsRole(db, row.invited_by, 'organiser', row.consultation_id, {
    siteWideCounts: true,
  });
  return organises && !(await findActiveSuspension(db, row.invited_by));
}

/**
 * The signed-in person, from an invitation link: takes the offered role, if their account's
 * confirmed address is the invited one, they are not suspended, and the invitation is open
 * (and, for a consultation, its sender still organises it). One transaction makes the grant,
 * the audit event and the messages; of two accepts at once exactly one grants, and the same
 * person pressing twice is told it is done.
 */
export async function acceptInvitation(
  db: Kysely<DB>,
  viewer: Viewer | null,
  token: string,
  ctx: RequestContext,
) {
  const me = requireSignedIn(viewer);
  return db.transaction().execute(async (trx) => {
    const row = await q.findInvitationByHash(trx, hashToken(token));
    if (!row) throw new DomainError('invalid', INVITATION_NOT_VALID);
    const place = placeOf(row);
    const done = {
      role: row.role,
      consultation: place ? { slug: place.slug, title: place.title } : null,
      staffHome: staffHome(row.role, place?.slug ?? null),
    };
    const first = stateOf(row);
    if (first === 'accepted' && row.accepted_by === me.id) return { ...done, already: true };
    if (first !== 'open') throw new DomainError('invalid', NO_LONGER[first]);

    const account = await trx
      .selectFrom('users')
      .select(['email', 'email_verified_at'])
      .where('id', '=', me.id)
      .executeTakeFirstOrThrow();
    if (account.email !== row.email) {
      throw new DomainError(
        'forbidden',
        `This invitation is for ${row.email}, and you are signed in as ${account.email}. Sign out, then sign in with ${row.email} to accept it.`,
      );
    }
    if (!account.email_verified_at) {
      throw new DomainError(
        'unconfirmed',
        'Confirm your email address first: open the link we sent you, then come back to this invitation.',
        { link: { href: '/account/confirm-email', text: 'Send the link again' } },
      );
    }
    if (await findActiveSuspension(trx, me.id)) {
      throw new DomainError(
        'suspended',
        'Your account is suspended, so it cannot take on a role. The invitation stays open until it expires.',
      );
    }
    if (place && !(await inviterStillOrganises(trx, row))) {
      throw new DomainError(
        'invalid',
        'This invitation no longer counts: the person who sent it no longer organises this consultation. Ask one of its organisers to invite you again.',
      );
    }

    const claimed = await q.claimInvitation(trx, row.id, me.id);
    if (!claimed) {
      // Another accept (another tab, or a double press) committed first.
      const now = await q.findInvitationByHash(trx, hashToken(token));
      if (now && now.accepted_by === me.id) return { ...done, already: true };
      const state = now ? stateOf(now) : 'revoked';
      throw new DomainError('invalid', state === 'open' ? INVITATION_NOT_VALID : NO_LONGER[state]);
    }
    const grant = await q.insertGrant(trx, {
      userId: me.id,
      role: row.role,
      consultationId: row.consultation_id,
      grantedBy: row.invited_by,
    });
    await recordAudit(trx, {
      actorId: me.id,
      action: 'role.invitation_accepted',
      targetType: 'user',
      targetId: me.id,
      consultationId: row.consultation_id,
      after: {
        role: row.role,
        scope: place ? 'consultation' : 'site',
        invitationId: row.id,
        grantId: grant?.id ?? null,
        invitedBy: row.invited_by,
      },
      requestId: ctx.requestId,
    });
    const what = roleWords(row.role, place);
    await notify(trx, {
      userId: me.id,
      kind: 'role.granted',
      subject: `You are now ${what}`.slice(0, 200),
      body: `You accepted the invitation${row.invited_by_name ? ` from ${row.invited_by_name}` : ''} to be ${what}.`,
      link: done.staffHome,
    });
    if (row.invited_by && row.invited_by !== me.id) {
      await notify(trx, {
        userId: row.invited_by,
        kind: 'role.invitation_accepted',
        subject: `${me.displayName} accepted your invitation`.slice(0, 200),
        body: `${me.displayName} (${row.email}) is now ${what}.`,
        link: place ? `/organise/${place.slug}/team` : null,
      });
    }
    return { ...done, already: false };
  });
}

/**
 * The command line (`npm run db:grant`), for the first organiser of a new site: a site-wide
 * invitation whose link is printed, and emailed through the outbox.
 */
export async function inviteSiteWide(db: Kysely<DB>, input: { email: string; role: StaffRole }) {
  return db.transaction().execute((trx) =>
    offerRole(trx, {
      email: input.email,
      role: input.role,
      place: null,
      inviter: null,
      requestId: null,
      via: 'command line',
    }),
  );
}

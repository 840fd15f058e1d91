import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, StaffRole } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/** The invitation for this address, role and place that is neither accepted nor withdrawn. */
export async function findOpenInvitation(
  db: Db,
  where: { email: string; role: StaffRole; consultationId: string | null },
) {
  return db
    .selectFrom('role_invitations')
    .select(['id', 'expires_at'])
    .where('email', '=', where.email)
    .where('role', '=', where.role)
    .where((eb) =>
      where.consultationId === null
        ? eb('consultation_id', 'is', null)
        : eb('consultation_id', '=', where.consultationId),
    )
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertInvitation(
  db: Db,
  values: {
    email: string;
    role: StaffRole;
    consultationId: string | null;
    invitedBy: string | null;
    tokenHash: string;
    ttlSeconds: number;
  },
) {
  return db
    .insertInto('role_invitations')
    .values({
      email: values.email,
      role: values.role,
      consultation_id: values.consultationId,
      invited_by: values.invitedBy,
      token_hash: values.tokenHash,
      expires_at: sql<Date>`now() + make_interval(secs => ${values.ttlSeconds})`,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
}

/** A new link and a new expiry for an open invitation: the link sent before stops working. */
export async function renewInvitation(
  db: Db,
  id: string,
  values: { tokenHash: string; ttlSeconds: number; invitedBy?: string | null },
) {
  return db
    .updateTable('role_invitations')
    .set({
      token_hash: values.tokenHash,
      sent_at: sql<Date>`now()`,
      expires_at: sql<Date>`now() + make_interval(secs => ${values.ttlSeconds})`,
      ...(values.invitedBy === undefined ? {} : { invited_by: values.invitedBy }),
    })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returning(['id', 'expires_at'])
    .executeTakeFirst();
}

const INVITATION_COLUMNS = [
  'role_invitations.id',
  'role_invitations.email',
  'role_invitations.role',
  'role_invitations.consultation_id',
  'role_invitations.invited_by',
  'role_invitations.expires_at',
  'role_invitations.accepted_at',
  'role_invitations.accepted_by',
  'role_invitations.revoked_at',
  'consultations.slug',
  'consultations.title',
  'inviter.display_name as invited_by_name',
  sql<boolean>`role_invitations.expires_at <= now()`.as('expired'),
] as const;

/** An invitation by the hash of its link token, whatever its state, with what it is for. */
export async function findInvitationByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('role_invitations')
    .leftJoin('consultations', 'consultations.id', 'role_invitations.consultation_id')
    .leftJoin('respondent_profiles as inviter', 'inviter.user_id', 'role_invitations.invited_by')
    .select(INVITATION_COLUMNS)
    .where('role_invitations.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** One invitation of a consultation, locked for a change. */
export async function lockInvitationOf(db: Db, id: string, consultationId: string) {
  return db
    .selectFrom('role_invitations')
    .select(['id', 'email', 'role', 'accepted_at', 'revoked_at'])
    .where('id', '=', id)
    .where('consultation_id', '=', consultationId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Marks the invitation accepted if it is still open. Of two concurrent claims the second waits
 * for the first to commit, then finds the row no longer open and updates nothing.
 */
export async function claimInvitation(db: Db, id: string, userId: string) {
  return db
    .updateTable('role_invitations')
    .set({ accepted_at: sql<Date>`now()`, accepted_by: userId })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('id')
    .executeTakeFirst();
}

export async function markRevoked(db: Db, id: string) {
  await db
    .updateTable('role_invitations')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Invitations of a consultation still waiting for an answer (expired ones included), oldest first. */
export async function listOpenInvitations(db: Db, consultationId: string) {
  return db
    .selectFrom('role_invitations')
    .leftJoin('respondent_profiles as inviter', 'inviter.user_id', 'role_invitations.invited_by')
    .select([
      'role_invitations.id',
      'role_invitations.email',
      'role_invitations.role',
      'role_invitations.sent_at',
      'role_invitations.expires_at',
      'inviter.display_name as invited_by_name',
      sql<boolean>`role_invitations.expires_at <= now()`.as('expired'),
    ])
    .where('role_invitations.consultation_id', '=', consultationId)
    .where('role_invitations.accepted_at', 'is', null)
    .where('role_invitations.revoked_at', 'is', null)
    .orderBy('role_invitations.created_at')
    .orderBy('role_invitations.id')
    .execute();
}

/** The account using an address, if any, with what decides whether it may hold a role. */
export async function findAccountByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'users.id')
    .select([
      'users.id',
      'users.email',
      'users.email_verified_at',
      'respondent_profiles.display_name',
    ])
    .where('users.email', '=', email)
    .executeTakeFirst();
}

/** Whether the account holds `role` for the consultation (or site-wide, for a null one). */
export async function holdsRole(
  db: Db,
  userId: string,
  role: StaffRole,
  consultationId: string | null,
  options: { siteWideCounts: boolean },
) {
  const row = await db
    .selectFrom('role_grants')
    .select('id')
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .where((eb) =>
      consultationId === null
        ? eb('consultation_id', 'is', null)
        : options.siteWideCounts
          ? eb.or([eb('consultation_id', '=', consultationId), eb('consultation_id', 'is', null)])
          : eb('consultation_id', '=', consultationId),
    )
    .executeTakeFirst();
  return !!row;
}

export async function insertGrant(
  db: Db,
  values: {
    userId: string;
    role: StaffRole;
    consultationId: string | null;
    grantedBy: string | null;
  },
) {
  return db
    .insertInto('role_grants')
    .values({
      user_id: values.userId,
      role: values.role,
      consultation_id: values.consultationId,
      granted_by: values.grantedBy,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
}

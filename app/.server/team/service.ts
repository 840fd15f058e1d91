import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { TeamInput } from '~/lib/schemas/trust';
import { recordAudit } from '../audit';
import { type Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, notFound } from '../errors';
import { notify } from '../notifications';
import { requireOrganisedConsultation } from '../auth/permissions';
import {
  countInvitationSent,
  listInvitations,
  offerRole,
  resendInvitation,
  revokeInvitation,
  ROLE_NAMES,
} from './invitations';

const NOT_TEAM_ORGANISER = 'Only organisers of this consultation can manage its team.';

function listGrants(db: Kysely<DB>, consultationId: string) {
  return db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'role_grants.user_id')
    .leftJoin('respondent_profiles as granter', 'granter.user_id', 'role_grants.granted_by')
    .select([
      'role_grants.id',
      'role_grants.role',
      'role_grants.consultation_id',
      'role_grants.created_at',
      'users.email',
      'respondent_profiles.display_name',
      'granter.display_name as granted_by_name',
    ])
    .where((eb) =>
      eb.or([
        eb('role_grants.consultation_id', '=', consultationId),
        eb('role_grants.consultation_id', 'is', null),
      ]),
    )
    .orderBy('role_grants.role', 'desc')
    .orderBy('respondent_profiles.display_name')
    .orderBy('role_grants.id')
    .execute();
}

/**
 * Organisers of the consultation: who moderates and organises it, here and site-wide, and the
 * invitations still waiting for an answer.
 */
export async function getTeam(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const consultation = await requireOrganisedConsultation(db, viewer, slug, NOT_TEAM_ORGANISER);
  const grants = await listGrants(db, consultation.id);
  return {
    invitations: await listInvitations(db, consultation.id),
    consultation: { slug: consultation.slug, title: consultation.title },
    members: grants.map((g) => ({
      grantId: g.id,
      role: g.role,
      siteWide: g.consultation_id === null,
      email: g.email,
      displayName: g.display_name,
      grantedByName: g.granted_by_name,
      since: g.created_at,
    })),
  };
}

/**
 * Organisers of the consultation: invites an email address to be a moderator or organiser of
 * it (the role is granted only when the owner of that address accepts), sends an invitation
 * again or withdraws it, or takes a role back. Invitations are rate-limited per organiser. The
 * consultation row is locked, so two organisers removing each other at once cannot leave it
 * with nobody to organise it.
 */
export async function changeTeam(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: TeamInput,
  ctx: RequestContext,
) {
  const consultation = await requireOrganisedConsultation(db, viewer, slug, NOT_TEAM_ORGANISER);
  const me = viewer!;
  if (input.intent === 'grant' || input.intent === 'resend-invitation') {
    await countInvitationSent(db, me.id);
  }
  return db.transaction().execute(async (trx) => {
    await trx
      .selectFrom('consultations')
      .select('id')
      .where('id', '=', consultation.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const place = { id: consultation.id, slug: consultation.slug, title: consultation.title };
    const inviter = { id: me.id, name: me.displayName };
    if (input.intent === 'grant') {
      const sent = await offerRole(trx, {
        email: input.email,
        role: input.role,
        place,
        inviter,
        requestId: ctx.requestId,
      });
      return { intent: input.intent, invitationId: sent.invitationId };
    }
    if (input.intent === 'resend-invitation') {
      const sent = await resendInvitation(trx, place, input.invitationId, inviter, ctx.requestId);
      return { intent: input.intent, invitationId: sent.invitationId };
    }
    if (input.intent === 'revoke-invitation') {
      await revokeInvitation(trx, place, input.invitationId, me.id, ctx.requestId);
      return { intent: input.intent, invitationId: input.invitationId };
    }

    const grant = await trx
      .selectFrom('role_grants')
      .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'role_grants.user_id')
      .select([
        'role_grants.id',
        'role_grants.user_id',
        'role_grants.role',
        'respondent_profiles.display_name',
      ])
      .where('role_grants.id', '=', input.grantId)
      .where('role_grants.consultation_id', '=', consultation.id)
      .executeTakeFirst();
    if (!grant) throw notFound('team member');
    if (grant.role === 'organiser') {
      const { rows } = await sql<{ n: number }>`
        select count(distinct user_id)::int as n from role_grants
        where role = 'organiser' and id <> ${grant.id}
          and (consultation_id = ${consultation.id} or consultation_id is null)`.execute(trx);
      if ((rows[0]?.n ?? 0) === 0) {
        throw new DomainError(
          'invalid',
          `${grant.display_name} is the last organiser of this consultation. Add another organiser before removing them.`,
        );
      }
    }
    await trx.deleteFrom('role_grants').where('id', '=', grant.id).execute();
    await recordAudit(trx, {
      actorId: me.id,
      action: 'role.revoked',
      targetType: 'user',
      targetId: grant.user_id,
      consultationId: consultation.id,
      before: { role: grant.role, grantId: grant.id },
      requestId: ctx.requestId,
    });
    await notify(trx, {
      userId: grant.user_id,
      kind: 'role.revoked',
      subject: `You are no longer a ${ROLE_NAMES[grant.role]} of ${consultation.title}`,
      body: `${me.displayName} removed your ${ROLE_NAMES[grant.role]} role for this consultation.`,
      link: `/consultations/${consultation.slug}`,
    });
    return { intent: input.intent, grantId: grant.id };
  });
}

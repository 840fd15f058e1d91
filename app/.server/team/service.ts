import { sql, type Kysely } from 'kysely';
import type { DB, StaffRole } from '#db/schema';
import type { TeamInput } from '~/lib/schemas/trust';
import { recordAudit } from '../audit';
import { hasRole, type Viewer } from '../auth';
import type { RequestContext } from '../context';
import { DomainError, conflict, forbidden, notFound } from '../errors';
import { notify } from '../notifications';
import { findActiveSuspension } from '../suspensions/queries';

const ROLE_NAMES: Record<StaffRole, string> = { moderator: 'moderator', organiser: 'organiser' };

/** 404 for an unknown consultation, 403 unless the viewer organises it (site-wide or here). */
async function organisedConsultation(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const consultation = await db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!consultation) throw notFound('consultation');
  if (!viewer) throw new DomainError('unauthenticated', 'Sign in to continue.');
  if (!hasRole(viewer, 'organiser', consultation.id)) {
    throw forbidden('Only organisers of this consultation can manage its team.');
  }
  return consultation;
}

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

/** Organisers of the consultation: who moderates and organises it, here and site-wide. */
export async function getTeam(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const consultation = await organisedConsultation(db, viewer, slug);
  const grants = await listGrants(db, consultation.id);
  return {
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
 * Organisers of the consultation: gives an existing account the moderator or organiser role for
 * this consultation, or takes one back. The consultation row is locked, so two organisers
 * removing each other at once cannot leave it with nobody to organise it.
 */
export async function changeTeam(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  input: TeamInput,
  ctx: RequestContext,
) {
  const consultation = await organisedConsultation(db, viewer, slug);
  const me = viewer!;
  return db.transaction().execute(async (trx) => {
    await trx
      .selectFrom('consultations')
      .select('id')
      .where('id', '=', consultation.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (input.intent === 'grant') {
      const user = await trx
        .selectFrom('users')
        .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'users.id')
        .select(['users.id', 'users.email_verified_at', 'respondent_profiles.display_name'])
        .where('users.email', '=', input.email)
        .executeTakeFirst();
      // A role reaches people through email (reports, escalations): only a proven address.
      if (user && !user.email_verified_at) {
        throw new DomainError('invalid', 'That person has not confirmed their email address', {
          fieldErrors: {
            email: [
              'That person has not confirmed their email address yet. Ask them to open the link we sent them, then add them.',
            ],
          },
        });
      }
      if (!user) {
        throw new DomainError('invalid', 'No account uses that email address', {
          fieldErrors: {
            email: [
              'No account uses that email address. Ask them to sign up first, then add them.',
            ],
          },
        });
      }
      // A suspension is site-wide; a consultation's team cannot undo it by giving a role.
      if (await findActiveSuspension(trx, user.id)) {
        throw new DomainError('invalid', 'That account is suspended', {
          fieldErrors: {
            email: [
              'That account is suspended, so it cannot be given a role. The site organisers can lift the suspension first.',
            ],
          },
        });
      }
      const inserted = await trx
        .insertInto('role_grants')
        .values({
          user_id: user.id,
          role: input.role,
          consultation_id: consultation.id,
          granted_by: me.id,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) {
        throw conflict(
          `${user.display_name} is already a ${ROLE_NAMES[input.role]} of this consultation.`,
        );
      }
      await recordAudit(trx, {
        actorId: me.id,
        action: 'role.granted',
        targetType: 'user',
        targetId: user.id,
        consultationId: consultation.id,
        after: { role: input.role, grantId: inserted.id },
        requestId: ctx.requestId,
      });
      await notify(trx, {
        userId: user.id,
        kind: 'role.granted',
        subject: `You are now a ${ROLE_NAMES[input.role]} of ${consultation.title}`,
        body: `${me.displayName} made you a ${ROLE_NAMES[input.role]} of this consultation.`,
        link:
          input.role === 'organiser'
            ? `/organise/${consultation.slug}`
            : `/consultations/${consultation.slug}`,
      });
      return { grantId: inserted.id };
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
    return { grantId: grant.id };
  });
}

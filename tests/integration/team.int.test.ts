import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { DomainError } from '~/.server/errors';
import { acceptInvitation, changeTeam, getTeam } from '~/.server/team';
import { TeamSchema } from '~/lib/schemas/trust';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import { invitationToken } from '#tests/support/invitations';
import {
  createConsultation,
  createOrganiser,
  createRespondent,
  createUser,
  ctx,
  grantRole,
  makeViewer,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

const grant = (email: string, role: 'moderator' | 'organiser') =>
  TeamSchema.parse({ intent: 'grant', email, role });
const revoke = (grantId: string) => TeamSchema.parse({ intent: 'revoke', grantId });

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    /** A consultation organised by one person only (no site-wide organiser in this schema). */
    async function localTeam() {
      await db.deleteFrom('role_grants').where('consultation_id', 'is', null).execute();
      const consultation = await createConsultation(db);
      const owner = await createUser(db, { displayName: 'Olive Owner' });
      await grantRole(db, owner.id, 'organiser', consultation.id);
      return { consultation, owner: await makeViewer(db, owner.id) };
    }

    /** Invites the person's address and has them accept, as the invitation email leads them to. */
    async function join(
      owner: Awaited<ReturnType<typeof makeViewer>>,
      slug: string,
      person: { id: string; email: string },
      role: 'moderator' | 'organiser',
    ) {
      await changeTeam(db, owner, slug, grant(person.email, role), ctx());
      const token = await invitationToken(db, person.email);
      return acceptInvitation(db, await makeViewer(db, person.id), token, ctx());
    }

    test('an organiser invites a moderator by email: nothing is granted until the owner of the address accepts; then audited, notified, on the team', async () => {
      const { consultation, owner } = await localTeam();
      const person = await createUser(db, { email: 'mo@example.test', displayName: 'Mo Derator' });
      const request = ctx();

      const sent = await changeTeam(
        db,
        owner,
        consultation.slug,
        grant('MO@example.test', 'moderator'),
        request,
      );

      expect((await makeViewer(db, person.id)).roles).toEqual([]);
      let team = await getTeam(db, owner, consultation.slug);
      expect(team.members.map((m) => m.displayName)).toEqual(['Olive Owner']);
      expect(team.invitations).toEqual([
        expect.objectContaining({
          invitationId: sent.invitationId,
          email: 'mo@example.test',
          role: 'moderator',
          invitedByName: 'Olive Owner',
          expired: false,
        }),
      ]);
      const invited = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'role.invited')
        .where('target_id', '=', sent.invitationId!)
        .executeTakeFirstOrThrow();
      expect(invited).toMatchObject({
        actor_id: owner.id,
        consultation_id: consultation.id,
        request_id: request.requestId,
        target_type: 'role_invitation',
      });
      expect(invited.after).toEqual({ role: 'moderator', scope: 'consultation' });
      const email = await db
        .selectFrom('email_outbox')
        .select(['subject', 'text_body'])
        .where('to_address', '=', 'mo@example.test')
        .where('kind', '=', 'role.invitation')
        .executeTakeFirstOrThrow();
      expect(email.subject).toBe(`You are invited to be a moderator of ${consultation.title}`);
      expect(email.text_body).toContain('Olive Owner invited mo@example.test');
      expect(email.text_body).toContain('The link works for 7 days.');

      const accepting = ctx();
      const accepted = await acceptInvitation(
        db,
        await makeViewer(db, person.id),
        await invitationToken(db, person.email),
        accepting,
      );
      expect(accepted).toMatchObject({
        role: 'moderator',
        already: false,
        staffHome: `/moderation/${consultation.slug}`,
      });
      team = await getTeam(db, owner, consultation.slug);
      expect(team.members.map((m) => [m.displayName, m.role, m.siteWide, m.grantedByName])).toEqual(
        [
          ['Olive Owner', 'organiser', false, null],
          ['Mo Derator', 'moderator', false, 'Olive Owner'],
        ],
      );
      expect(team.invitations).toEqual([]);
      const event = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'role.invitation_accepted')
        .where('target_id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({
        actor_id: person.id,
        consultation_id: consultation.id,
        request_id: accepting.requestId,
      });
      expect(event.after).toMatchObject({ role: 'moderator', invitationId: sent.invitationId });
      const messages = await db
        .selectFrom('notifications')
        .select(['user_id', 'kind'])
        .where('user_id', 'in', [person.id, owner.id])
        .orderBy('kind')
        .execute();
      expect(messages).toEqual([
        { user_id: person.id, kind: 'role.granted' },
        { user_id: owner.id, kind: 'role.invitation_accepted' },
      ]);

      const again = await rejection(
        changeTeam(db, owner, consultation.slug, grant('mo@example.test', 'moderator'), ctx()),
      );
      expect(again.code).toBe('conflict');
      expect(again.fieldErrors.email?.[0]).toMatch(/Mo Derator is already a moderator/);
    });

    test('the last organiser cannot be removed, even by two organisers removing each other at once', async () => {
      const { consultation, owner } = await localTeam();
      const second = await createUser(db, { email: 'second@example.test' });
      await join(owner, consultation.slug, second, 'organiser');
      const secondViewer = await makeViewer(db, second.id);
      const team = await getTeam(db, owner, consultation.slug);
      const grantOf = (userEmail: string) =>
        team.members.find((m) => m.email === userEmail)!.grantId;

      const results = await Promise.allSettled([
        changeTeam(db, owner, consultation.slug, revoke(grantOf(second.email)), ctx()),
        changeTeam(db, secondViewer, consultation.slug, revoke(grantOf(owner.email)), ctx()),
      ]);

      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult)
        .reason as DomainError;
      expect(refused.code).toBe('invalid');
      expect(refused.message).toMatch(/is the last organiser of this consultation/);
      const left = await db
        .selectFrom('role_grants')
        .select('user_id')
        .where('consultation_id', '=', consultation.id)
        .where('role', '=', 'organiser')
        .execute();
      expect(left).toHaveLength(1);
    });

    test('revoking removes the role at once and is audited with what it was', async () => {
      const { consultation, owner } = await localTeam();
      const person = await createUser(db);
      await join(owner, consultation.slug, person, 'moderator');
      const { members } = await getTeam(db, owner, consultation.slug);
      const grantId = members.find((m) => m.email === person.email)!.grantId;

      await changeTeam(db, owner, consultation.slug, revoke(grantId), ctx());

      expect((await makeViewer(db, person.id)).roles).toEqual([]);
      const event = await db
        .selectFrom('audit_events')
        .select(['before', 'consultation_id'])
        .where('action', '=', 'role.revoked')
        .where('target_id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({
        consultation_id: consultation.id,
        before: { role: 'moderator', grantId },
      });
    });

    test('moderators, respondents and organisers of other consultations cannot manage a team; grants of other consultations are not found', async () => {
      const { consultation, owner } = await localTeam();
      const other = await createConsultation(db);
      const otherOwner = await createUser(db);
      await grantRole(db, otherOwner.id, 'organiser', other.id);
      const moderator = await createUser(db);
      await grantRole(db, moderator.id, 'moderator', consultation.id);
      const respondent = await createRespondent(db);
      const target = await createUser(db);

      for (const viewer of [
        await makeViewer(db, moderator.id),
        await makeViewer(db, otherOwner.id),
        respondent,
      ]) {
        const refused = await rejection(
          changeTeam(db, viewer, consultation.slug, grant(target.email, 'organiser'), ctx()),
        );
        expect(refused.code).toBe('forbidden');
        expect((await rejection(getTeam(db, viewer, consultation.slug))).code).toBe('forbidden');
      }
      const otherGrant = (await getTeam(db, await makeViewer(db, otherOwner.id), other.slug))
        .members[0]!.grantId;
      const notHere = await rejection(
        changeTeam(db, owner, consultation.slug, revoke(otherGrant), ctx()),
      );
      expect(notHere.code).toBe('not_found');
      // A site-wide organiser manages every team.
      const site = await createOrganiser(db);
      await join(site, consultation.slug, target, 'moderator');
      expect((await makeViewer(db, target.id)).roles).toEqual([
        { role: 'moderator', consultationId: consultation.id },
      ]);
    });
  });
}

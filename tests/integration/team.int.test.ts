import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { DomainError } from '~/.server/errors';
import { changeTeam, getTeam } from '~/.server/team';
import { TeamSchema } from '~/lib/schemas/trust';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRespondent,
  createUser,
  ctx,
  grantRole,
  makeViewer,
} from '#tests/support/factories';

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

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

    test('an organiser grants a moderator role by email: audited, notified, listed on the team', async () => {
      const { consultation, owner } = await localTeam();
      const person = await createUser(db, { email: 'mo@example.test', displayName: 'Mo Derator' });
      const request = ctx();

      await changeTeam(
        db,
        owner,
        consultation.slug,
        grant('MO@example.test', 'moderator'),
        request,
      );

      const team = await getTeam(db, owner, consultation.slug);
      expect(team.members.map((m) => [m.displayName, m.role, m.siteWide])).toEqual([
        ['Olive Owner', 'organiser', false],
        ['Mo Derator', 'moderator', false],
      ]);
      const event = await db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'role.granted')
        .where('target_id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({
        actor_id: owner.id,
        consultation_id: consultation.id,
        request_id: request.requestId,
      });
      expect(event.after).toMatchObject({ role: 'moderator' });
      const message = await db
        .selectFrom('notifications')
        .select('kind')
        .where('user_id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(message.kind).toBe('role.granted');

      const again = await rejection(
        changeTeam(db, owner, consultation.slug, grant('mo@example.test', 'moderator'), ctx()),
      );
      expect(again.code).toBe('conflict');
      const unknown = await rejection(
        changeTeam(db, owner, consultation.slug, grant('nobody@example.test', 'moderator'), ctx()),
      );
      expect(unknown.fieldErrors.email?.[0]).toMatch(/No account uses that email address/);
    });

    test('the last organiser cannot be removed, even by two organisers removing each other at once', async () => {
      const { consultation, owner } = await localTeam();
      const second = await createUser(db, { email: 'second@example.test' });
      await changeTeam(db, owner, consultation.slug, grant(second.email, 'organiser'), ctx());
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
      await changeTeam(db, owner, consultation.slug, grant(person.email, 'moderator'), ctx());
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
      await changeTeam(db, site, consultation.slug, grant(target.email, 'moderator'), ctx());
    });
  });
}

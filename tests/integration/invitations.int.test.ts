import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { PGliteDialect } from '#db/pglite-dialect';
import type { DB } from '#db/schema';
import { suspendAccount } from '~/.server/suspensions';
import {
  acceptInvitation,
  changeTeam,
  describeInvitation,
  getTeam,
  INVITATIONS_PER_ORGANISER,
  inviteSiteWide,
} from '~/.server/team';
import { SuspendSchema, TeamSchema } from '~/lib/schemas/trust';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createUser,
  ctx,
  grantRole,
  makeViewer,
} from '#tests/support/factories';
import { invitationToken } from '#tests/support/invitations';
import { rejection } from '#tests/support/outcomes';

const invite = (email: string, role: 'moderator' | 'organiser' = 'moderator') =>
  TeamSchema.parse({ intent: 'grant', email, role });

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function setting() {
      const consultation = await createConsultation(db);
      const lead = await createUser(db, { displayName: 'Lena Lead' });
      await grantRole(db, lead.id, 'organiser', consultation.id);
      return { consultation, lead: await makeViewer(db, lead.id) };
    }

    async function grantsOf(userId: string) {
      return db.selectFrom('role_grants').select(['role']).where('user_id', '=', userId).execute();
    }

    test('an address with no account yet: the person signs up with it, confirms it, and accepts', async () => {
      const { consultation, lead } = await setting();
      await changeTeam(db, lead, consultation.slug, invite('new.person@example.test'), ctx());
      const token = await invitationToken(db, 'new.person@example.test');

      const signedOut = await describeInvitation(db, null, token);
      expect(signedOut).toMatchObject({
        email: 'new.person@example.test',
        role: 'moderator',
        state: 'open',
        invitedByName: 'Lena Lead',
        you: null,
      });
      expect((await rejection(acceptInvitation(db, null, token, ctx()))).code).toBe(
        'unauthenticated',
      );

      const person = await createUser(db, { email: 'new.person@example.test' });
      const viewer = await makeViewer(db, person.id);
      expect((await describeInvitation(db, viewer, token))?.you).toEqual({
        email: 'new.person@example.test',
        matches: true,
        confirmed: true,
      });
      await acceptInvitation(db, viewer, token, ctx());
      expect(await describeInvitation(db, viewer, token)).toMatchObject({
        state: 'accepted',
        acceptedByYou: true,
        staffHome: `/moderation/${consultation.slug}`,
      });
      expect((await makeViewer(db, person.id)).roles).toEqual([
        { role: 'moderator', consultationId: consultation.id },
      ]);
    });

    test('another signed-in account cannot accept an invitation sent to someone else', async () => {
      const { consultation, lead } = await setting();
      const invited = await createUser(db, { email: 'invited@example.test' });
      const intruder = await createUser(db, { email: 'intruder@example.test' });
      await changeTeam(db, lead, consultation.slug, invite(invited.email, 'organiser'), ctx());
      const token = await invitationToken(db, invited.email);
      const intruderViewer = await makeViewer(db, intruder.id);

      expect((await describeInvitation(db, intruderViewer, token))?.you?.matches).toBe(false);
      const refused = await rejection(acceptInvitation(db, intruderViewer, token, ctx()));
      expect(refused.code).toBe('forbidden');
      expect(refused.message).toMatch(
        /This invitation is for invited@example.test, and you are signed in as intruder@example.test/,
      );
      expect(await grantsOf(intruder.id)).toEqual([]);
      // The invitation is still there for its owner.
      await acceptInvitation(db, await makeViewer(db, invited.id), token, ctx());
      expect(await grantsOf(invited.id)).toEqual([{ role: 'organiser' }]);
    });

    test('an account that has not confirmed the invited address cannot accept until it does', async () => {
      const { consultation, lead } = await setting();
      const person = await createUser(db, { emailConfirmed: false });
      await changeTeam(db, lead, consultation.slug, invite(person.email), ctx());
      const token = await invitationToken(db, person.email);
      const viewer = await makeViewer(db, person.id);

      expect((await describeInvitation(db, viewer, token))?.you?.confirmed).toBe(false);
      const refused = await rejection(acceptInvitation(db, viewer, token, ctx()));
      expect(refused.code).toBe('unconfirmed');
      expect(refused.link?.href).toBe('/account/confirm-email');
      expect(await grantsOf(person.id)).toEqual([]);

      await db
        .updateTable('users')
        .set({ email_verified_at: new Date() })
        .where('id', '=', person.id)
        .execute();
      await acceptInvitation(db, viewer, token, ctx());
      expect(await grantsOf(person.id)).toEqual([{ role: 'moderator' }]);
    });

    test('a suspended account cannot accept; an organiser cannot invite an address whose account is suspended', async () => {
      const { consultation, lead } = await setting();
      const site = await createOrganiser(db);
      const person = await createUser(db);
      await changeTeam(db, lead, consultation.slug, invite(person.email), ctx());
      const token = await invitationToken(db, person.email);
      await suspendAccount(
        db,
        site,
        person.id,
        SuspendSchema.parse({ intent: 'suspend', reason: 'Spam everywhere', length: '7d' }),
        ctx(),
      );

      const refused = await rejection(
        acceptInvitation(db, await makeViewer(db, person.id), token, ctx()),
      );
      expect(refused.code).toBe('suspended');
      expect(await grantsOf(person.id)).toEqual([]);
      const again = await rejection(
        changeTeam(db, lead, consultation.slug, invite(person.email, 'organiser'), ctx()),
      );
      expect(again.fieldErrors.email?.[0]).toMatch(/suspended, so it cannot be given a role/);
    });

    test('an expired invitation cannot be accepted; Resend gives a new link that works and the old one stops working', async () => {
      const { consultation, lead } = await setting();
      const person = await createUser(db);
      const sent = await changeTeam(db, lead, consultation.slug, invite(person.email), ctx());
      const oldToken = await invitationToken(db, person.email);
      await db
        .updateTable('role_invitations')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', sent.invitationId!)
        .execute();
      const viewer = await makeViewer(db, person.id);

      const refused = await rejection(acceptInvitation(db, viewer, oldToken, ctx()));
      expect(refused.code).toBe('invalid');
      expect(refused.message).toMatch(/has expired/);
      const listed = (await getTeam(db, lead, consultation.slug)).invitations;
      expect(listed.map((i) => [i.email, i.expired])).toEqual([[person.email, true]]);

      await changeTeam(
        db,
        lead,
        consultation.slug,
        TeamSchema.parse({ intent: 'resend-invitation', invitationId: sent.invitationId }),
        ctx(),
      );
      const newToken = await invitationToken(db, person.email);
      expect(newToken).not.toBe(oldToken);
      expect(await describeInvitation(db, viewer, oldToken)).toBeNull();
      expect((await rejection(acceptInvitation(db, viewer, oldToken, ctx()))).message).toMatch(
        /not valid/,
      );
      await acceptInvitation(db, viewer, newToken, ctx());
      expect(await grantsOf(person.id)).toEqual([{ role: 'moderator' }]);
      const actions = await db
        .selectFrom('audit_events')
        .select('action')
        .where('consultation_id', '=', consultation.id)
        .orderBy('id')
        .execute();
      expect(actions.map((a) => a.action)).toEqual([
        'role.invited',
        'role.invitation_resent',
        'role.invitation_accepted',
      ]);
    });

    test('a revoked invitation cannot be accepted and leaves the list', async () => {
      const { consultation, lead } = await setting();
      const person = await createUser(db);
      const sent = await changeTeam(db, lead, consultation.slug, invite(person.email), ctx());
      const token = await invitationToken(db, person.email);
      await changeTeam(
        db,
        lead,
        consultation.slug,
        TeamSchema.parse({ intent: 'revoke-invitation', invitationId: sent.invitationId }),
        ctx(),
      );

      const refused = await rejection(
        acceptInvitation(db, await makeViewer(db, person.id), token, ctx()),
      );
      expect(refused.message).toMatch(/has been withdrawn/);
      expect(await grantsOf(person.id)).toEqual([]);
      expect((await getTeam(db, lead, consultation.slug)).invitations).toEqual([]);
      const twice = await rejection(
        changeTeam(
          db,
          lead,
          consultation.slug,
          TeamSchema.parse({ intent: 'revoke-invitation', invitationId: sent.invitationId }),
          ctx(),
        ),
      );
      expect(twice.code).toBe('conflict');
      const event = await db
        .selectFrom('audit_events')
        .select(['actor_id', 'before'])
        .where('action', '=', 'role.invitation_revoked')
        .where('target_id', '=', sent.invitationId!)
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({
        actor_id: lead.id,
        before: { role: 'moderator' },
      });
      // Another consultation's organiser cannot touch it.
      const other = await setting();
      const notHere = await rejection(
        changeTeam(
          db,
          other.lead,
          other.consultation.slug,
          TeamSchema.parse({ intent: 'resend-invitation', invitationId: sent.invitationId }),
          ctx(),
        ),
      );
      expect(notHere.code).toBe('not_found');
    });

    test('two accepts at once (two tabs): exactly one grant, one audit event, and both say it is done', async () => {
      const { consultation, lead } = await setting();
      const person = await createUser(db);
      await changeTeam(db, lead, consultation.slug, invite(person.email), ctx());
      const token = await invitationToken(db, person.email);
      const viewer = await makeViewer(db, person.id);

      const results = await Promise.all([
        acceptInvitation(db, viewer, token, ctx()),
        acceptInvitation(db, viewer, token, ctx()),
        acceptInvitation(db, viewer, token, ctx()),
      ]);

      expect(results.map((r) => r.already).sort()).toEqual([false, true, true]);
      expect(await grantsOf(person.id)).toEqual([{ role: 'moderator' }]);
      const events = await db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'role.invitation_accepted')
        .where('target_id', '=', person.id)
        .execute();
      expect(events).toHaveLength(1);
    });

    test('an invitation from an organiser who has since been removed no longer counts', async () => {
      const { consultation, lead } = await setting();
      const person = await createUser(db);
      await changeTeam(db, lead, consultation.slug, invite(person.email, 'organiser'), ctx());
      const token = await invitationToken(db, person.email);
      await db.deleteFrom('role_grants').where('user_id', '=', lead.id).execute();

      const refused = await rejection(
        acceptInvitation(db, await makeViewer(db, person.id), token, ctx()),
      );
      expect(refused.message).toMatch(/no longer organises this consultation/);
      expect(await grantsOf(person.id)).toEqual([]);
    });

    test('inviting the same address again renews the invitation: one row, a new link', async () => {
      const { consultation, lead } = await setting();
      const first = await changeTeam(
        db,
        lead,
        consultation.slug,
        invite('twice@example.test'),
        ctx(),
      );
      const firstToken = await invitationToken(db, 'twice@example.test');
      const second = await changeTeam(
        db,
        lead,
        consultation.slug,
        invite('Twice@Example.test'),
        ctx(),
      );

      expect(second.invitationId).toBe(first.invitationId);
      expect(await invitationToken(db, 'twice@example.test')).not.toBe(firstToken);
      expect(await describeInvitation(db, null, firstToken)).toBeNull();
      expect((await getTeam(db, lead, consultation.slug)).invitations).toHaveLength(1);
    });

    test('invitations are rate-limited per organiser; moderators cannot invite at all', async () => {
      const { consultation, lead } = await setting();
      for (let i = 0; i < INVITATIONS_PER_ORGANISER.limit; i++) {
        await changeTeam(db, lead, consultation.slug, invite(`bulk${i}@example.test`), ctx());
      }
      const limited = await rejection(
        changeTeam(db, lead, consultation.slug, invite('one-more@example.test'), ctx()),
      );
      expect(limited.code).toBe('rate_limited');
      expect(limited.retryAfterSeconds).toBeGreaterThan(0);
      const emails = await db
        .selectFrom('email_outbox')
        .select('id')
        .where('to_address', '=', 'one-more@example.test')
        .execute();
      expect(emails).toEqual([]);

      const moderator = await createUser(db);
      await grantRole(db, moderator.id, 'moderator', consultation.id);
      const refused = await rejection(
        changeTeam(
          db,
          await makeViewer(db, moderator.id),
          consultation.slug,
          invite('friend@example.test', 'organiser'),
          ctx(),
        ),
      );
      expect(refused.code).toBe('forbidden');
    });

    test('the command line invites to a site-wide role: the link grants it only to the owner of the address', async () => {
      const sent = await inviteSiteWide(db, {
        email: 'first.organiser@example.test',
        role: 'organiser',
      });
      expect(sent.link).toMatch(/\/invitations\/accept\?token=/);
      const token = decodeURIComponent(new URL(sent.link).searchParams.get('token')!);
      expect(await invitationToken(db, 'first.organiser@example.test')).toBe(token);
      const event = await db
        .selectFrom('audit_events')
        .select(['actor_id', 'after'])
        .where('action', '=', 'role.invited')
        .where('target_id', '=', sent.invitationId)
        .executeTakeFirstOrThrow();
      expect(event).toEqual({
        actor_id: null,
        after: {
          role: 'organiser',
          scope: 'site',
          via: 'command line',
        },
      });

      const squatter = await createUser(db, { email: 'squatter@example.test' });
      expect(
        (await rejection(acceptInvitation(db, await makeViewer(db, squatter.id), token, ctx())))
          .code,
      ).toBe('forbidden');
      const owner = await createUser(db, { email: 'first.organiser@example.test' });
      const done = await acceptInvitation(db, await makeViewer(db, owner.id), token, ctx());
      expect(done.staffHome).toBe('/organise');
      expect((await makeViewer(db, owner.id)).roles).toEqual([
        { role: 'organiser', consultationId: null },
      ]);
      const again = await rejection(
        inviteSiteWide(db, { email: 'first.organiser@example.test', role: 'organiser' }),
      );
      expect(again.code).toBe('conflict');
    });
  });
}

test('npm run db:grant prints an invitation link; nobody holds the role until the owner accepts it', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oc-grant-cli-'));
  const dataDir = path.join(dir, 'pglite');
  // Start from the migrated template, as a server that has run once would leave the folder:
  // migrating a new folder from scratch would cost most of this test's time.
  const seeded = await PGlite.create(dataDir, {
    loadDataDir: new Blob([readFileSync(inject('pgliteTemplatePath'))]),
  });
  await seeded.close();
  try {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'db/cli.ts', 'grant', 'Boss@Example.test', 'organiser'],
      {
        env: { ...env, PGLITE_DIR: dataDir, SEED_DEMO: 'false' },
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toContain('Invitation created: boss@example.test as a site-wide organiser.');
    expect(result.status).toBe(0);
    const link = /(https?:\/\/\S+\/invitations\/accept\?token=\S+)/.exec(output)![1]!;

    const pglite = await PGlite.create(dataDir);
    const db = new Kysely<DB>({ dialect: new PGliteDialect(async () => pglite) });
    try {
      expect(await db.selectFrom('role_grants').select('id').execute()).toEqual([]);
      const owner = await createUser(db, { email: 'boss@example.test' });
      const token = new URL(link).searchParams.get('token')!;
      await acceptInvitation(db, await makeViewer(db, owner.id), token, ctx());
      expect((await makeViewer(db, owner.id)).roles).toEqual([
        { role: 'organiser', consultationId: null },
      ]);
    } finally {
      await db.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

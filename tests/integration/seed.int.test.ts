import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '#db/seed';
import { demoAccounts } from '#db/seed-content';
import { demoRespondentEmail, demoRespondents } from '#db/seed-moderation';
import type { DB } from '#db/schema';
import { getViewer, hasRole, signIn } from '~/.server/auth';
import { getConsultation, listConsultations } from '~/.server/consultations';
import { getQueue } from '~/.server/moderation';
import { SignInSchema } from '~/lib/schemas/accounts';
import { QueueFilterSchema } from '~/lib/schemas/moderation';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import { cookiePair, ctx, makeViewer, requestWithCookie } from '#tests/support/factories';

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    let reports: Awaited<ReturnType<typeof seedDemo>>[];
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
      reports = [await seedDemo(db), await seedDemo(db)];
    });
    afterAll(() => t?.destroy());

    test('seeding twice creates the four demo accounts and the demo consultation once', async () => {
      const users = await db.selectFrom('users').select('email').orderBy('email').execute();
      const consultations = await db
        .selectFrom('consultations')
        .select(['id', 'slug', 'status'])
        .execute();

      expect(users.map((u) => u.email)).toEqual(
        [
          ...demoAccounts.map((a) => a.email),
          ...demoRespondents.map((r) => demoRespondentEmail(r.key)),
        ].sort(),
      );
      expect(consultations).toHaveLength(1);
      expect(consultations[0]!.status).toBe('open');
      expect(reports.map((r) => r.consultationCreated)).toEqual([true, false]);
      const recommendations = await db
        .selectFrom('recommendations')
        .select('number')
        .where('consultation_id', '=', consultations[0]!.id)
        .orderBy('number')
        .execute();
      expect(recommendations.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    test('the demo consultation is public, open and closes in the future', async () => {
      const [listed] = await listConsultations(db, null);

      expect(listed).toMatchObject({ phase: 'open', recommendationCount: 7 });
      expect(listed!.closesAt!.getTime()).toBeGreaterThan(Date.now());
    });

    test('the seventh recommendation says plainly that it is not named in the source', async () => {
      const [listed] = await listConsultations(db, null);
      const { recommendations } = await getConsultation(db, listed!.slug, null);

      expect(recommendations).toHaveLength(7);
      expect(recommendations[6]!.number).toBe(7);
      expect(recommendations[6]!.title).toMatch(/not named in our source/i);
    });

    test('the demo consultation has a moderation queue to clear, seeded once', async () => {
      const moderator = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'moderator@demo.test')
        .executeTakeFirstOrThrow();
      const viewer = await makeViewer(db, moderator.id);
      const queue = await getQueue(
        db,
        viewer,
        'hidden-in-plain-sight',
        QueueFilterSchema.parse({}),
      );
      expect(queue.counts).toEqual({
        reported: 4,
        auto_hidden: 4,
        held: 4,
        pending_quote: 0,
        escalated: 0,
        appeal: 0,
      });
      const authors = new Set(queue.items.map((i) => i.authorName));
      expect(authors.size).toBeGreaterThanOrEqual(5);
    });

    test('the demo organiser can sign in with the published password and holds the organiser role', async () => {
      const account = demoAccounts.find((a) => a.role === 'organiser')!;

      const { cookie } = await signIn(
        db,
        SignInSchema.parse({ email: account.email, password: account.password }),
        ctx(),
      );
      const viewer = await getViewer(db, requestWithCookie(cookiePair(cookie)));

      expect(viewer?.email).toBe(account.email);
      expect(hasRole(viewer, 'organiser')).toBe(true);
      expect(hasRole(viewer, 'moderator')).toBe(false);
    });

    test('only the organiser and moderator demo accounts hold staff roles', async () => {
      const grants = await db
        .selectFrom('role_grants')
        .innerJoin('users', 'users.id', 'role_grants.user_id')
        .select(['users.email', 'role_grants.role', 'role_grants.consultation_id'])
        .orderBy('users.email')
        .execute();

      expect(grants).toEqual([
        { email: 'moderator@demo.test', role: 'moderator', consultation_id: null },
        { email: 'organiser@demo.test', role: 'organiser', consultation_id: null },
      ]);
    });
  });
}

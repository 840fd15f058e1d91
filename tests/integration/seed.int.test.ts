import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '#db/seed';
import { demoAccounts, demoConsultation } from '#db/seed-content';
import { SAMPLE_EMAIL_DOMAIN } from '#db/seed-results';
import { SAMPLE_RESPONSES, sampleConsultation, sampleSummary } from '#db/seed-sample-content';
import { demoRespondentEmail, demoRespondents } from '#db/seed-moderation';
import type { DB } from '#db/schema';
import { getViewer, hasRole, signIn } from '~/.server/auth';
import { getConsultation, listConsultations } from '~/.server/consultations';
import { getQueue } from '~/.server/moderation';
import { getSummaryPage } from '~/.server/summaries';
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

    test('seeding twice creates the four demo accounts, the demo consultation and the finished sample once', async () => {
      const users = await db.selectFrom('users').select('email').orderBy('email').execute();
      const consultations = await db
        .selectFrom('consultations')
        .select(['id', 'slug', 'status'])
        .orderBy('slug')
        .execute();
      const sampleRespondents = users.filter((u) => u.email.endsWith(`@${SAMPLE_EMAIL_DOMAIN}`));

      expect(users.filter((u) => !sampleRespondents.includes(u)).map((u) => u.email)).toEqual(
        [
          ...demoAccounts.map((a) => a.email),
          ...demoRespondents.map((r) => demoRespondentEmail(r.key)),
        ].sort(),
      );
      expect(sampleRespondents).toHaveLength(SAMPLE_RESPONSES);
      expect(consultations.map((c) => [c.slug, c.status])).toEqual([
        [demoConsultation.slug, 'open'],
        [sampleConsultation.slug, 'published'],
      ]);
      expect(reports.map((r) => r.consultationCreated)).toEqual([true, false]);
      expect(reports.map((r) => r.sampleConsultationCreated)).toEqual([true, false]);
      const recommendations = await db
        .selectFrom('recommendations')
        .select('number')
        .where('consultation_id', '=', consultations[0]!.id)
        .orderBy('number')
        .execute();
      expect(recommendations.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    test('the demo consultation is public, open and closes in the future; the sample is listed after it, closed with its summary published', async () => {
      const [listed, sample] = await listConsultations(db, null);

      expect(listed).toMatchObject({ phase: 'open', recommendationCount: 7 });
      expect(listed!.closesAt!.getTime()).toBeGreaterThan(Date.now());
      expect(sample).toMatchObject({
        slug: sampleConsultation.slug,
        phase: 'published',
        recommendationCount: 3,
      });
      expect(sample!.closesAt!.getTime()).toBeLessThan(Date.now());
      expect(sample!.title).toMatch(/^Sample/);
    });

    test('the finished sample has a published, corrected, cited summary whose words are true to its figures', async () => {
      const page = await getSummaryPage(db, sampleConsultation.slug);
      expect(page.versions.map((v) => v.number)).toEqual([1, 2]);
      expect(page.versions[1]!.changeNote).toBe(sampleSummary.correction.changeNote);
      expect(page.version.isLatest).toBe(true);
      const s = page.version.snapshot;
      expect(s.intro.markdown).toContain('This is sample data');
      expect(s.recommendations.map((r) => r.outcome.status)).toEqual([
        'adopted',
        'adopted_with_changes',
        'under_consideration',
      ]);
      // The correction is the only difference between the two versions' texts.
      const first = await getSummaryPage(db, sampleConsultation.slug, 1);
      expect(first.version.snapshot.recommendations[1]!.weDid.markdown).toContain('three regions');
      expect(s.recommendations[1]!.weDid.markdown).toContain('four regions');

      // What "you said" claims, checked against the figures it cites.
      const figure = (n: number, i: number) => {
        const c = s.recommendations[n - 1]!.citations[i]!;
        if (c.kind !== 'figure') throw new Error(`citation ${i + 1} of ${n} is a quote`);
        return c.value;
      };
      expect(figure(1, 0)).toBeGreaterThan(0.3); // founders supported the guide
      expect(figure(1, 1)).toBeGreaterThan(0.3); // and so did investors
      expect(figure(2, 0)).toBeGreaterThan(0.3); // founders supported mentoring
      expect(figure(2, 1)).toBeLessThan(figure(2, 0) - 0.4); // investors far less convinced
      expect(figure(3, 0)).toBeGreaterThan(figure(3, 1)); // strongest among founders
      expect(figure(3, 2)).toBeGreaterThan(3); // rated important (mean over 3 of 5)
      for (const r of s.recommendations) {
        // Every marker in the text has its citation, and every quote a consented attribution.
        const markers = [...r.youSaid.markdown.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
        expect(Math.max(...markers)).toBe(r.citations.length);
        expect(r.quotes.length).toBeGreaterThan(0);
        for (const q of [...r.quotes, ...r.citations]) {
          if (q.kind === 'quote') expect(q.attribution).not.toBe('');
        }
      }
      expect(s.recommendations[1]!.citations[2]).toMatchObject({ kind: 'quote' });
      expect((s.recommendations[1]!.citations[2] as { text: string }).text).toContain(
        'Accelerators and investors already provide mentoring',
      );

      const updates = page.outcomeUpdates[sampleSummary.outcomeUpdate.recommendation]!;
      expect(updates.map((u) => u.status)).toEqual(['adopted_with_changes']);
      expect(updates[0]!.noteHtml).toContain('Sample update');
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

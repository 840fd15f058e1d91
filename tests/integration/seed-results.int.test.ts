import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedDemo } from '#db/seed';
import { demoConsultation } from '#db/seed-content';
import { SAMPLE_EMAIL_DOMAIN } from '#db/seed-results';
import { checkResults, getConsultationResults, type SegmentCounts } from '~/.server/results';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';

function netSupport(c: SegmentCounts) {
  const s = c.stance;
  const withView = s.strongly_oppose + s.oppose + s.neutral + s.support + s.strongly_support;
  return (s.support + s.strongly_support - s.oppose - s.strongly_oppose) / withView;
}

for (const backend of BACKENDS) {
  describe(`${backend}: sample responses in the demo seed`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(backend);
    });
    afterAll(() => t?.destroy());

    test('the seed tells a varied story that the rollups count exactly', async () => {
      const { db } = t;
      const report = await seedDemo(db, { sampleResponses: 600 });
      expect(report.sampleResponses).toMatchObject({ responses: 600 });
      // Seeding again adds nothing: the consultation exists already.
      expect((await seedDemo(db, { sampleResponses: 600 })).sampleResponses).toBeNull();

      const consultation = await db
        .selectFrom('consultations')
        .select('id')
        .where('slug', '=', demoConsultation.slug)
        .executeTakeFirstOrThrow();
      const results = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      expect(results.responses.all).toBe(600);
      for (const segment of ['founder', 'investor', 'other'] as const) {
        expect(results.responses[segment]).toBeGreaterThan(60);
      }
      const verified = await getConsultationResults(db, consultation.id, { verifiedOnly: true });
      expect(verified.responses.all).toBeGreaterThan(60);
      expect(verified.responses.all).toBeLessThan(400);
      // Responses arrive over weeks, not in one day.
      expect(results.daily.length).toBeGreaterThan(30);

      const [first, second] = results.recommendations;
      // Founders and investors agree on the first reform and are divided on the second.
      expect(netSupport(first!.counts.founder)).toBeGreaterThan(0.4);
      expect(netSupport(first!.counts.investor)).toBeGreaterThan(0.3);
      expect(netSupport(second!.counts.founder)).toBeGreaterThan(0.4);
      expect(netSupport(second!.counts.investor)).toBeLessThan(0);
      // Reasons carry tone: supporters of the first reform write positively on the whole.
      expect(first!.counts.all.tone.positive).toBeGreaterThan(first!.counts.all.tone.negative);
      expect(first!.counts.all.tone.n).toBeGreaterThan(100);

      const accounts = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('email', 'like', `respondent-%@${SAMPLE_EMAIL_DOMAIN}`)
        .executeTakeFirstOrThrow();
      expect(Number(accounts.n)).toBe(600);
      expect(await checkResults(db)).toEqual([]);
    });

    test('the placeholder seventh recommendation gets no answers, comments or endorsements', async () => {
      const { db } = t;
      const seventh = await db
        .selectFrom('recommendations')
        .innerJoin('consultations', 'consultations.id', 'recommendations.consultation_id')
        .select(['recommendations.id', 'recommendations.state'])
        .where('consultations.slug', '=', demoConsultation.slug)
        .where('recommendations.number', '=', 7)
        .executeTakeFirstOrThrow();
      expect(seventh.state).toBe('placeholder');
      for (const table of [
        'response_answers',
        'submitted_answers',
        'comments',
        'endorsements',
      ] as const) {
        const rows = await db
          .selectFrom(table)
          .select('recommendation_id')
          .where('recommendation_id', '=', seventh.id)
          .execute();
        expect(rows, table).toEqual([]);
      }
      const consultation = await db
        .selectFrom('consultations')
        .select('id')
        .where('slug', '=', demoConsultation.slug)
        .executeTakeFirstOrThrow();
      const results = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      expect(results.recommendations).toHaveLength(6);
    });
  });
}

import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { postComment } from '~/.server/comments';
import { DomainError } from '~/.server/errors';
import { eraseAccount } from '~/.server/privacy';
import { saveAnswer } from '~/.server/responses';
import {
  checkResults,
  compactResults,
  getConsultationResults,
  getRecommendationResults,
  rebuildResults,
} from '~/.server/results';
import { AnswerSchema } from '~/lib/schemas/responses';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createRecommendation,
  createRespondent,
  ctx,
  insertComment,
  submitChoosingPublishing,
} from '#tests/support/factories';
import { insertAnsweredResponse } from '#tests/support/results';

const DAY = 24 * 60 * 60 * 1000;

function page(fields: Partial<Record<'stance' | 'importance' | 'reasons' | 'changeMind', string>>) {
  return AnswerSchema.parse({ stance: '', importance: '', reasons: '', changeMind: '', ...fields });
}

for (const backend of BACKENDS) {
  describe(`${backend}: results`, () => {
    let testDb: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      testDb = await createTestDb(backend);
      db = testDb.db;
    });
    afterAll(() => testDb.destroy());

    async function openConsultation(recommendations = 2) {
      const consultation = await createConsultation(db, { status: 'open' });
      const recs = [];
      for (let i = 0; i < recommendations; i++) {
        recs.push(await createRecommendation(db, consultation.id));
      }
      return { consultation, recommendations: recs };
    }

    test('a submit counts stance, importance and tone by segment, and a resubmit moves them', async () => {
      const { consultation, recommendations } = await openConsultation();
      const [first] = recommendations;
      const founder = await createRespondent(db, { segment: 'founder' });
      const investor = await createRespondent(db, { segment: 'investor' });
      await saveAnswer(
        db,
        founder,
        consultation.slug,
        first!.slug,
        page({
          stance: 'strongly_support',
          importance: '5',
          reasons: 'A brilliant, simple change that would help founders hire.',
        }),
      );
      await submitChoosingPublishing(db, founder, consultation.slug, randomUUID());
      await saveAnswer(
        db,
        investor,
        consultation.slug,
        first!.slug,
        page({ stance: 'oppose', importance: '2', reasons: 'Costly and confusing paperwork.' }),
      );
      await submitChoosingPublishing(db, investor, consultation.slug, randomUUID());

      let results = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      let counts = results.recommendations[0]!.counts;
      expect(results.responses).toEqual({ all: 2, founder: 1, investor: 1, other: 0 });
      expect(counts.founder.stance.strongly_support).toBe(1);
      expect(counts.investor.stance.oppose).toBe(1);
      expect(counts.all).toMatchObject({ answers: 2, noStance: 0 });
      expect(counts.all.importance).toEqual({ n: 2, sum: 7, sumOfSquares: 29 });
      expect(counts.founder.tone).toMatchObject({ n: 1, positive: 1, negative: 0 });
      expect(counts.investor.tone).toMatchObject({ n: 1, positive: 0, negative: 1 });
      expect(counts.founder.tone.sum).toBeGreaterThan(0.1);
      expect(results.recommendations[1]!.counts.all.answers).toBe(0);
      expect(results.daily).toHaveLength(1);
      expect(results.recommendations[0]!.daily[0]).toMatchObject({ answers: 2 });

      // The founder changes their mind: the count moves, nothing is counted twice.
      await saveAnswer(
        db,
        founder,
        consultation.slug,
        first!.slug,
        page({ stance: 'neutral', importance: '3' }),
      );
      await submitChoosingPublishing(db, founder, consultation.slug, randomUUID());
      results = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      counts = results.recommendations[0]!.counts;
      expect(counts.founder.stance).toMatchObject({ strongly_support: 0, neutral: 1 });
      expect(counts.founder.tone.n).toBe(0);
      expect(counts.all.importance).toEqual({ n: 2, sum: 5, sumOfSquares: 13 });
      expect(results.responses.all).toBe(2);
      expect(await checkResults(db)).toEqual([]);
    });

    test('the verified-only filter counts only respondents verified when they submitted', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const rec = recommendations[0]!.id;
      await insertAnsweredResponse(db, consultation.id, {
        verified: true,
        answers: [{ recommendationId: rec, stance: 'support' }],
      });
      await insertAnsweredResponse(db, consultation.id, {
        answers: [{ recommendationId: rec, stance: 'oppose' }],
      });
      const all = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      const verified = await getConsultationResults(db, consultation.id, { verifiedOnly: true });
      expect(all.recommendations[0]!.counts.all.answers).toBe(2);
      expect(verified.filter).toEqual({ verifiedOnly: true });
      expect(verified.responses.all).toBe(1);
      expect(verified.recommendations[0]!.counts.all.stance).toMatchObject({
        support: 1,
        oppose: 0,
      });
    });

    test('key phrases rank by TF-IDF and quote only reasons that may be published', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const [pools, other] = recommendations.map((r) => r.id) as [string, string];
      const reasons = [
        'Bigger option pools let small companies compete for engineers.',
        'Option pools are the only way we can match salaries at big firms.',
        'Tax on option pools puts off early staff; the tax rules need fixing.',
      ];
      for (const [i, text] of reasons.entries()) {
        await insertAnsweredResponse(db, consultation.id, {
          consent: 'named',
          displayName: `Named founder ${i}`,
          answers: [
            { recommendationId: pools, stance: 'support', reasons: text },
            { recommendationId: other, stance: 'neutral', reasons: 'The tax rules need fixing.' },
          ],
        });
      }
      // Counted, never quoted, and kept out of the key phrases.
      await insertAnsweredResponse(db, consultation.id, {
        consent: 'private',
        answers: [
          { recommendationId: pools, stance: 'support', reasons: 'Option pools: a secret plan.' },
        ],
      });
      await insertAnsweredResponse(db, consultation.id, {
        segment: 'investor',
        answers: [
          {
            recommendationId: pools,
            stance: 'oppose',
            reasons: 'Option pools dilute investors.',
            quoteStatus: 'pending',
          },
        ],
      });

      const results = await getRecommendationResults(db, pools, {
        verifiedOnly: false,
        audience: 'public',
      });
      expect(results.organiser).toBeNull();
      const top = results.themes.all[0]!;
      expect(top.phrase).toBe('option pool');
      expect(top.count).toBe(3);
      // "tax rule" is in both recommendations' reasons, so it weighs less than "option pool".
      const tax = results.themes.all.find((t) => t.phrase === 'tax rule');
      expect(tax?.score ?? 0).toBeLessThan(top.score);
      expect(top.quotes).toHaveLength(3);
      expect(top.quotes.map((q) => q.text)).not.toContain('Option pools: a secret plan.');
      expect(top.quotes.every((q) => q.attribution.kind === 'named')).toBe(true);
      expect(top.quotes[0]!.attribution).toMatchObject({ organisation: 'Example Ltd' });
      expect(top.quotes[0]!.id).toMatch(/^[0-9a-f]{12}$/);
      expect(results.themes.investor).toEqual([]);
      expect(results.themes.founder[0]!.phrase).toBe('option pool');

      const organiser = await getRecommendationResults(db, pools, {
        verifiedOnly: false,
        audience: 'organiser',
      });
      expect(organiser.organiser!.unpublished.all).toEqual({ private: 1, pending: 1, hidden: 0 });
      expect(organiser.counts.all.answers).toBe(5);
    });

    test('hiding a reason takes it out of tone and key phrases but keeps its stance', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const rec = recommendations[0]!.id;
      const texts = ['Awful, harmful scheme design.', 'Awful scheme design, truly harmful.'];
      const ids = [];
      for (const text of texts) {
        ids.push(
          await insertAnsweredResponse(db, consultation.id, {
            consent: 'anonymous',
            answers: [{ recommendationId: rec, stance: 'oppose', reasons: text }],
          }),
        );
      }
      let results = await getRecommendationResults(db, rec, {
        verifiedOnly: false,
        audience: 'organiser',
      });
      expect(results.counts.all.tone.n).toBe(2);
      expect(results.themes.all.map((t) => t.phrase)).toContain('scheme design');

      await db
        .updateTable('submitted_answers')
        .set({ quote_status: 'hidden' })
        .where('response_id', '=', ids[0]!.responseId)
        .execute();
      results = await getRecommendationResults(db, rec, {
        verifiedOnly: false,
        audience: 'organiser',
      });
      expect(results.counts.all.stance.oppose).toBe(2);
      expect(results.counts.all.tone.n).toBe(1);
      expect(results.organiser!.unpublished.all.hidden).toBe(1);
      // One reason left: a phrase in one reason is not a theme.
      expect(results.themes.all).toEqual([]);
      expect(await checkResults(db)).toEqual([]);
    });

    test('deleting an account withdraws its response from every count where the policy is to erase', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      await db
        .updateTable('consultations')
        .set({ deletion_policy: 'erase' })
        .where('id', '=', consultation.id)
        .execute();
      const rec = recommendations[0]!.id;
      const kept = await insertAnsweredResponse(db, consultation.id, {
        answers: [{ recommendationId: rec, stance: 'support', reasons: 'Great for hiring.' }],
      });
      const gone = await insertAnsweredResponse(db, consultation.id, {
        segment: 'investor',
        answers: [{ recommendationId: rec, stance: 'oppose', reasons: 'Terrible for hiring.' }],
      });
      await eraseAccount(db, gone.userId, ctx());
      const results = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      expect(results.responses).toEqual({ all: 1, founder: 1, investor: 0, other: 0 });
      expect(results.recommendations[0]!.counts.investor.answers).toBe(0);
      expect(results.recommendations[0]!.counts.founder.answers).toBe(1);
      expect(kept.responseId).toBeTruthy();
      expect(await checkResults(db)).toEqual([]);
    });

    test('changing consent after submitting moves reasons in and out of quotes and key phrases', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const rec = recommendations[0]!.id;
      const respondents = [];
      for (let i = 0; i < 2; i++) {
        respondents.push(
          await insertAnsweredResponse(db, consultation.id, {
            consent: 'named',
            answers: [
              { recommendationId: rec, stance: 'support', reasons: 'Cheaper share schemes.' },
            ],
          }),
        );
      }
      await db
        .updateTable('responses')
        .set({ consent: 'private' })
        .where('id', '=', respondents[0]!.responseId)
        .execute();
      const results = await getRecommendationResults(db, rec, {
        verifiedOnly: false,
        audience: 'organiser',
      });
      expect(results.themes.all).toEqual([]);
      expect(results.organiser!.unpublished.all.private).toBe(1);
      expect(await checkResults(db)).toEqual([]);
    });

    test('comments count when visible, with their tone; held and hidden ones only for organisers', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const rec = recommendations[0]!;
      const me = await createRespondent(db, { segment: 'investor' });
      await postComment(
        db,
        me,
        consultation.slug,
        rec.slug,
        { body: 'A wonderful, sensible idea.', parentId: undefined },
        ctx(),
      );
      const held = await insertComment(db, rec.id, { body: 'Wait for me.', status: 'held' });
      const hidden = await insertComment(db, rec.id, { body: 'Rude words.' });
      await db
        .updateTable('comments')
        .set({ status: 'hidden' })
        .where('id', '=', hidden.id)
        .execute();
      const results = await getRecommendationResults(db, rec.id, {
        verifiedOnly: false,
        audience: 'organiser',
      });
      expect(results.counts.investor.comments).toBe(1);
      expect(results.counts.all.comments).toBe(1);
      expect(results.counts.all.commentTone).toMatchObject({ n: 1, positive: 1 });
      expect(results.organiser!.comments.all).toEqual({ held: 1, hidden: 1 });
      expect(held.id).toBeTruthy();
      expect(await checkResults(db)).toEqual([]);
    });

    test('answers whose tone contradicts their stance are shown to organisers only', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const rec = recommendations[0]!.id;
      await insertAnsweredResponse(db, consultation.id, {
        answers: [
          {
            recommendationId: rec,
            stance: 'strongly_support',
            reasons: 'This is a terrible, awful, damaging idea.',
          },
        ],
      });
      await insertAnsweredResponse(db, consultation.id, {
        answers: [{ recommendationId: rec, stance: 'support', reasons: 'Excellent and fair.' }],
      });
      const results = await getRecommendationResults(db, rec, {
        verifiedOnly: false,
        audience: 'organiser',
      });
      expect(results.organiser!.disagreements.all).toBe(1);
      expect(results.organiser!.disagreementExamples).toEqual([
        expect.objectContaining({
          stance: 'strongly_support',
          text: 'This is a terrible, awful, damaging idea.',
        }),
      ]);
      expect(results.organiser!.disagreementExamples[0]!.tone).toBeLessThan(-0.3);
    });

    test('the daily series counts answers on the day each response was first submitted', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const rec = recommendations[0]!.id;
      const start = Date.UTC(2026, 10, 2, 12);
      for (const [offset, stance] of [
        [0, 'support'],
        [0, 'oppose'],
        [2, 'support'],
      ] as const) {
        await insertAnsweredResponse(db, consultation.id, {
          submittedAt: new Date(start + offset * DAY),
          answers: [{ recommendationId: rec, stance }],
        });
      }
      const results = await getRecommendationResults(db, rec, {
        verifiedOnly: false,
        audience: 'public',
      });
      expect(results.daily.all.map((d) => [d.day, d.answers, d.stance.support])).toEqual([
        ['2026-11-02', 2, 1],
        ['2026-11-04', 1, 1],
      ]);
      const overview = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      expect(overview.daily).toEqual([
        { day: '2026-11-02', responses: 2 },
        { day: '2026-11-04', responses: 1 },
      ]);
    });

    test('the check reports a rollup that drifted, and the rebuild repairs it', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const rec = recommendations[0]!.id;
      await insertAnsweredResponse(db, consultation.id, {
        answers: [{ recommendationId: rec, stance: 'support', importance: 4 }],
      });
      await sql`update result_answer_counts set support = support + 5
        where recommendation_id = ${rec}`.execute(db);
      const mismatches = await checkResults(db);
      expect(mismatches).toEqual([
        expect.objectContaining({
          table: 'result_answer_counts',
          column: 'support',
          stored: 6,
          expected: 1,
        }),
      ]);
      await rebuildResults(db);
      expect(await checkResults(db)).toEqual([]);
      const results = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      expect(results.recommendations[0]!.counts.all.stance.support).toBe(1);
    });

    test('folding shards of past days and of phrases keeps every total and reads fewer rows', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const rec = recommendations[0]!.id;
      for (let i = 0; i < 12; i++) {
        await insertAnsweredResponse(db, consultation.id, {
          consent: 'named',
          submittedAt: new Date(Date.now() - (1 + (i % 3)) * DAY),
          answers: [{ recommendationId: rec, stance: 'support', reasons: 'Cheaper option pools.' }],
        });
      }
      await insertAnsweredResponse(db, consultation.id, {
        answers: [{ recommendationId: rec, stance: 'oppose' }],
      });
      const before = await getRecommendationResults(db, rec, {
        verifiedOnly: false,
        audience: 'organiser',
      });
      const shardedRows = () =>
        sql<{ n: number }>`select count(*)::int as n from result_daily_counts
          where recommendation_id = ${rec} and shard <> 0
            and day < (now() at time zone 'UTC')::date`.execute(db);
      expect((await shardedRows()).rows[0]!.n).toBeGreaterThan(0);

      expect(await compactResults(db)).toBeGreaterThan(0);
      expect((await shardedRows()).rows[0]!.n).toBe(0);
      const phraseRows = await sql<{ n: number }>`select count(*)::int as n
        from result_phrase_counts where recommendation_id = ${rec} and phrase = 'option pool'`.execute(
        db,
      );
      expect(phraseRows.rows[0]!.n).toBe(1);
      const after = await getRecommendationResults(db, rec, {
        verifiedOnly: false,
        audience: 'organiser',
      });
      expect(after).toEqual(before);
      expect(await checkResults(db)).toEqual([]);
    });

    test('many respondents submitting and resubmitting at once are each counted once', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const people = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          createRespondent(db, { segment: (['founder', 'investor', 'other'] as const)[i % 3] }),
        ),
      );
      const answerAll = (me: (typeof people)[number], stance: string, reasons: string) =>
        Promise.all(
          recommendations.map((r) =>
            saveAnswer(db, me, consultation.slug, r.slug, page({ stance, reasons })),
          ),
        );
      for (const me of people) await answerAll(me, 'support', 'Great, fair and simple.');
      // Everyone submits at once, then half change their mind and resubmit at once.
      await Promise.all(
        people.map((me) => submitChoosingPublishing(db, me, consultation.slug, randomUUID())),
      );
      for (const me of people.slice(0, 6)) await answerAll(me, 'oppose', 'Costly and confusing.');
      await Promise.all(
        people
          .slice(0, 6)
          .map((me) => submitChoosingPublishing(db, me, consultation.slug, randomUUID())),
      );
      const results = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      expect(results.responses.all).toBe(12);
      for (const r of results.recommendations) {
        expect(r.counts.all.stance).toMatchObject({ support: 6, oppose: 6 });
        expect(r.counts.all.tone).toMatchObject({ n: 12, positive: 6, negative: 6 });
      }
      expect(await checkResults(db)).toEqual([]);
    });

    test('unknown or malformed ids are not found', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        await expect(
          getConsultationResults(db, id, { verifiedOnly: false }),
        ).rejects.toBeInstanceOf(DomainError);
        await expect(
          getRecommendationResults(db, id, { verifiedOnly: false, audience: 'public' }),
        ).rejects.toMatchObject({ code: 'not_found' });
      }
    });
  });
}

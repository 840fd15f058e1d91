import { randomUUID } from 'node:crypto';
import { SEGMENTS, STANCES } from '~/lib/enums';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CommentStatus, Consent, DB, QuoteStatus, Stance } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import { DomainError } from '~/.server/errors';
import { saveAnswer } from '~/.server/responses';
import {
  checkResults,
  compactResults,
  getConsultationResults,
  getRecommendationResults,
  scoreTone,
} from '~/.server/results';
import { AnswerSchema } from '~/lib/schemas/responses';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createRecommendation,
  createRespondent,
  verifyProfile,
  submitChoosingPublishing,
} from '#tests/support/factories';

// After any sequence of submits, edits, withdrawals (account deletion), moderation of quotes and
// comments, consent changes, verification changes and folding of counter shards, the results read from the rollups equal
// an aggregation done here, in JavaScript, from the rows themselves; and the rollups equal the
// database's own from-scratch views.

const PEOPLE = 5;
const TEXTS = [
  'A brilliant and fair idea that would help founders.',
  'Awful, costly and confusing for small teams.',
  'Open models and open data for public research.',
  '',
];
const RUNS = Number(process.env.RESULTS_PROPERTY_RUNS ?? 12);

const answerArb = fc.option(
  fc.record({
    stance: fc.constantFrom<Stance | ''>('', ...STANCES),
    importance: fc.constantFrom('', '1', '3', '5'),
    reasons: fc.constantFrom(...TEXTS),
  }),
  { nil: null },
);
const person = fc.nat(PEOPLE - 1);
const rec = fc.nat(1);
const actionArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      person,
      answers: fc.tuple(answerArb, answerArb),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), person }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('quote' as const),
      person,
      rec,
      status: fc.constantFrom<QuoteStatus>('published', 'pending', 'hidden'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('consent' as const),
      person,
      consent: fc.constantFrom<Consent>('named', 'anonymous', 'private'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('verify' as const), person, verified: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('comment' as const),
      person,
      rec,
      text: fc.constantFrom(...TEXTS.slice(0, 3)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('moderateComment' as const),
      index: fc.nat(20),
      status: fc.constantFrom<CommentStatus>('visible', 'held', 'hidden', 'deleted'),
    }),
  },
);
type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

for (const backend of BACKENDS) {
  describe(`${backend}: results rollups under random changes`, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function run(actions: Action[]) {
      const consultation = await createConsultation(db, { status: 'open' });
      const recs = [
        await createRecommendation(db, consultation.id),
        await createRecommendation(db, consultation.id),
      ];
      const people: (Viewer | null)[] = Array.from({ length: PEOPLE }, () => null);
      const comments: string[] = [];
      const personAt = async (i: number) =>
        (people[i] ??= await createRespondent(db, { segment: SEGMENTS[i % 3] }));
      const responseOf = async (i: number) =>
        people[i]
          ? db
              .selectFrom('responses')
              .select('id')
              .where('consultation_id', '=', consultation.id)
              .where('user_id', '=', people[i]!.id)
              .executeTakeFirst()
          : undefined;

      for (const action of actions) {
        if (action.kind === 'submit') {
          const me = await personAt(action.person);
          for (const [i, answer] of action.answers.entries()) {
            if (!answer) continue;
            const parsed = AnswerSchema.safeParse({ ...answer, changeMind: '' });
            if (!parsed.success) continue;
            await saveAnswer(db, me, consultation.slug, recs[i]!.slug, parsed.data);
          }
          try {
            await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
        } else if (action.kind === 'withdraw') {
          const me = people[action.person];
          if (!me) continue;
          await db.deleteFrom('users').where('id', '=', me.id).execute();
          people[action.person] = null;
        } else if (action.kind === 'quote') {
          const response = await responseOf(action.person);
          if (!response) continue;
          await db
            .updateTable('submitted_answers')
            .set({ quote_status: action.status })
            .where('response_id', '=', response.id)
            .where('recommendation_id', '=', recs[action.rec]!.id)
            .execute();
        } else if (action.kind === 'consent') {
          const response = await responseOf(action.person);
          if (!response) continue;
          await db
            .updateTable('responses')
            .set({ consent: action.consent })
            .where('id', '=', response.id)
            .execute();
        } else if (action.kind === 'verify') {
          // Counts change only at the next submit, which takes a new snapshot of the profile.
          const me = await personAt(action.person);
          await verifyProfile(db, me.id, action.verified);
        } else if (action.kind === 'comment') {
          const me = await personAt(action.person);
          const profile = await db
            .selectFrom('respondent_profiles')
            .select(['display_name', 'segment', 'verified'])
            .where('user_id', '=', me.id)
            .executeTakeFirstOrThrow();
          const row = await db
            .insertInto('comments')
            .values({
              recommendation_id: recs[action.rec]!.id,
              consultation_id: consultation.id,
              author_id: me.id,
              parent_id: null,
              thread_id: null,
              depth: 0,
              body: action.text,
              author_segment: profile.segment,
              author_display_name: profile.display_name,
              author_verified: profile.verified,
              tone: scoreTone(action.text),
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          comments.push(row.id);
        } else if (action.kind === 'compact') {
          await compactResults(db);
        } else {
          const id = comments[action.index % Math.max(1, comments.length)];
          if (!id) continue;
          await db
            .updateTable('comments')
            // A held comment always says why it is held (a database check).
            .set({
              status: action.status,
              held_reason: action.status === 'held' ? 'links' : null,
            })
            .where('id', '=', id)
            .execute();
        }
      }
      return { consultation, recs };
    }

    /** The same numbers as the results, aggregated here from the rows themselves. */
    async function aggregateByHand(consultationId: string, recommendationId: string) {
      const answers = await db
        .selectFrom('submitted_answers')
        .innerJoin('responses', 'responses.id', 'submitted_answers.response_id')
        .select([
          'responses.segment',
          'responses.consent',
          'submitted_answers.stance',
          'submitted_answers.importance',
          'submitted_answers.reasons',
          'submitted_answers.tone',
          'submitted_answers.quote_status',
        ])
        .where('submitted_answers.consultation_id', '=', consultationId)
        .where('submitted_answers.recommendation_id', '=', recommendationId)
        .execute();
      const comments = await db
        .selectFrom('comments')
        .select(['author_segment', 'status'])
        .where('recommendation_id', '=', recommendationId)
        .execute();
      return SEGMENTS.map((segment) => {
        const mine = answers.filter((a) => a.segment === segment);
        const toned = mine.filter((a) => a.tone !== null && a.quote_status !== 'hidden');
        const withText = mine.filter((a) => (a.reasons ?? '').trim() !== '');
        return {
          segment,
          answers: mine.length,
          stance: Object.fromEntries(
            STANCES.map((s) => [s, mine.filter((a) => a.stance === s).length]),
          ),
          importance: {
            n: mine.filter((a) => a.importance !== null).length,
            sum: mine.reduce((sum, a) => sum + (a.importance ?? 0), 0),
            sumOfSquares: mine.reduce((sum, a) => sum + (a.importance ?? 0) ** 2, 0),
          },
          toneN: toned.length,
          toneSum: Math.round(toned.reduce((sum, a) => sum + Number(a.tone), 0) * 1000) / 1000,
          hidden: withText.filter((a) => a.quote_status === 'hidden').length,
          private: withText.filter((a) => a.quote_status !== 'hidden' && a.consent === 'private')
            .length,
          comments: comments.filter((c) => c.author_segment === segment && c.status === 'visible')
            .length,
          held: comments.filter((c) => c.author_segment === segment && c.status === 'held').length,
        };
      });
    }

    test('rollups equal a from-scratch aggregation after any sequence of changes', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 14 }), async (actions) => {
          const { consultation, recs } = await run(actions);
          expect(await checkResults(db)).toEqual([]);
          const overview = await getConsultationResults(db, consultation.id, {
            verifiedOnly: false,
          });
          const submitted = await db
            .selectFrom('responses')
            .select(['segment'])
            .where('consultation_id', '=', consultation.id)
            .where('status', '=', 'submitted')
            .execute();
          expect(overview.responses.all).toBe(submitted.length);
          for (const [i, r] of recs.entries()) {
            const detail = await getRecommendationResults(db, r.id, {
              verifiedOnly: false,
              audience: 'organiser',
            });
            for (const expected of await aggregateByHand(consultation.id, r.id)) {
              const counts = overview.recommendations[i]!.counts[expected.segment];
              expect(counts.answers).toBe(expected.answers);
              expect(counts.stance).toEqual(expected.stance);
              expect(counts.importance).toEqual(expected.importance);
              expect(counts.tone.n).toBe(expected.toneN);
              expect(counts.tone.sum).toBeCloseTo(expected.toneSum, 6);
              expect(counts.comments).toBe(expected.comments);
              expect(detail.organiser!.unpublished[expected.segment]).toMatchObject({
                hidden: expected.hidden,
                private: expected.private,
              });
              expect(detail.organiser!.comments[expected.segment].held).toBe(expected.held);
            }
          }
        }),
        { numRuns: RUNS },
      );
    }, 240_000);
  });
}

import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Consultation, DB, Recommendation } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import { updateProfile } from '~/.server/profiles';
import {
  changeConsent,
  getQuestionnaire,
  getReceipt,
  getRespondOutline,
  getResponseForOrganiser,
  listMyResponses,
  listResponsesForOrganiser,
  saveAnswer,
  saveFinalStep,
  saveProfileStep,
  submitResponse,
} from '~/.server/responses';
import { exportMyData, purgeExpiredPersonalData } from '~/.server/privacy';
import {
  AnswerSchema,
  FinalStepSchema,
  ProfileSchema,
  ProfileStepSchema,
  type ResponseFilters,
} from '~/lib/schemas/responses';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation as insertConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  ctx,
  insertSubmittedResponse,
  submitChoosingPublishing,
} from '#tests/support/factories';
import { everyFulfilled, rejection } from '#tests/support/outcomes';

const DAY = 24 * 60 * 60 * 1000;
const REFERENCE = /^[0-9A-Z]{4}-[0-9A-Z]{4}$/;

/** One questionnaire page as the form posts it, parsed as the route parses it. */
function page(fields: Partial<Record<'stance' | 'importance' | 'reasons' | 'changeMind', string>>) {
  return AnswerSchema.parse({ stance: '', importance: '', reasons: '', changeMind: '', ...fields });
}

function profile(fields: Record<string, string>) {
  return ProfileSchema.parse(fields);
}

function filters(overrides: Partial<ResponseFilters> = {}): ResponseFilters {
  return {
    segment: undefined,
    recommendation: undefined,
    stance: undefined,
    after: undefined,
    ...overrides,
  };
}

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    let organiser: Viewer;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
      organiser = await createOrganiser(db);
    });
    afterAll(() => t?.destroy());

    /** An open consultation (closing in 30 days) with the given number of recommendations. */
    async function openConsultation(
      count = 3,
      overrides: Parameters<typeof insertConsultation>[1] = {},
    ): Promise<{ consultation: Consultation; recommendations: Recommendation[] }> {
      const consultation = await insertConsultation(db, { status: 'open', ...overrides });
      const recommendations = [];
      for (let i = 0; i < count; i++) {
        recommendations.push(await createRecommendation(db, consultation.id));
      }
      return { consultation, recommendations };
    }

    async function responsesOf(consultationId: string, userId?: string) {
      return db
        .selectFrom('responses')
        .selectAll()
        .where('consultation_id', '=', consultationId)
        .$if(userId !== undefined, (q) => q.where('user_id', '=', userId!))
        .execute();
    }

    async function responseOf(consultationId: string, userId: string) {
      return db
        .selectFrom('responses')
        .selectAll()
        .where('consultation_id', '=', consultationId)
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
    }

    /** The working copy, as `recommendation slug: stance`, in recommendation order. */
    async function workingAnswers(responseId: string) {
      return db
        .selectFrom('response_answers')
        .innerJoin('recommendations', 'recommendations.id', 'response_answers.recommendation_id')
        .select([
          'recommendations.slug',
          'response_answers.stance',
          'response_answers.importance',
          'response_answers.reasons',
          'response_answers.change_mind',
        ])
        .where('response_answers.response_id', '=', responseId)
        .orderBy('recommendations.number')
        .execute();
    }

    /** The answers that count, in the same shape as `workingAnswers`. */
    async function countedAnswers(responseId: string) {
      return db
        .selectFrom('submitted_answers')
        .innerJoin('recommendations', 'recommendations.id', 'submitted_answers.recommendation_id')
        .select([
          'recommendations.slug',
          'submitted_answers.stance',
          'submitted_answers.importance',
          'submitted_answers.reasons',
          'submitted_answers.change_mind',
        ])
        .where('submitted_answers.response_id', '=', responseId)
        .orderBy('recommendations.number')
        .execute();
    }

    async function versionsOf(responseId: string) {
      return db
        .selectFrom('response_versions')
        .select(['number', 'idempotency_key', 'snapshot'])
        .where('response_id', '=', responseId)
        .orderBy('number')
        .execute();
    }

    async function closeNow(consultationId: string) {
      await db
        .updateTable('consultations')
        .set({ closes_at: new Date(Date.now() - 60_000) })
        .where('id', '=', consultationId)
        .execute();
    }

    async function setStatus(consultationId: string, status: Consultation['status']) {
      await db
        .updateTable('consultations')
        .set({ status })
        .where('id', '=', consultationId)
        .execute();
    }

    /** A respondent who has answered the first recommendation and submitted. */
    async function submittedRespondent(
      consultation: Consultation,
      recommendation: Recommendation,
      stance = 'support',
    ) {
      const me = await createRespondent(db);
      await saveAnswer(db, me, consultation.slug, recommendation.slug, page({ stance }));
      const key = randomUUID();
      const receipt = await submitChoosingPublishing(db, me, consultation.slug, key);
      return { me, key, receipt };
    }

    // --- Answering -------------------------------------------------------------------------

    test('saving a first answer starts one draft response holding that answer', async () => {
      const { consultation, recommendations } = await openConsultation();
      const [first, second] = recommendations;
      const me = await createRespondent(db);

      const result = await saveAnswer(
        db,
        me,
        consultation.slug,
        first!.slug,
        page({ stance: 'support', importance: '4', reasons: 'Cheaper to comply.' }),
      );

      expect(result.next).toBe(
        `/consultations/${consultation.slug}/respond/recommendations/${second!.slug}`,
      );
      const rows = await responsesOf(consultation.id, me.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'draft', reference: null, current_version: 0 });
      expect(await workingAnswers(rows[0]!.id)).toEqual([
        {
          slug: first!.slug,
          stance: 'support',
          importance: 4,
          reasons: 'Cheaper to comply.',
          change_mind: null,
        },
      ]);
    });

    test('saving the last recommendation leads on to the overall-comments page', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const me = await createRespondent(db);

      const result = await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendations[1]!.slug,
        page({ stance: 'neutral' }),
      );

      expect(result.next).toBe(`/consultations/${consultation.slug}/respond/final`);
    });

    test('saving the same page again replaces the answer: the later save wins', async () => {
      const { consultation, recommendations } = await openConsultation();
      const rec = recommendations[0]!;
      const me = await createRespondent(db);
      await saveAnswer(
        db,
        me,
        consultation.slug,
        rec.slug,
        page({
          stance: 'strongly_support',
          importance: '5',
          reasons: 'First thoughts.',
          changeMind: 'Evidence of cost.',
        }),
      );

      await saveAnswer(
        db,
        me,
        consultation.slug,
        rec.slug,
        page({ stance: 'oppose', reasons: 'Second thoughts.' }),
      );

      const response = await responseOf(consultation.id, me.id);
      expect(await workingAnswers(response.id)).toEqual([
        {
          slug: rec.slug,
          stance: 'oppose',
          importance: null,
          reasons: 'Second thoughts.',
          change_mind: null,
        },
      ]);
    });

    test('saving a page left empty clears that recommendation’s answer', async () => {
      const { consultation, recommendations } = await openConsultation();
      const [first, second] = recommendations;
      const me = await createRespondent(db);
      await saveAnswer(db, me, consultation.slug, first!.slug, page({ stance: 'support' }));
      await saveAnswer(db, me, consultation.slug, second!.slug, page({ stance: 'oppose' }));

      await saveAnswer(db, me, consultation.slug, first!.slug, page({}));

      const response = await responseOf(consultation.id, me.id);
      expect((await workingAnswers(response.id)).map((a) => `${a.slug}:${a.stance}`)).toEqual([
        `${second!.slug}:oppose`,
      ]);
    });

    test('answers saved at once from two tabs on different recommendations both survive', async () => {
      const { consultation, recommendations } = await openConsultation();
      const [first, second] = recommendations;
      const me = await createRespondent(db);

      await Promise.all([
        saveAnswer(db, me, consultation.slug, first!.slug, page({ stance: 'support' })),
        saveAnswer(db, me, consultation.slug, second!.slug, page({ stance: 'strongly_oppose' })),
      ]);

      const rows = await responsesOf(consultation.id, me.id);
      expect(rows).toHaveLength(1);
      expect((await workingAnswers(rows[0]!.id)).map((a) => `${a.slug}:${a.stance}`)).toEqual([
        `${first!.slug}:support`,
        `${second!.slug}:strongly_oppose`,
      ]);
    });

    test('an answer to a recommendation that does not exist is not found and starts nothing', async () => {
      const { consultation } = await openConsultation(1);
      const me = await createRespondent(db);

      const error = await rejection(
        saveAnswer(
          db,
          me,
          consultation.slug,
          'no-such-recommendation',
          page({ stance: 'support' }),
        ),
      );

      expect(error.code).toBe('not_found');
      expect(await responsesOf(consultation.id)).toEqual([]);
    });

    test('a recommendation of another consultation cannot be answered here', async () => {
      const { consultation } = await openConsultation(1);
      const other = await openConsultation(1);
      const me = await createRespondent(db);

      const error = await rejection(
        saveAnswer(
          db,
          me,
          consultation.slug,
          other.recommendations[0]!.slug,
          page({ stance: 'support' }),
        ),
      );

      expect(error.code).toBe('not_found');
      expect(await responsesOf(consultation.id)).toEqual([]);
      expect(await responsesOf(other.consultation.id)).toEqual([]);
    });

    test('a draft consultation cannot be answered: it is not found', async () => {
      const draft = await insertConsultation(db, { status: 'draft' });
      const rec = await createRecommendation(db, draft.id);
      const me = await createRespondent(db);

      const error = await rejection(
        saveAnswer(db, me, draft.slug, rec.slug, page({ stance: 'support' })),
      );

      expect(error.code).toBe('not_found');
      expect(await responsesOf(draft.id)).toEqual([]);
    });

    test('a consultation past its closing time refuses answers and stores nothing', async () => {
      const { consultation, recommendations } = await openConsultation(1, {
        opens_at: new Date(Date.now() - 10 * DAY),
        closes_at: new Date(Date.now() - DAY),
      });
      const me = await createRespondent(db);

      const error = await rejection(
        saveAnswer(
          db,
          me,
          consultation.slug,
          recommendations[0]!.slug,
          page({ stance: 'support' }),
        ),
      );

      expect(error.code).toBe('closed');
      expect(error.message).toMatch(/closed on/);
      expect(await responsesOf(consultation.id)).toEqual([]);
      expect(
        (
          await rejection(
            saveFinalStep(db, me, consultation.slug, { consent: 'named', overallComments: 'Late' }),
          )
        ).code,
      ).toBe('closed');
      expect(await responsesOf(consultation.id)).toEqual([]);
    });

    test('a consultation not yet open refuses answers, saying when it opens', async () => {
      const { consultation, recommendations } = await openConsultation(1, {
        opens_at: new Date(Date.now() + 2 * DAY),
        closes_at: new Date(Date.now() + 30 * DAY),
      });
      const me = await createRespondent(db);

      const error = await rejection(
        saveAnswer(
          db,
          me,
          consultation.slug,
          recommendations[0]!.slug,
          page({ stance: 'support' }),
        ),
      );

      expect(error.code).toBe('closed');
      expect(error.message).toContain('opens on');
      expect(await responsesOf(consultation.id)).toEqual([]);
    });

    test('someone signed out is asked to sign in before answering or submitting', async () => {
      const { consultation, recommendations } = await openConsultation(1);

      expect(
        (
          await rejection(
            saveAnswer(
              db,
              null,
              consultation.slug,
              recommendations[0]!.slug,
              page({ stance: 'support' }),
            ),
          )
        ).code,
      ).toBe('unauthenticated');
      expect(
        (await rejection(submitResponse(db, null, consultation.slug, randomUUID()))).code,
      ).toBe('unauthenticated');
      expect(await responsesOf(consultation.id)).toEqual([]);
    });

    test('the respond outline lists the recommendations asked about, in order, and nothing of a response', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const placeholder = await createRecommendation(db, consultation.id, { state: 'placeholder' });
      const me = await createRespondent(db);
      const outline = await getRespondOutline(db, me, consultation.slug);
      expect(outline).toEqual({
        consultation: {
          slug: consultation.slug,
          title: consultation.title,
          phase: 'open',
          opensAt: consultation.opens_at,
          closesAt: consultation.closes_at,
        },
        recommendations: recommendations.map((r) => ({ slug: r.slug, number: r.number })),
      });
      expect(outline.recommendations.map((r) => r.slug)).not.toContain(placeholder.slug);
      expect((await rejection(getRespondOutline(db, null, consultation.slug))).code).toBe(
        'unauthenticated',
      );
      const draft = await insertConsultation(db, { status: 'draft' });
      expect((await rejection(getRespondOutline(db, me, draft.slug))).code).toBe('not_found');
    });

    // --- Submitting ------------------------------------------------------------------------

    test('submitting without answering any recommendation is refused and submits nothing', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const neverStarted = await createRespondent(db);
      const onlyComments = await createRespondent(db);
      const clearedAnswer = await createRespondent(db);
      await saveFinalStep(db, onlyComments, consultation.slug, {
        consent: 'anonymous',
        overallComments: 'Just a comment.',
      });
      await saveAnswer(
        db,
        clearedAnswer,
        consultation.slug,
        recommendations[0]!.slug,
        page({ stance: 'support' }),
      );
      await saveAnswer(db, clearedAnswer, consultation.slug, recommendations[0]!.slug, page({}));

      for (const me of [neverStarted, onlyComments, clearedAnswer]) {
        const error = await rejection(
          submitChoosingPublishing(db, me, consultation.slug, randomUUID()),
        );
        expect(error.code).toBe('invalid');
        expect(error.message).toMatch(/at least one recommendation/);
      }

      const rows = await responsesOf(consultation.id);
      expect(rows.map((r) => r.status)).toEqual(['draft', 'draft']);
      expect(rows.every((r) => r.reference === null)).toBe(true);
      const versions = await db
        .selectFrom('response_versions')
        .select('id')
        .where(
          'response_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      expect(versions).toEqual([]);
    });

    test('submitting gives a reference and version 1, counts the answers and keeps a snapshot', async () => {
      const { consultation, recommendations } = await openConsultation(3);
      const [first, , third] = recommendations;
      const me = await createRespondent(db);
      await saveAnswer(
        db,
        me,
        consultation.slug,
        first!.slug,
        page({ stance: 'support', importance: '4', reasons: 'Good for growth.' }),
      );
      await saveAnswer(
        db,
        me,
        consultation.slug,
        third!.slug,
        page({ stance: 'oppose', changeMind: 'A pilot that worked.' }),
      );
      await saveFinalStep(db, me, consultation.slug, {
        consent: 'named',
        overallComments: 'Broadly right.',
      });
      const key = randomUUID();

      const result = await submitChoosingPublishing(db, me, consultation.slug, key);

      expect(result).toEqual({
        reference: expect.stringMatching(REFERENCE),
        version: 1,
        replayed: false,
        unchanged: false,
      });
      const response = await responseOf(consultation.id, me.id);
      expect(response).toMatchObject({
        status: 'submitted',
        reference: result.reference,
        current_version: 1,
        has_unsubmitted_changes: false,
        submitted_overall_comments: 'Broadly right.',
        consent: 'named',
      });
      expect(response.first_submitted_at).toEqual(response.last_submitted_at);
      const working = await workingAnswers(response.id);
      expect(working).toHaveLength(2);
      expect(await countedAnswers(response.id)).toEqual(working);
      const versions = await versionsOf(response.id);
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({
        number: 1,
        idempotency_key: key,
        snapshot: {
          consent: 'named',
          overallComments: 'Broadly right.',
          profile: { displayName: me.displayName, segment: 'founder' },
          answers: expect.arrayContaining([
            expect.objectContaining({
              recommendationId: first!.id,
              stance: 'support',
              importance: 4,
              reasons: 'Good for growth.',
            }),
            expect.objectContaining({
              recommendationId: third!.id,
              stance: 'oppose',
              changeMind: 'A pilot that worked.',
            }),
          ]),
        },
      });
      const receipt = await getReceipt(db, me, consultation.slug);
      expect(receipt).toMatchObject({
        reference: result.reference,
        version: 1,
        consent: 'named',
        hasUnsubmittedChanges: false,
      });
      expect(receipt.versions.map((v) => v.number)).toEqual([1]);
    });

    test('two respondents get different references', async () => {
      const { consultation, recommendations } = await openConsultation(1);

      const a = await submittedRespondent(consultation, recommendations[0]!);
      const b = await submittedRespondent(consultation, recommendations[0]!);

      expect(a.receipt.reference).not.toBe(b.receipt.reference);
    });

    test('the profile at submission stays on the response when the profile changes later', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const me = await createRespondent(db);
      await saveProfileStep(
        db,
        me,
        consultation.slug,
        profile({
          segment: 'founder',
          organisation: 'Acme Robotics',
          organisationStage: 'seed',
          region: 'Wales',
        }),
      );
      await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendations[0]!.slug,
        page({ stance: 'support' }),
      );
      const { reference } = await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      const atSubmission = {
        segment: 'founder',
        segment_other: null,
        organisation: 'Acme Robotics',
        organisation_stage: 'seed',
        region: 'Wales',
        display_name: me.displayName,
      };
      expect(await responseOf(consultation.id, me.id)).toMatchObject(atSubmission);

      await updateProfile(
        db,
        me,
        profile({
          segment: 'investor',
          organisation: 'Big Fund',
          organisationStage: 'vc',
          region: 'London',
        }),
      );
      await saveProfileStep(
        db,
        me,
        consultation.slug,
        profile({ segment: 'other', segmentOther: 'Academic', region: 'Scotland' }),
      );

      const profileNow = await db
        .selectFrom('respondent_profiles')
        .select(['segment', 'segment_other', 'organisation', 'organisation_stage', 'region'])
        .where('user_id', '=', me.id)
        .executeTakeFirstOrThrow();
      expect(profileNow).toEqual({
        segment: 'other',
        segment_other: 'Academic',
        organisation: null,
        organisation_stage: null,
        region: 'Scotland',
      });
      expect(await responseOf(consultation.id, me.id)).toMatchObject(atSubmission);
      const [version] = await versionsOf((await responseOf(consultation.id, me.id)).id);
      expect(version!.snapshot).toMatchObject({
        profile: {
          segment: 'founder',
          organisation: 'Acme Robotics',
          organisationStage: 'seed',
          region: 'Wales',
        },
      });
      const seen = await getResponseForOrganiser(db, organiser, consultation.slug, reference);
      expect(seen.response).toMatchObject({
        segment: 'founder',
        organisation: 'Acme Robotics',
        organisationStage: 'seed',
        region: 'Wales',
      });
      const bySegment = await listResponsesForOrganiser(
        db,
        organiser,
        consultation.slug,
        filters({ segment: 'founder' }),
      );
      expect(bySegment.responses.map((r) => r.reference)).toEqual([reference]);
    });

    test('resubmitting records who the respondent is at that later submission', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const { me } = await submittedRespondent(consultation, recommendations[0]!);
      await updateProfile(
        db,
        me,
        profile({
          segment: 'investor',
          organisation: 'Big Fund',
          organisationStage: 'angel',
          region: 'London',
        }),
      );

      const { version } = await submitChoosingPublishing(db, me, consultation.slug, randomUUID());

      expect(version).toBe(2);
      expect(await responseOf(consultation.id, me.id)).toMatchObject({
        segment: 'investor',
        organisation: 'Big Fund',
        organisation_stage: 'angel',
        region: 'London',
      });
    });

    // --- Idempotency and races -------------------------------------------------------------

    test('submitting twice with the same key gives the same receipt and records one version', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const { me, key, receipt } = await submittedRespondent(consultation, recommendations[0]!);

      const again = await submitChoosingPublishing(db, me, consultation.slug, key);

      expect(receipt.replayed).toBe(false);
      expect(again).toEqual({
        reference: receipt.reference,
        version: 1,
        replayed: true,
        unchanged: false,
      });
      const response = await responseOf(consultation.id, me.id);
      expect(response.current_version).toBe(1);
      expect(await versionsOf(response.id)).toHaveLength(1);
    });

    test('twenty submits at once with the same key make one response, one version and one reference', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const me = await createRespondent(db);
      await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendations[0]!.slug,
        page({ stance: 'support' }),
      );
      const key = randomUUID();

      const settled = await Promise.allSettled(
        Array.from({ length: 20 }, () => submitChoosingPublishing(db, me, consultation.slug, key)),
      );

      const results = everyFulfilled(settled);
      expect(new Set(results.map((r) => r.reference)).size).toBe(1);
      expect(results.every((r) => r.version === 1)).toBe(true);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      const rows = await responsesOf(consultation.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: 'submitted',
        reference: results[0]!.reference,
        current_version: 1,
      });
      expect(await versionsOf(rows[0]!.id)).toHaveLength(1);
    });

    test('twenty submits at once with different keys make version 1 once; the others, with nothing changed, store nothing', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const me = await createRespondent(db);
      await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendations[0]!.slug,
        page({ stance: 'oppose' }),
      );
      const keys = Array.from({ length: 20 }, () => randomUUID());

      const settled = await Promise.allSettled(
        keys.map((key) => submitChoosingPublishing(db, me, consultation.slug, key)),
      );

      const results = everyFulfilled(settled);
      expect(results.every((r) => r.version === 1)).toBe(true);
      expect(results.filter((r) => !r.unchanged)).toHaveLength(1);
      expect(new Set(results.map((r) => r.reference)).size).toBe(1);
      const rows = await responsesOf(consultation.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.current_version).toBe(1);
      const versions = await versionsOf(rows[0]!.id);
      expect(versions.map((v) => v.number)).toEqual([1]);
      // The key recorded is the one whose caller was told it made the version.
      const maker = keys[results.findIndex((r) => !r.unchanged)];
      expect(versions[0]!.idempotency_key).toBe(maker);
    });

    test('twenty first saves at once start exactly one response', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const me = await createRespondent(db);

      const settled = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          saveAnswer(
            db,
            me,
            consultation.slug,
            recommendations[0]!.slug,
            page({ stance: 'support', reasons: `Save ${i}` }),
          ),
        ),
      );

      everyFulfilled(settled);
      const rows = await responsesOf(consultation.id);
      expect(rows).toHaveLength(1);
      const answers = await workingAnswers(rows[0]!.id);
      expect(answers).toHaveLength(1);
      expect(answers[0]!.reasons).toMatch(/^Save \d+$/);
    });

    // --- Retrying the same page ------------------------------------------------------------

    /** One showing of a recommendation's page, as its form posts it with the page's key. */
    function keyedPage(
      idempotencyKey: string,
      fields: Partial<Record<'stance' | 'importance' | 'reasons' | 'changeMind', string>>,
    ) {
      return AnswerSchema.parse({
        stance: '',
        importance: '',
        reasons: '',
        changeMind: '',
        ...fields,
        idempotencyKey,
      });
    }

    async function answerRow(responseId: string) {
      return db
        .selectFrom('response_answers')
        .select(['stance', 'reasons', 'updated_at'])
        .where('response_id', '=', responseId)
        .executeTakeFirstOrThrow();
    }

    test('the same page saved twice writes once, and both answers are the first one', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const me = await createRespondent(db);
      const form = keyedPage(randomUUID(), { stance: 'support', reasons: 'Sent twice.' });
      const first = await saveAnswer(db, me, consultation.slug, recommendations[0]!.slug, form);
      const response = await responseOf(consultation.id, me.id);
      const saved = await answerRow(response.id);

      const retry = await saveAnswer(db, me, consultation.slug, recommendations[0]!.slug, form);

      expect(retry).toEqual(first);
      expect(await answerRow(response.id)).toEqual(saved);
      expect((await responseOf(consultation.id, me.id)).updated_at).toEqual(response.updated_at);
    });

    test('a retry of a page saved before another tab saved it again does not undo the later save', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const rec = recommendations[0]!;
      const me = await createRespondent(db);
      const tabA = keyedPage(randomUUID(), { stance: 'support', reasons: 'From tab A.' });
      const tabB = keyedPage(randomUUID(), { stance: 'oppose', reasons: 'From tab B, later.' });
      const first = await saveAnswer(db, me, consultation.slug, rec.slug, tabA);
      await saveAnswer(db, me, consultation.slug, rec.slug, tabB);

      const retryOfA = await saveAnswer(db, me, consultation.slug, rec.slug, tabA);

      expect(retryOfA).toEqual(first);
      const response = await responseOf(consultation.id, me.id);
      expect(await answerRow(response.id)).toMatchObject({
        stance: 'oppose',
        reasons: 'From tab B, later.',
      });
    });

    test('twenty copies of one first save at once start one response and write the answer once', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const me = await createRespondent(db);
      const form = keyedPage(randomUUID(), { stance: 'neutral' });

      const results = everyFulfilled(
        await Promise.allSettled(
          Array.from({ length: 20 }, () =>
            saveAnswer(db, me, consultation.slug, recommendations[0]!.slug, form),
          ),
        ),
      );

      expect(new Set(results.map((r) => r.next))).toEqual(
        new Set([`/consultations/${consultation.slug}/respond/final`]),
      );
      const rows = await responsesOf(consultation.id);
      expect(rows).toHaveLength(1);
      expect(await workingAnswers(rows[0]!.id)).toHaveLength(1);
      const claims = await db
        .selectFrom('idempotency_keys')
        .select(['action', 'target_id'])
        .where('user_id', '=', me.id)
        .execute();
      expect(claims).toEqual([
        { action: 'response.answer_saved', target_id: recommendations[0]!.id },
      ]);
    });

    test('one page’s key on two recommendations is two saves: each page is its own form', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const [first, second] = recommendations;
      const me = await createRespondent(db);
      const key = randomUUID();

      await saveAnswer(
        db,
        me,
        consultation.slug,
        first!.slug,
        keyedPage(key, { stance: 'support' }),
      );
      await saveAnswer(
        db,
        me,
        consultation.slug,
        second!.slug,
        keyedPage(key, { stance: 'oppose' }),
      );

      const response = await responseOf(consultation.id, me.id);
      expect((await workingAnswers(response.id)).map((a) => `${a.slug}:${a.stance}`)).toEqual([
        `${first!.slug}:support`,
        `${second!.slug}:oppose`,
      ]);
    });

    test('a retry after the close reports the save made before it; a new save is refused', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const rec = recommendations[0]!;
      const me = await createRespondent(db);
      const form = keyedPage(randomUUID(), { stance: 'support' });
      const first = await saveAnswer(db, me, consultation.slug, rec.slug, form);
      await closeNow(consultation.id);

      expect(await saveAnswer(db, me, consultation.slug, rec.slug, form)).toEqual(first);
      const refused = await rejection(
        saveAnswer(db, me, consultation.slug, rec.slug, keyedPage(randomUUID(), {})),
      );
      expect(refused.code).toBe('closed');
      const response = await responseOf(consultation.id, me.id);
      expect(await answerRow(response.id)).toMatchObject({ stance: 'support' });
    });

    test('a retry of "About you" does not undo a later change of the profile', async () => {
      const { consultation } = await openConsultation(1);
      const me = await createRespondent(db);
      const form = ProfileStepSchema.parse({ segment: 'founder', idempotencyKey: randomUUID() });
      const first = await saveProfileStep(db, me, consultation.slug, form);
      await saveProfileStep(
        db,
        me,
        consultation.slug,
        ProfileStepSchema.parse({
          segment: 'investor',
          organisation: 'Later Capital',
          idempotencyKey: randomUUID(),
        }),
      );

      const retry = await saveProfileStep(db, me, consultation.slug, form);

      expect(retry).toEqual(first);
      const stored = await db
        .selectFrom('respondent_profiles')
        .select(['segment', 'organisation'])
        .where('user_id', '=', me.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ segment: 'investor', organisation: 'Later Capital' });
    });

    test('a retry of the last page does not undo a later publishing choice or comment', async () => {
      const { consultation } = await openConsultation(1);
      const me = await createRespondent(db);
      const form = FinalStepSchema.parse({
        overallComments: 'First version.',
        consent: 'named',
        idempotencyKey: randomUUID(),
      });
      await saveFinalStep(db, me, consultation.slug, form);
      await saveFinalStep(
        db,
        me,
        consultation.slug,
        FinalStepSchema.parse({
          overallComments: 'Second version.',
          consent: 'private',
          idempotencyKey: randomUUID(),
        }),
      );

      await saveFinalStep(db, me, consultation.slug, form);

      expect(await responseOf(consultation.id, me.id)).toMatchObject({
        overall_comments: 'Second version.',
        consent: 'private',
      });
    });

    test('a page saved with a key that is not one the site makes is refused before anything is saved', () => {
      const parsed = AnswerSchema.safeParse({ stance: 'support', idempotencyKey: 'again' });

      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        ['idempotencyKey', 'Reload the page and try again'],
      ]);
    });

    test('a person’s keys are kept for a day: their next keyed save clears the older ones', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const me = await createRespondent(db);
      const [old, fresh] = [randomUUID(), randomUUID()];
      await saveAnswer(db, me, consultation.slug, recommendations[0]!.slug, keyedPage(old, {}));
      await sql`update idempotency_keys set created_at = now() - interval '25 hours'
        where key = ${old}`.execute(db);

      await saveAnswer(db, me, consultation.slug, recommendations[1]!.slug, keyedPage(fresh, {}));

      const keys = await db
        .selectFrom('idempotency_keys')
        .select('key')
        .where('user_id', '=', me.id)
        .execute();
      expect(keys).toEqual([{ key: fresh }]);
    });

    test('purging a consultation’s personal data takes its keys too', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const me = await createRespondent(db);
      await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendations[0]!.slug,
        keyedPage(randomUUID(), { stance: 'support' }),
      );
      await db
        .updateTable('consultations')
        .set({
          status: 'closed',
          opens_at: new Date(Date.now() - 1001 * DAY),
          closes_at: new Date(Date.now() - 1000 * DAY),
        })
        .where('id', '=', consultation.id)
        .execute();

      await purgeExpiredPersonalData(db);

      const keys = await db
        .selectFrom('idempotency_keys')
        .select('key')
        .where('consultation_id', '=', consultation.id)
        .execute();
      expect(keys).toEqual([]);
    });

    test('the personal data download lists the forms sent recently, without what they said', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const me = await createRespondent(db);
      await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendations[0]!.slug,
        keyedPage(randomUUID(), { stance: 'support', reasons: 'Kept in the answer, not here.' }),
      );

      const data = await exportMyData(db, me);

      expect(data.formsSentRecently).toEqual([
        {
          action: 'response.answer_saved',
          target_id: recommendations[0]!.id,
          created_at: expect.any(Date),
        },
      ]);
    });

    // --- Editing after submitting -----------------------------------------------------------

    test('an edit after submitting does not count until resubmitted, which makes version 2 with the same reference', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const [first, second] = recommendations;
      const { me, receipt } = await submittedRespondent(consultation, first!, 'support');
      const response = await responseOf(consultation.id, me.id);

      await saveAnswer(db, me, consultation.slug, first!.slug, page({ stance: 'strongly_oppose' }));
      await saveAnswer(db, me, consultation.slug, second!.slug, page({ stance: 'neutral' }));

      expect(await responseOf(consultation.id, me.id)).toMatchObject({
        status: 'submitted',
        current_version: 1,
        has_unsubmitted_changes: true,
      });
      expect((await countedAnswers(response.id)).map((a) => `${a.slug}:${a.stance}`)).toEqual([
        `${first!.slug}:support`,
      ]);
      expect((await getReceipt(db, me, consultation.slug)).hasUnsubmittedChanges).toBe(true);

      const resubmitted = await submitChoosingPublishing(db, me, consultation.slug, randomUUID());

      expect(resubmitted).toEqual({
        reference: receipt.reference,
        version: 2,
        replayed: false,
        unchanged: false,
      });
      expect(await responseOf(consultation.id, me.id)).toMatchObject({
        reference: receipt.reference,
        current_version: 2,
        has_unsubmitted_changes: false,
      });
      expect((await countedAnswers(response.id)).map((a) => `${a.slug}:${a.stance}`)).toEqual([
        `${first!.slug}:strongly_oppose`,
        `${second!.slug}:neutral`,
      ]);
      const receiptNow = await getReceipt(db, me, consultation.slug);
      expect(receiptNow.versions.map((v) => v.number)).toEqual([2, 1]);
      expect(receiptNow).toMatchObject({ version: 2, hasUnsubmittedChanges: false });
    });

    test('saving a submitted answer unchanged is not an unsubmitted change', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const { me } = await submittedRespondent(consultation, recommendations[0]!, 'support');

      await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendations[0]!.slug,
        page({ stance: 'support' }),
      );

      expect((await responseOf(consultation.id, me.id)).has_unsubmitted_changes).toBe(false);
    });

    test('after the close, edits and new submissions are refused and the submitted response stays as it was', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const [first, second] = recommendations;
      const { me, receipt } = await submittedRespondent(consultation, first!, 'support');
      const before = await responseOf(consultation.id, me.id);
      const workingBefore = await workingAnswers(before.id);
      await closeNow(consultation.id);

      const editError = await rejection(
        saveAnswer(db, me, consultation.slug, first!.slug, page({ stance: 'oppose' })),
      );
      const addError = await rejection(
        saveAnswer(db, me, consultation.slug, second!.slug, page({ stance: 'oppose' })),
      );
      const submitError = await rejection(
        submitChoosingPublishing(db, me, consultation.slug, randomUUID()),
      );
      const finalError = await rejection(
        saveFinalStep(db, me, consultation.slug, { consent: 'named', overallComments: 'Late' }),
      );

      expect([editError.code, addError.code, submitError.code, finalError.code]).toEqual([
        'closed',
        'closed',
        'closed',
        'closed',
      ]);
      const after = await responseOf(consultation.id, me.id);
      expect(after).toEqual(before);
      expect(after).toMatchObject({ reference: receipt.reference, current_version: 1 });
      expect(await workingAnswers(before.id)).toEqual(workingBefore);
      expect((await countedAnswers(before.id)).map((a) => `${a.slug}:${a.stance}`)).toEqual([
        `${first!.slug}:support`,
      ]);
      expect(await versionsOf(before.id)).toHaveLength(1);
    });

    test('after the close, replaying the original submission still returns its receipt', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const { me, key, receipt } = await submittedRespondent(consultation, recommendations[0]!);
      await closeNow(consultation.id);

      const replay = await submitChoosingPublishing(db, me, consultation.slug, key);

      expect(replay).toEqual({
        reference: receipt.reference,
        version: 1,
        replayed: true,
        unchanged: false,
      });
      expect(await versionsOf((await responseOf(consultation.id, me.id)).id)).toHaveLength(1);
    });

    // --- Publication choice ------------------------------------------------------------------

    test('a new response has no publishing choice until the respondent makes one, and cannot be submitted without it', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const me = await createRespondent(db);

      await saveAnswer(
        db,
        me,
        consultation.slug,
        recommendations[0]!.slug,
        page({ stance: 'support' }),
      );

      expect((await responseOf(consultation.id, me.id)).consent).toBeNull();
      const questionnaire = await getQuestionnaire(db, me, consultation.slug);
      expect(questionnaire.response).toMatchObject({ consent: null, finalStepSaved: false });
      const refused = await rejection(submitResponse(db, me, consultation.slug, randomUUID()));
      expect(refused.code).toBe('invalid');
      expect(refused.fieldErrors).toEqual({
        consent: ['Choose how your response may be published'],
      });
      expect((await responseOf(consultation.id, me.id)).status).toBe('draft');

      await saveFinalStep(db, me, consultation.slug, { consent: 'named', overallComments: '' });
      await submitResponse(db, me, consultation.slug, randomUUID());
      expect((await responseOf(consultation.id, me.id)).consent).toBe('named');
    });

    test('the database refuses a submitted response without a publishing choice', async () => {
      const { consultation } = await openConsultation(1);
      const submitted = await insertSubmittedResponse(db, consultation.id, { consent: 'private' });
      const error = await db
        .updateTable('responses')
        .set({ consent: null })
        .where('id', '=', submitted.id)
        .execute()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(String(error)).toMatch(/responses_submitted_has_consent/);
    });

    test('the last page stores the overall comments and the publishing choice', async () => {
      const { consultation } = await openConsultation(1);
      const me = await createRespondent(db);

      await saveFinalStep(db, me, consultation.slug, {
        consent: 'private',
        overallComments: 'Please consider rural firms.',
      });

      expect(await responseOf(consultation.id, me.id)).toMatchObject({
        status: 'draft',
        consent: 'private',
        overall_comments: 'Please consider rural firms.',
      });
      const questionnaire = await getQuestionnaire(db, me, consultation.slug);
      expect(questionnaire.response).toMatchObject({
        consent: 'private',
        overallComments: 'Please consider rural firms.',
        finalStepSaved: true,
      });
    });

    test('the publishing choice can change after the close, and the change is audited', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const { me } = await submittedRespondent(consultation, recommendations[0]!);
      const response = await responseOf(consultation.id, me.id);
      await setStatus(consultation.id, 'closed');
      const request = ctx();

      await changeConsent(db, me, consultation.slug, 'private', request);

      expect((await responseOf(consultation.id, me.id)).consent).toBe('private');
      expect((await getReceipt(db, me, consultation.slug)).consent).toBe('private');
      const events = await db
        .selectFrom('audit_events')
        .select(['action', 'actor_id', 'target_type', 'target_id', 'before', 'after', 'request_id'])
        .where('consultation_id', '=', consultation.id)
        .where('action', '=', 'response.consent_changed')
        .execute();
      expect(events).toEqual([
        {
          action: 'response.consent_changed',
          actor_id: me.id,
          target_type: 'response',
          target_id: response.id,
          before: { consent: 'anonymous' },
          after: { consent: 'private' },
          request_id: request.requestId,
        },
      ]);
    });

    test('choosing the same publishing choice again writes no audit event', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const { me } = await submittedRespondent(consultation, recommendations[0]!);

      await changeConsent(db, me, consultation.slug, 'anonymous', ctx());

      const events = await db
        .selectFrom('audit_events')
        .select('id')
        .where('consultation_id', '=', consultation.id)
        .where('action', '=', 'response.consent_changed')
        .execute();
      expect(events).toEqual([]);
    });

    test('the publishing choice is frozen once the summary is published', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const { me } = await submittedRespondent(consultation, recommendations[0]!);
      await setStatus(consultation.id, 'published');

      const error = await rejection(changeConsent(db, me, consultation.slug, 'named', ctx()));

      expect(error.code).toBe('closed');
      expect((await responseOf(consultation.id, me.id)).consent).toBe('anonymous');
    });

    test('changing the publishing choice without a submitted response is not found', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const neverStarted = await createRespondent(db);
      const drafting = await createRespondent(db);
      await saveAnswer(
        db,
        drafting,
        consultation.slug,
        recommendations[0]!.slug,
        page({ stance: 'support' }),
      );

      for (const me of [neverStarted, drafting]) {
        const error = await rejection(changeConsent(db, me, consultation.slug, 'named', ctx()));
        expect(error.code).toBe('not_found');
      }
      expect((await responseOf(consultation.id, drafting.id)).consent).toBeNull();
    });

    // --- My responses ------------------------------------------------------------------------

    test('my responses list drafts and submitted responses with each consultation’s title and phase', async () => {
      const drafting = await openConsultation(1, { title: 'Skills visas' });
      const submitted = await openConsultation(1, { title: 'R&D tax credits' });
      const me = await createRespondent(db);
      const someoneElse = await createRespondent(db);
      await saveAnswer(
        db,
        me,
        drafting.consultation.slug,
        drafting.recommendations[0]!.slug,
        page({ stance: 'neutral' }),
      );
      await saveAnswer(
        db,
        me,
        submitted.consultation.slug,
        submitted.recommendations[0]!.slug,
        page({ stance: 'support' }),
      );
      const { reference } = await submitChoosingPublishing(
        db,
        me,
        submitted.consultation.slug,
        randomUUID(),
      );
      await saveAnswer(
        db,
        someoneElse,
        drafting.consultation.slug,
        drafting.recommendations[0]!.slug,
        page({ stance: 'oppose' }),
      );
      await closeNow(submitted.consultation.id);

      const mine = await listMyResponses(db, me);

      const bySlug = new Map(mine.map((r) => [r.slug, r]));
      expect(mine).toHaveLength(2);
      expect(bySlug.get(drafting.consultation.slug)).toMatchObject({
        title: 'Skills visas',
        status: 'draft',
        reference: null,
        phase: 'open',
      });
      expect(bySlug.get(submitted.consultation.slug)).toMatchObject({
        title: 'R&D tax credits',
        status: 'submitted',
        reference,
        version: 1,
        phase: 'closed',
      });
      expect((await rejection(listMyResponses(db, null))).code).toBe('unauthenticated');
    });

    // --- Organisers --------------------------------------------------------------------------

    test('a respondent may not list or read other people’s responses', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const { me, receipt } = await submittedRespondent(consultation, recommendations[0]!);

      expect(
        (await rejection(listResponsesForOrganiser(db, me, consultation.slug, filters()))).code,
      ).toBe('forbidden');
      expect(
        (await rejection(getResponseForOrganiser(db, me, consultation.slug, receipt.reference)))
          .code,
      ).toBe('forbidden');
      expect(
        (await rejection(listResponsesForOrganiser(db, null, consultation.slug, filters()))).code,
      ).toBe('unauthenticated');
    });

    test('the organisers’ list shows submitted responses only, newest first', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const drafting = await createRespondent(db);
      await saveAnswer(
        db,
        drafting,
        consultation.slug,
        recommendations[0]!.slug,
        page({ stance: 'support' }),
      );
      const references = [];
      for (let i = 0; i < 3; i++) {
        references.push(
          (await submittedRespondent(consultation, recommendations[0]!)).receipt.reference,
        );
        // Submission times are kept to the millisecond; keep each one distinct.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }

      const list = await listResponsesForOrganiser(db, organiser, consultation.slug, filters());

      expect(list.responses.map((r) => r.reference)).toEqual(references.reverse());
      expect(list.nextCursor).toBeNull();
      expect(list.responses.every((r) => r.version === 1 && r.consent === 'anonymous')).toBe(true);
    });

    test('the organisers’ list can be filtered by segment', async () => {
      const { consultation } = await openConsultation(1);
      const founder = await insertSubmittedResponse(db, consultation.id, { segment: 'founder' });
      const investor = await insertSubmittedResponse(db, consultation.id, { segment: 'investor' });
      const other = await insertSubmittedResponse(db, consultation.id, { segment: 'other' });

      const bySegment = async (segment: 'founder' | 'investor' | 'other') =>
        (
          await listResponsesForOrganiser(db, organiser, consultation.slug, filters({ segment }))
        ).responses.map((r) => r.reference);

      expect(await bySegment('founder')).toEqual([founder.reference]);
      expect(await bySegment('investor')).toEqual([investor.reference]);
      expect(await bySegment('other')).toEqual([other.reference]);
    });

    test('the organisers’ list can show only those who took a given view on one recommendation', async () => {
      const { consultation, recommendations } = await openConsultation(2);
      const [first, second] = recommendations;
      const opposesSecond = await submittedRespondent(consultation, second!, 'oppose');
      const supportsSecond = await submittedRespondent(consultation, second!, 'support');
      const opposesFirstOnly = await submittedRespondent(consultation, first!, 'oppose');
      // A draft that opposes the second recommendation does not count yet.
      const draft = await createRespondent(db);
      await saveAnswer(db, draft, consultation.slug, second!.slug, page({ stance: 'oppose' }));
      // Nor does an unsubmitted change of view.
      await saveAnswer(
        db,
        supportsSecond.me,
        consultation.slug,
        second!.slug,
        page({ stance: 'oppose' }),
      );

      const opposing = await listResponsesForOrganiser(
        db,
        organiser,
        consultation.slug,
        filters({ recommendation: second!.slug, stance: 'oppose' }),
      );
      const answeredSecond = await listResponsesForOrganiser(
        db,
        organiser,
        consultation.slug,
        filters({ recommendation: second!.slug }),
      );

      expect(opposing.responses.map((r) => r.reference)).toEqual([opposesSecond.receipt.reference]);
      expect(answeredSecond.responses.map((r) => r.reference).sort()).toEqual(
        [opposesSecond.receipt.reference, supportsSecond.receipt.reference].sort(),
      );
      expect(answeredSecond.responses.map((r) => r.reference)).not.toContain(
        opposesFirstOnly.receipt.reference,
      );
    });

    test('filtering by view without choosing a recommendation is refused', async () => {
      const { consultation } = await openConsultation(1);

      const error = await rejection(
        listResponsesForOrganiser(db, organiser, consultation.slug, filters({ stance: 'oppose' })),
      );

      expect(error.code).toBe('invalid');
      expect(error.message).toMatch(/Choose a recommendation/);
    });

    test('filtering by a recommendation that is not in this consultation is refused', async () => {
      const { consultation } = await openConsultation(1);
      const other = await openConsultation(1);

      for (const recommendation of ['no-such-recommendation', other.recommendations[0]!.slug]) {
        const error = await rejection(
          listResponsesForOrganiser(
            db,
            organiser,
            consultation.slug,
            filters({ recommendation, stance: 'support' }),
          ),
        );
        expect(error.code).toBe('invalid');
      }
    });

    test('paging through 30 responses with tied times shows each exactly once, newest first', async () => {
      const { consultation } = await openConsultation(1);
      const base = Date.now() - DAY;
      // Groups of three share a submission time, so pages must break ties by id; the first page
      // ends (at 25) in the middle of such a group.
      const inserted = [];
      for (let i = 0; i < 30; i++) {
        inserted.push(
          await insertSubmittedResponse(db, consultation.id, {
            submittedAt: new Date(base + Math.floor(i / 3) * 1000 + 123),
          }),
        );
      }
      const expected = [...inserted]
        .sort(
          (a, b) =>
            b.submittedAt.getTime() - a.submittedAt.getTime() ||
            (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
        )
        .map((r) => r.reference);
      expect(new Set(inserted.map((r) => r.submittedAt.getTime())).size).toBe(10);

      const seen: string[] = [];
      const pageSizes: number[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const list = await listResponsesForOrganiser(
          db,
          organiser,
          consultation.slug,
          filters({ after }),
        );
        seen.push(...list.responses.map((r) => r.reference));
        pageSizes.push(list.responses.length);
        if (!list.nextCursor) break;
        after = list.nextCursor;
      }

      expect(pageSizes).toEqual([25, 5]);
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(30);
    });

    test('a page link that has been tampered with is refused as invalid', async () => {
      const { consultation } = await openConsultation(1);
      await insertSubmittedResponse(db, consultation.id);
      const tampered = [
        'garbage',
        Buffer.from('not a date|also not an id').toString('base64url'),
        Buffer.from(`${new Date().toISOString()}|${'-'.repeat(36)}`).toString('base64url'),
        Buffer.from(`${new Date().toISOString()}|${'z'.repeat(36)}`).toString('base64url'),
        Buffer.from(`-010000-01-01T00:00:00.000Z|${randomUUID()}`).toString('base64url'),
      ];

      for (const after of tampered) {
        const error = await rejection(
          listResponsesForOrganiser(db, organiser, consultation.slug, filters({ after })),
        );
        expect(error.code, after).toBe('invalid');
      }
    });

    test('one response in full shows the counted answers in recommendation order with the submitted overall comments', async () => {
      const { consultation, recommendations } = await openConsultation(3);
      const [first, second, third] = recommendations;
      const me = await createRespondent(db);
      await saveAnswer(
        db,
        me,
        consultation.slug,
        third!.slug,
        page({ stance: 'strongly_oppose', importance: '2', reasons: 'Too costly.' }),
      );
      await saveAnswer(
        db,
        me,
        consultation.slug,
        first!.slug,
        page({ stance: 'support', changeMind: 'Nothing.' }),
      );
      await saveFinalStep(db, me, consultation.slug, {
        consent: 'named',
        overallComments: 'Submitted comments.',
      });
      const { reference } = await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      // Edits not yet resubmitted are not what the organiser reads.
      await saveFinalStep(db, me, consultation.slug, {
        consent: 'named',
        overallComments: 'Draft comments.',
      });
      await saveAnswer(db, me, consultation.slug, second!.slug, page({ stance: 'neutral' }));

      const { response, answers, versions } = await getResponseForOrganiser(
        db,
        organiser,
        consultation.slug,
        reference,
      );

      expect(response).toMatchObject({
        reference,
        displayName: me.displayName,
        consent: 'named',
        version: 1,
        overallComments: 'Submitted comments.',
      });
      expect(answers).toEqual([
        {
          number: 1,
          title: first!.title,
          stance: 'support',
          importance: null,
          reasons: null,
          changeMind: 'Nothing.',
        },
        {
          number: 2,
          title: second!.title,
          stance: null,
          importance: null,
          reasons: null,
          changeMind: null,
        },
        {
          number: 3,
          title: third!.title,
          stance: 'strongly_oppose',
          importance: 2,
          reasons: 'Too costly.',
          changeMind: null,
        },
      ]);
      expect(versions.map((v) => v.number)).toEqual([1]);
    });

    test('a reference that is unknown, or another consultation’s, is not found by organisers', async () => {
      const { consultation, recommendations } = await openConsultation(1);
      const other = await openConsultation(1);
      const elsewhere = await submittedRespondent(other.consultation, other.recommendations[0]!);
      await submittedRespondent(consultation, recommendations[0]!);

      for (const reference of ['ZZZZ-ZZZZ', elsewhere.receipt.reference]) {
        const error = await rejection(
          getResponseForOrganiser(db, organiser, consultation.slug, reference),
        );
        expect(error.code).toBe('not_found');
      }
    });
  });
}

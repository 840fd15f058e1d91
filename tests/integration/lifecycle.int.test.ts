import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import { postComment } from '~/.server/comments';
import {
  changeConsultationStatus,
  getClosingSummary,
  getConsultation,
  getRecommendation,
  moveRecommendation,
  updateRecommendation,
} from '~/.server/consultations';
import { endorse } from '~/.server/endorsements';
import { getQuestionnaire, saveAnswer, saveProfileStep } from '~/.server/responses';
import { getConsultationResults } from '~/.server/results';
import { AnswerSchema, ProfileSchema } from '~/lib/schemas/responses';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  ctx,
  insertSubmittedResponse,
  submitChoosingPublishing,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

function edit(r: { version: number; summary: string; rationale: string }, title: string) {
  return {
    intent: 'save' as const,
    version: r.version,
    title,
    summary: r.summary,
    rationale: r.rationale,
  };
}

async function changes(db: Kysely<DB>, recommendationId: string) {
  return db
    .selectFrom('recommendation_changes')
    .select(['kind', 'old_title', 'new_title', 'old_number', 'new_number', 'responses_before'])
    .where('recommendation_id', '=', recommendationId)
    .orderBy('created_at')
    .execute();
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

    async function openWithResponses(responses: number) {
      const consultation = await createConsultation(db, { status: 'open' });
      const first = await createRecommendation(db, consultation.id, { title: 'Open data' });
      const second = await createRecommendation(db, consultation.id, { title: 'Open models' });
      for (let i = 0; i < responses; i++) {
        await insertSubmittedResponse(db, consultation.id, {
          answers: [{ recommendationId: first.id, stance: 'support' }],
        });
      }
      return { consultation, first, second };
    }

    test('before any response a retitle saves at once and leaves no change note', async () => {
      const { consultation, first } = await openWithResponses(0);
      const outcome = await updateRecommendation(
        db,
        organiser,
        consultation.slug,
        first.slug,
        edit(first, 'Open data for all'),
        ctx(),
      );
      expect(outcome.status).toBe('saved');
      expect(await changes(db, first.id)).toEqual([]);
    });

    test('after responses a retitle says what it changes and saves nothing until confirmed', async () => {
      const { consultation, first } = await openWithResponses(2);
      const outcome = await updateRecommendation(
        db,
        organiser,
        consultation.slug,
        first.slug,
        edit(first, 'Open data for all'),
        ctx(),
      );
      expect(outcome).toEqual({
        status: 'needs-confirmation',
        change: expect.objectContaining({ kind: 'retitled', responses: 2 }),
      });
      if (outcome.status !== 'needs-confirmation') throw new Error('unreachable');
      expect(outcome.change.statements[0]).toBe(
        "Responses already received (2) were given to the title 'Open data'; it will read 'Open data for all'.",
      );
      const unchanged = await getRecommendation(db, consultation.slug, first.slug, null);
      expect(unchanged.recommendation.title).toBe('Open data');
      expect(unchanged.changes).toEqual([]);

      const confirmed = await updateRecommendation(
        db,
        organiser,
        consultation.slug,
        first.slug,
        { ...edit(first, 'Open data for all'), confirmed: 'yes' },
        ctx(),
      );
      expect(confirmed.status).toBe('saved');
      const page = await getRecommendation(db, consultation.slug, first.slug, null);
      expect(page.recommendation.title).toBe('Open data for all');
      expect(page.changes).toEqual([
        expect.objectContaining({
          kind: 'retitled',
          oldTitle: 'Open data',
          newTitle: 'Open data for all',
        }),
      ]);
      expect(await changes(db, first.id)).toEqual([
        expect.objectContaining({ responses_before: 2 }),
      ]);
    });

    test('after responses a summary-only edit needs no confirmation and leaves no note', async () => {
      const { consultation, first } = await openWithResponses(1);
      const outcome = await updateRecommendation(
        db,
        organiser,
        consultation.slug,
        first.slug,
        { ...edit(first, first.title), summary: 'A clearer summary.' },
        ctx(),
      );
      expect(outcome.status).toBe('saved');
      expect(await changes(db, first.id)).toEqual([]);
    });

    test('a confirmed retitle from a stale form is refused', async () => {
      const { consultation, first } = await openWithResponses(1);
      await updateRecommendation(
        db,
        organiser,
        consultation.slug,
        first.slug,
        { ...edit(first, 'Someone else'), confirmed: 'yes' },
        ctx(),
      );
      const error = await rejection(
        updateRecommendation(
          db,
          organiser,
          consultation.slug,
          first.slug,
          { ...edit(first, 'Mine'), confirmed: 'yes' },
          ctx(),
        ),
      );
      expect(error.code).toBe('conflict');
      expect(await changes(db, first.id)).toHaveLength(1);
    });

    test('after responses a reorder needs confirmation, then notes both moves', async () => {
      const { consultation, first, second } = await openWithResponses(3);
      const move = { intent: 'move-up' as const, recommendationId: second.id, fromNumber: 2 };
      const outcome = await moveRecommendation(db, organiser, consultation.slug, move, ctx());
      expect(outcome.status).toBe('needs-confirmation');
      if (outcome.status !== 'needs-confirmation') throw new Error('unreachable');
      expect(outcome.change.statements.join(' ')).toContain(
        "Responses already received (3) were given 'Open models' as recommendation 2 and 'Open data' as recommendation 1.",
      );
      let listed = (await getConsultation(db, consultation.slug, null)).recommendations;
      expect(listed.map((r) => r.slug)).toEqual([first.slug, second.slug]);

      await moveRecommendation(
        db,
        organiser,
        consultation.slug,
        { ...move, confirmed: 'yes' },
        ctx(),
      );
      listed = (await getConsultation(db, consultation.slug, null)).recommendations;
      expect(listed.map((r) => r.slug)).toEqual([second.slug, first.slug]);
      expect(await changes(db, second.id)).toEqual([
        expect.objectContaining({ kind: 'moved', old_number: 2, new_number: 1 }),
      ]);
      expect(await changes(db, first.id)).toEqual([
        expect.objectContaining({ kind: 'moved', old_number: 1, new_number: 2 }),
      ]);
    });

    test('a reorder confirmed against an order that changed meanwhile is refused', async () => {
      const { consultation, second } = await openWithResponses(1);
      await moveRecommendation(
        db,
        organiser,
        consultation.slug,
        { intent: 'move-up', recommendationId: second.id, confirmed: 'yes' },
        ctx(),
      );
      const error = await rejection(
        moveRecommendation(
          db,
          organiser,
          consultation.slug,
          { intent: 'move-down', recommendationId: second.id, fromNumber: 2, confirmed: 'yes' },
          ctx(),
        ),
      );
      expect(error.code).toBe('conflict');
    });

    test('after the close, edits and reorders are refused with a message about correction notes', async () => {
      const { consultation, first, second } = await openWithResponses(1);
      await changeConsultationStatus(
        db,
        organiser,
        consultation.slug,
        { intent: 'close', version: consultation.version },
        ctx(),
      );
      const edited = await rejection(
        updateRecommendation(
          db,
          organiser,
          consultation.slug,
          first.slug,
          { ...edit(first, 'Too late'), confirmed: 'yes' },
          ctx(),
        ),
      );
      expect(edited.code).toBe('closed');
      expect(edited.message).toMatch(/locked.*correction notes/);
      const moved = await rejection(
        moveRecommendation(
          db,
          organiser,
          consultation.slug,
          { intent: 'move-up', recommendationId: second.id, confirmed: 'yes' },
          ctx(),
        ),
      );
      expect(moved.code).toBe('closed');
    });

    test('a consultation whose closing date has passed is locked too', async () => {
      const consultation = await createConsultation(db, {
        status: 'open',
        opens_at: new Date(Date.now() - 10 * 864e5),
        closes_at: new Date(Date.now() - 864e5),
      });
      const only = await createRecommendation(db, consultation.id);
      const error = await rejection(
        updateRecommendation(db, organiser, consultation.slug, only.slug, edit(only, 'New'), ctx()),
      );
      expect(error.code).toBe('closed');
    });

    test('the closing summary counts received and unsubmitted responses', async () => {
      const { consultation } = await openWithResponses(2);
      const drafting = await createRespondent(db);
      await saveProfileStep(
        db,
        drafting,
        consultation.slug,
        ProfileSchema.parse({ segment: 'founder' }),
      );
      const summary = await getClosingSummary(db, consultation.slug, organiser);
      expect(summary).toEqual(
        expect.objectContaining({ canClose: true, receivedResponses: 2, unsubmittedResponses: 1 }),
      );
      const respondent = await createRespondent(db);
      expect((await rejection(getClosingSummary(db, consultation.slug, respondent))).code).toBe(
        'forbidden',
      );
    });

    test('a placeholder is listed but refuses answers, comments and endorsements and has no results', async () => {
      const consultation = await createConsultation(db, { status: 'open' });
      const named = await createRecommendation(db, consultation.id, { title: 'Named reform' });
      const placeholder = await createRecommendation(db, consultation.id, {
        title: 'Seventh reform (not named)',
        state: 'placeholder',
      });
      const respondent = await createRespondent(db);

      const listed = (await getConsultation(db, consultation.slug, null)).recommendations;
      expect(listed.map((r) => [r.slug, r.state])).toEqual([
        [named.slug, 'open'],
        [placeholder.slug, 'placeholder'],
      ]);

      const questionnaire = await getQuestionnaire(db, respondent, consultation.slug);
      expect(questionnaire.recommendations.map((r) => r.slug)).toEqual([named.slug]);

      const answer = AnswerSchema.parse({
        stance: 'support',
        importance: '',
        reasons: '',
        changeMind: '',
      });
      const refused = await rejection(
        saveAnswer(db, respondent, consultation.slug, placeholder.slug, answer),
      );
      expect(refused.code).toBe('closed');
      expect(refused.message).toMatch(/not yet open for comment/);
      // The step after the last open recommendation is the final page, not the placeholder.
      const saved = await saveAnswer(db, respondent, consultation.slug, named.slug, answer);
      expect(saved.next).toBe(`/consultations/${consultation.slug}/respond/final`);
      await submitChoosingPublishing(db, respondent, consultation.slug, randomUUID());

      const comment = await rejection(
        postComment(
          db,
          respondent,
          consultation.slug,
          placeholder.slug,
          { body: 'A view on it' },
          ctx(),
        ),
      );
      expect(comment.code).toBe('closed');
      const endorsement = await rejection(
        endorse(
          db,
          respondent,
          consultation.slug,
          placeholder.slug,
          { onBehalfOfOrganisation: false, showName: false },
          ctx(),
        ),
      );
      expect(endorsement.code).toBe('closed');
      const answers = await db
        .selectFrom('response_answers')
        .select('recommendation_id')
        .where('recommendation_id', '=', placeholder.id)
        .execute();
      expect(answers).toEqual([]);

      const results = await getConsultationResults(db, consultation.id, { verifiedOnly: false });
      expect(results.recommendations.map((r) => r.slug)).toEqual([named.slug]);
    });

    test('naming a placeholder after responses needs confirmation, then opens it with a note', async () => {
      const consultation = await createConsultation(db, { status: 'open' });
      const named = await createRecommendation(db, consultation.id);
      const placeholder = await createRecommendation(db, consultation.id, {
        title: 'Seventh reform (not named)',
        state: 'placeholder',
      });
      await insertSubmittedResponse(db, consultation.id, {
        answers: [{ recommendationId: named.id, stance: 'support' }],
      });
      const input = {
        intent: 'save' as const,
        version: placeholder.version,
        title: 'Open procurement',
        summary: 'Buy open source first.',
        rationale: 'Because.',
      };
      const outcome = await updateRecommendation(
        db,
        organiser,
        consultation.slug,
        placeholder.slug,
        input,
        ctx(),
      );
      expect(outcome.status).toBe('needs-confirmation');
      if (outcome.status !== 'needs-confirmation') throw new Error('unreachable');
      expect(outcome.change.kind).toBe('named');
      expect(outcome.change.statements[0]).toContain('Responses already received (1)');

      await updateRecommendation(
        db,
        organiser,
        consultation.slug,
        placeholder.slug,
        { ...input, confirmed: 'yes' },
        ctx(),
      );
      const page = await getRecommendation(db, consultation.slug, placeholder.slug, null);
      expect(page.recommendation).toEqual(
        expect.objectContaining({ state: 'open', title: 'Open procurement' }),
      );
      expect(page.changes).toEqual([
        expect.objectContaining({ kind: 'named', oldTitle: 'Seventh reform (not named)' }),
      ]);
      const respondent = await createRespondent(db);
      const questionnaire = await getQuestionnaire(db, respondent, consultation.slug);
      expect(questionnaire.recommendations).toHaveLength(2);
    });

    test('naming a placeholder in a draft opens it without a confirmation or a note', async () => {
      const draft = await createConsultation(db);
      const placeholder = await createRecommendation(db, draft.id, { state: 'placeholder' });
      const outcome = await updateRecommendation(
        db,
        organiser,
        draft.slug,
        placeholder.slug,
        edit(placeholder, placeholder.title),
        ctx(),
      );
      expect(outcome).toEqual({
        status: 'saved',
        value: expect.objectContaining({ state: 'open' }),
      });
      expect(await changes(db, placeholder.id)).toEqual([]);
    });

    test('change notes cannot be rewritten', async () => {
      const { consultation, first } = await openWithResponses(1);
      await updateRecommendation(
        db,
        organiser,
        consultation.slug,
        first.slug,
        { ...edit(first, 'Renamed'), confirmed: 'yes' },
        ctx(),
      );
      await expect(
        db
          .updateTable('recommendation_changes')
          .set({ old_title: 'Forged' })
          .where('recommendation_id', '=', first.id)
          .execute(),
      ).rejects.toThrow(/append-only/);
    });
  });
}

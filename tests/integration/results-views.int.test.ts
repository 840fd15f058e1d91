import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB, Segment, Stance } from '#db/schema';
import { DomainError } from '~/.server/errors';
import {
  getOrganiserRecommendationResults,
  getOrganiserResultsOverview,
  getPublicRecommendationResults,
  getPublicResultsOverview,
  getResultsAvailability,
  setResultsVisibility,
} from '~/.server/results-views';
import type { OverviewQuery } from '~/lib/schemas/results';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  createUser,
  ctx,
  grantRole,
  makeViewer,
} from '#tests/support/factories';
import { insertAnsweredResponse } from '#tests/support/results';

const DAY = 24 * 60 * 60 * 1000;
const ORDER: OverviewQuery = { sort: 'number', dir: 'asc', verifiedOnly: false };

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a DomainError');
}

for (const backend of BACKENDS) {
  describe(`${backend}: results pages`, () => {
    let testDb: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      testDb = await createTestDb(backend);
      db = testDb.db;
    });
    afterAll(() => testDb.destroy());

    async function answer(
      consultationId: string,
      recommendationId: string,
      segment: Segment,
      stance: Stance,
      options: { verified?: boolean; reasons?: string; consent?: 'named' | 'anonymous' } = {},
    ) {
      await insertAnsweredResponse(db, consultationId, {
        segment,
        verified: options.verified,
        consent: options.consent,
        answers: [{ recommendationId, stance, importance: 4, reasons: options.reasons ?? null }],
      });
    }

    test('results of an open consultation stay private until it closes, unless the organiser chooses otherwise', async () => {
      const closesAt = new Date(Date.now() + 10 * DAY);
      const consultation = await createConsultation(db, { status: 'open', closes_at: closesAt });
      const recommendation = await createRecommendation(db, consultation.id);
      const respondent = await createRespondent(db);
      const organiser = await createOrganiser(db);

      const refused = await rejection(getPublicResultsOverview(db, null, consultation.slug, ORDER));
      expect(refused.code).toBe('forbidden');
      expect(refused.message).toMatch(/will be public when it closes, on \d+ \w+ \d{4} at/);
      expect(
        (
          await rejection(
            getPublicRecommendationResults(db, respondent, consultation.slug, recommendation.slug, {
              verifiedOnly: false,
            }),
          )
        ).code,
      ).toBe('forbidden');
      expect(await getResultsAvailability(db, null, consultation.slug)).toEqual({
        readable: false,
        notPublicYet: refused.message,
      });

      // The organiser previews the public page, told that it is not public yet.
      const preview = await getPublicResultsOverview(db, organiser, consultation.slug, ORDER);
      expect(preview.consultation.notPublicYet).toBe(refused.message);

      await setResultsVisibility(
        db,
        organiser,
        consultation.slug,
        { resultsVisibility: 'during' },
        ctx(),
      );
      const open = await getPublicResultsOverview(db, null, consultation.slug, ORDER);
      expect(open.consultation.notPublicYet).toBeNull();
      expect(open.results.rows.map((r) => r.slug)).toEqual([recommendation.slug]);
    });

    test('a closed consultation shows its results whatever the setting; a draft does not exist', async () => {
      const closed = await createConsultation(db, {
        status: 'closed',
        opens_at: new Date(Date.now() - 20 * DAY),
        closes_at: new Date(Date.now() - DAY),
      });
      await createRecommendation(db, closed.id);
      const results = await getPublicResultsOverview(db, null, closed.slug, ORDER);
      expect(results.consultation.notPublicYet).toBeNull();

      const draft = await createConsultation(db);
      expect((await rejection(getPublicResultsOverview(db, null, draft.slug, ORDER))).code).toBe(
        'not_found',
      );
      expect(
        (await rejection(getPublicResultsOverview(db, null, 'no-such-consultation', ORDER))).code,
      ).toBe('not_found');
      expect(
        (
          await rejection(
            getPublicRecommendationResults(db, null, closed.slug, 'no-such-recommendation', {
              verifiedOnly: false,
            }),
          )
        ).code,
      ).toBe('not_found');
    });

    test('only organisers of the consultation open the dashboard or change the setting, and every change is audited', async () => {
      const consultation = await createConsultation(db, { status: 'open' });
      await createRecommendation(db, consultation.id);
      const respondent = await createRespondent(db);
      const other = await createConsultation(db, { status: 'open' });
      const elsewhere = await createUser(db, { segment: 'other' });
      await grantRole(db, elsewhere.id, 'organiser', other.id);
      const organiserOfOther = await makeViewer(db, elsewhere.id);
      const owner = await createUser(db, { segment: 'other' });
      await grantRole(db, owner.id, 'organiser', consultation.id);
      const organiser = await makeViewer(db, owner.id);

      expect(
        (await rejection(getOrganiserResultsOverview(db, null, consultation.slug, ORDER))).code,
      ).toBe('unauthenticated');
      expect(
        (await rejection(getOrganiserResultsOverview(db, respondent, consultation.slug, ORDER)))
          .code,
      ).toBe('forbidden');
      expect(
        (
          await rejection(
            getOrganiserResultsOverview(db, organiserOfOther, consultation.slug, ORDER),
          )
        ).code,
      ).toBe('forbidden');
      expect(
        (
          await rejection(
            setResultsVisibility(
              db,
              respondent,
              consultation.slug,
              { resultsVisibility: 'during' },
              ctx(),
            ),
          )
        ).code,
      ).toBe('forbidden');

      expect(
        await setResultsVisibility(
          db,
          organiser,
          consultation.slug,
          { resultsVisibility: 'during' },
          ctx(),
        ),
      ).toEqual({ changed: true });
      expect(
        await setResultsVisibility(
          db,
          organiser,
          consultation.slug,
          { resultsVisibility: 'during' },
          ctx(),
        ),
      ).toEqual({ changed: false });
      const events = await db
        .selectFrom('audit_events')
        .select(['action', 'actor_id', 'before', 'after'])
        .where('consultation_id', '=', consultation.id)
        .execute();
      expect(events).toEqual([
        {
          action: 'consultation.results_visibility_changed',
          actor_id: organiser.id,
          before: { resultsVisibility: 'after_close' },
          after: { resultsVisibility: 'during' },
        },
      ]);
      const dashboard = await getOrganiserResultsOverview(db, organiser, consultation.slug, ORDER);
      expect(dashboard.consultation.resultsVisibility).toBe('during');
    });

    test('two organisers choosing the same setting at once record one change', async () => {
      const consultation = await createConsultation(db, { status: 'open' });
      const [a, b] = [await createOrganiser(db), await createOrganiser(db)];
      const outcomes = await Promise.all([
        setResultsVisibility(db, a, consultation.slug, { resultsVisibility: 'during' }, ctx()),
        setResultsVisibility(db, b, consultation.slug, { resultsVisibility: 'during' }, ctx()),
      ]);
      expect(outcomes.map((o) => o.changed).sort()).toEqual([false, true]);
      const events = await db
        .selectFrom('audit_events')
        .select('action')
        .where('consultation_id', '=', consultation.id)
        .execute();
      expect(events).toHaveLength(1);
    });

    test('public pages hide a small group and the next smallest; the dashboard shows every figure', async () => {
      const consultation = await createConsultation(db, {
        status: 'closed',
        opens_at: new Date(Date.now() - 20 * DAY),
        closes_at: new Date(Date.now() - DAY),
      });
      const recommendation = await createRecommendation(db, consultation.id);
      for (let i = 0; i < 6; i++)
        await answer(consultation.id, recommendation.id, 'founder', 'support');
      for (let i = 0; i < 5; i++)
        await answer(consultation.id, recommendation.id, 'investor', i < 2 ? 'support' : 'oppose');
      await answer(consultation.id, recommendation.id, 'other', 'strongly_oppose', {
        reasons: 'This would be costly, slow and unfair to small firms. Costly and unfair.',
      });
      await answer(consultation.id, recommendation.id, 'other', 'oppose', {
        reasons: 'Costly and unfair to small firms, and slow to deliver.',
      });

      const page = await getPublicRecommendationResults(
        db,
        null,
        consultation.slug,
        recommendation.slug,
        { verifiedOnly: false },
      );
      const byGroup = Object.fromEntries(page.results.groups.map((g) => [g.group, g]));
      expect(byGroup.other!.hidden).toBe(true);
      expect(byGroup.investor!.hidden).toBe(true);
      expect(byGroup.investor!.stance).toBeNull();
      expect(byGroup.founder!.answers).toBe(6);
      expect(byGroup.all!.answers).toBe(13);
      // Everyone minus founders is investors and others together: 7 people, none singled out.
      expect(byGroup.all!.net!.value).toBeCloseTo((8 - 5) / 13, 10);
      expect(page.results.consensus.kind).toBe('too_few');
      expect(page.results.themes.find((t) => t.group === 'other')!.themes).toBeNull();
      for (const theme of page.results.themes.find((t) => t.group === 'all')!.themes!) {
        for (const quote of theme.quotes) expect(quote.attribution).toBe('A respondent');
      }

      const organiser = await createOrganiser(db);
      const dashboard = await getOrganiserRecommendationResults(
        db,
        organiser,
        consultation.slug,
        recommendation.slug,
        { verifiedOnly: false },
      );
      const unsuppressed = Object.fromEntries(dashboard.results.groups.map((g) => [g.group, g]));
      expect(unsuppressed.other!.answers).toBe(2);
      expect(unsuppressed.investor!.stance).toMatchObject({ support: 2, oppose: 3 });
      expect(dashboard.results.consensus.sentence).toBe(
        'Founders 100% support, investors 60% oppose — divided.',
      );
      expect(dashboard.results.organiser).not.toBeNull();
      expect(page.results.organiser).toBeNull();

      const overview = await getPublicResultsOverview(db, null, consultation.slug, ORDER);
      expect(overview.results.responses).toEqual([
        { group: 'all', label: 'Everyone', responses: 13 },
        { group: 'founder', label: 'Founders', responses: 6 },
        { group: 'investor', label: 'Investors', responses: null },
        { group: 'other', label: 'Others', responses: null },
      ]);
    });

    test('the verified-only view hides a group whose few unverified members the unfiltered view would give away', async () => {
      const consultation = await createConsultation(db, {
        status: 'open',
        results_visibility: 'during',
      });
      const recommendation = await createRecommendation(db, consultation.id);
      for (let i = 0; i < 7; i++)
        await answer(consultation.id, recommendation.id, 'founder', 'support', { verified: true });
      await answer(consultation.id, recommendation.id, 'founder', 'oppose');
      for (let i = 0; i < 6; i++)
        await answer(consultation.id, recommendation.id, 'investor', 'support', { verified: true });
      for (let i = 0; i < 5; i++)
        await answer(consultation.id, recommendation.id, 'other', 'oppose');

      const verified = await getPublicRecommendationResults(
        db,
        null,
        consultation.slug,
        recommendation.slug,
        { verifiedOnly: true },
      );
      const groups = Object.fromEntries(verified.results.groups.map((g) => [g.group, g]));
      // 8 founders, 7 verified: showing the 7 beside the 8 would reveal the one unverified. The
      // (unverified) others go too, or total − investors would give the 7 founders back.
      expect(groups.founder!.hidden).toBe(true);
      expect(groups.other!.hidden).toBe(true);
      expect(groups.all!.answers).toBe(13);
      expect(groups.investor!.hidden).toBe(false);
      expect(groups.investor!.answers).toBe(6);

      const everyone = await getPublicRecommendationResults(
        db,
        null,
        consultation.slug,
        recommendation.slug,
        { verifiedOnly: false },
      );
      expect(everyone.results.groups.find((g) => g.group === 'founder')!.answers).toBe(8);
    });

    test('the overview sorts by net support, with recommendations lacking figures last', async () => {
      const consultation = await createConsultation(db, {
        status: 'open',
        results_visibility: 'during',
      });
      const [low, high, empty] = [
        await createRecommendation(db, consultation.id),
        await createRecommendation(db, consultation.id),
        await createRecommendation(db, consultation.id),
      ];
      for (let i = 0; i < 5; i++) {
        await insertAnsweredResponse(db, consultation.id, {
          segment: 'founder',
          answers: [
            { recommendationId: low.id, stance: i < 4 ? 'oppose' : 'support' },
            { recommendationId: high.id, stance: 'strongly_support' },
          ],
        });
      }
      const sorted = await getPublicResultsOverview(db, null, consultation.slug, {
        sort: 'net-support',
        dir: 'desc',
        verifiedOnly: false,
      });
      expect(sorted.results.rows.map((r) => r.slug)).toEqual([high.slug, low.slug, empty.slug]);
      const ascending = await getPublicResultsOverview(db, null, consultation.slug, {
        sort: 'net-support',
        dir: 'asc',
        verifiedOnly: false,
      });
      expect(ascending.results.rows.map((r) => r.slug)).toEqual([low.slug, high.slug, empty.slug]);
      expect(ascending.results.rows[2]!.netMissing).toBe('No answers with a view yet');
    });
  });
}

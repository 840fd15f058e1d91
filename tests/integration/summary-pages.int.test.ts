import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import {
  addOutcomeUpdate,
  correctSummary,
  publishSummary,
  saveSummaryDraft,
} from '~/.server/summaries';
import type { SaveSummaryDraftInput } from '~/lib/schemas/summaries';
import * as home from '~/routes/_index';
import * as consultations from '~/routes/consultations._index';
import * as consultationPage from '~/routes/consultations.$slug._index';
import * as results from '~/routes/consultations.$slug.results';
import * as latest from '~/routes/consultations.$slug.summary._index';
import * as changes from '~/routes/consultations.$slug.summary.changes';
import * as version from '~/routes/consultations.$slug.summary.v.$version';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createRecommendation,
  createUser,
  ctx,
  grantRole,
  insertSubmittedResponse,
  makeViewer,
} from '#tests/support/factories';
import { callLoader, pageRequest, type RouteModule } from '#tests/support/route-calls';

// The public summary pages through their route modules, as a visitor without an account meets
// them: nothing of a draft reaches any public page, a published version is readable at its own
// address, older versions say they are older, and the changes page reads its two numbers.

const DAY = 24 * 60 * 60 * 1000;
const DRAFT_WORDS = 'Unpublished draft wording that must not leak';

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    function get(module: RouteModule, path: string, params: Record<string, string> = {}) {
      return callLoader(module, db, pageRequest(path), { params });
    }

    /** Closed, analysed, six founders answered; the summary drafted but not published. */
    async function drafted() {
      const consultation = await createConsultation(db, {
        status: 'analysing',
        opens_at: new Date(Date.now() - 30 * DAY),
        closes_at: new Date(Date.now() - DAY),
      });
      const recommendation = await createRecommendation(db, consultation.id);
      for (let i = 0; i < 6; i++) {
        await insertSubmittedResponse(db, consultation.id, {
          segment: 'founder',
          answers: [{ recommendationId: recommendation.id, stance: 'support' }],
        });
      }
      const user = await createUser(db, { segment: 'other' });
      await grantRole(db, user.id, 'organiser', consultation.id);
      const organiser = await makeViewer(db, user.id);
      const draft = (expectedVersion: number, youSaid: string): SaveSummaryDraftInput => ({
        expectedVersion,
        intro: 'We asked about one thing.',
        recommendations: [
          {
            recommendationId: recommendation.id,
            youSaid,
            weDid: 'We will do it.',
            outcomeStatus: 'adopted',
            outcomeReasons: '',
            quotes: [],
            citations: ['respondents:all'],
          },
        ],
      });
      const saved = await saveSummaryDraft(
        db,
        organiser,
        consultation.slug,
        draft(0, `Everyone agreed [1]. ${DRAFT_WORDS}.`),
        ctx(),
      );
      return { consultation, recommendation, organiser, draft, saved };
    }

    test('before publication no public page shows the draft, and the summary pages say where the consultation stands', async () => {
      const { consultation } = await drafted();
      const slug = consultation.slug;
      const pages = [
        await get(home, '/'),
        await get(consultations, '/consultations'),
        await get(consultationPage, `/consultations/${slug}`, { slug }),
        await get(results, `/consultations/${slug}/results`, { slug }),
        await get(latest, `/consultations/${slug}/summary`, { slug }),
        await get(version, `/consultations/${slug}/summary/v/1`, { slug, version: '1' }),
        await get(changes, `/consultations/${slug}/summary/changes`, { slug }),
      ];
      for (const page of pages) expect(JSON.stringify(page.data)).not.toContain(DRAFT_WORDS);
      const [, , , , ...summaryPages] = pages;
      for (const page of summaryPages) {
        expect(page).toMatchObject({ thrown: true, status: 404 });
        expect(page.data).toMatchObject({
          message: 'No summary has been published yet.',
          stage: { slug, phase: 'analysing' },
        });
      }
      const listed = (pages[1]!.data as { consultations: { slug: string }[] }).consultations;
      expect(listed.find((c) => c.slug === slug)).toMatchObject({
        phase: 'analysing',
        publishedSummary: null,
      });
    });

    test('a draft consultation has no summary page at all, and an unknown one is a 404', async () => {
      const draft = await createConsultation(db, { status: 'draft' });
      for (const slug of [draft.slug, 'no-such-consultation']) {
        const page = await get(latest, `/consultations/${slug}/summary`, { slug });
        expect(page).toMatchObject({ thrown: true, status: 404 });
        expect(page.data).toEqual({ message: 'We could not find that consultation.' });
      }
    });

    test('published, corrected and updated: each version at its own address, the older one saying so, the changes between them', async () => {
      const { consultation, recommendation, organiser, draft, saved } = await drafted();
      const slug = consultation.slug;
      await publishSummary(
        db,
        organiser,
        slug,
        { expectedVersion: saved.version, licence: null },
        ctx(),
      );
      const fixed = await saveSummaryDraft(
        db,
        organiser,
        slug,
        draft(saved.version, 'Everyone agreed [1].'),
        ctx(),
      );
      await correctSummary(
        db,
        organiser,
        slug,
        { expectedVersion: fixed.version, licence: null, changeNote: 'Removed a stray sentence.' },
        ctx(),
      );
      await addOutcomeUpdate(
        db,
        organiser,
        slug,
        recommendation.slug,
        {
          happenedOn: new Date().toISOString().slice(0, 10),
          status: 'adopted',
          note: 'It was done.',
        },
        ctx(),
      );

      type Page = {
        version: {
          number: number;
          isLatest: boolean;
          contentHash: string;
          snapshot: { recommendations: { youSaid: { markdown: string } }[] };
        };
        versions: { number: number; changeNote: string | null }[];
        outcomeUpdates: Record<string, { statusLabel: string }[]>;
      };
      const now = (await get(latest, `/consultations/${slug}/summary`, { slug })).data as Page;
      expect(now.version).toMatchObject({ number: 2, isLatest: true });
      expect(now.version.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(now.versions.map((v) => [v.number, v.changeNote])).toEqual([
        [1, null],
        [2, 'Removed a stray sentence.'],
      ]);
      expect(now.outcomeUpdates[recommendation.slug]!.map((u) => u.statusLabel)).toEqual([
        'Adopted',
      ]);

      const old = await get(version, `/consultations/${slug}/summary/v/1`, { slug, version: '1' });
      expect(old.status).toBe(200);
      const first = old.data as Page;
      expect(first.version).toMatchObject({ number: 1, isLatest: false });
      // The first version keeps what it published, and the timeline belongs to the latest.
      expect(first.version.snapshot.recommendations[0]!.youSaid.markdown).toContain(DRAFT_WORDS);
      expect(first.outcomeUpdates).toEqual({});
      expect(first.version.contentHash).not.toBe(now.version.contentHash);

      for (const number of ['3', '0', '01', 'abc']) {
        const missing = await get(version, `/consultations/${slug}/summary/v/${number}`, {
          slug,
          version: number,
        });
        expect(missing, number).toMatchObject({ thrown: true, status: 404 });
      }

      const diff = await get(changes, `/consultations/${slug}/summary/changes?from=2&to=1`, {
        slug,
      });
      expect(diff.status).toBe(200);
      const d = diff.data as {
        from: number;
        to: number;
        diff: {
          from: { number: number };
          to: { number: number; changeNote: string };
          fields: { label: string; changed: boolean }[];
        };
      };
      expect([d.diff.from.number, d.diff.to.number]).toEqual([1, 2]);
      expect(d.diff.to.changeNote).toBe('Removed a stray sentence.');
      expect(d.diff.fields.filter((f) => f.changed).map((f) => f.label)).toEqual([
        'Recommendation 1: you said',
      ]);

      const defaults = await get(changes, `/consultations/${slug}/summary/changes`, { slug });
      expect(defaults.data).toMatchObject({ from: 1, to: 2, diff: { to: { number: 2 } } });

      const unknown = await get(changes, `/consultations/${slug}/summary/changes?from=1&to=7`, {
        slug,
      });
      expect(unknown.status).toBe(400);
      expect(unknown.data).toMatchObject({
        diff: null,
        feedback: {
          fieldErrors: {
            to: ['There is no version 7 of this summary. Choose a version from 1 to 2.'],
          },
        },
      });
      const garbled = await get(
        changes,
        `/consultations/${slug}/summary/changes?from=one&extra=1`,
        { slug },
      );
      expect(garbled.status).toBe(400);
      expect(garbled.data).toMatchObject({
        diff: null,
        values: { from: 'one', extra: '1' },
        feedback: { formError: 'This page only understands “from” and “to” version numbers.' },
      });

      const page = (await get(consultationPage, `/consultations/${slug}`, { slug })).data as {
        consultation: { phase: string; publishedSummary: { versions: number } | null };
      };
      expect(page.consultation).toMatchObject({
        phase: 'published',
        publishedSummary: { versions: 2 },
      });
    });
  });
}

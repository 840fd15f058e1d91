import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Consent, DB, Segment, Stance } from '#db/schema';
import { getOpenData } from '~/.server/open-data';
import { getPublicRecommendationResults } from '~/.server/results-views';
import { parseCsv } from '~/lib/open-data/csv';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import { createConsultation, createRecommendation } from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';
import { insertAnsweredResponse } from '#tests/support/results';

const DAY = 24 * 60 * 60 * 1000;

type Json = { rows: Record<string, unknown>[]; columns: string[]; licence: { name: string } };

function file(data: Awaited<ReturnType<typeof getOpenData>>, name: string) {
  const found = data.files.find((f) => f.name === name);
  if (!found) throw new Error(`no ${name}`);
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(found.body);
}

for (const backend of BACKENDS) {
  describe(`${backend}: open data`, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function publicConsultation() {
      const consultation = await createConsultation(db, {
        status: 'open',
        results_visibility: 'during',
      });
      const first = await createRecommendation(db, consultation.id);
      const second = await createRecommendation(db, consultation.id);
      return { consultation, first, second };
    }

    async function answer(
      consultationId: string,
      recommendationId: string,
      segment: Segment,
      stance: Stance,
      options: {
        importance?: number;
        verified?: boolean;
        consent?: Consent;
        reasons?: string;
        quoteStatus?: 'published' | 'pending' | 'hidden';
        displayName?: string;
      } = {},
    ) {
      return insertAnsweredResponse(db, consultationId, {
        segment,
        verified: options.verified,
        consent: options.consent,
        displayName: options.displayName,
        answers: [
          {
            recommendationId,
            stance,
            importance: options.importance ?? 4,
            reasons: options.reasons ?? null,
            quoteStatus: options.quoteStatus,
          },
        ],
      });
    }

    test('open data follows the results pages: 404 for unknown and draft, 403 saying when before', async () => {
      expect((await rejection(getOpenData(db, null, 'no-such-consultation'))).code).toBe(
        'not_found',
      );
      const draft = await createConsultation(db);
      expect((await rejection(getOpenData(db, null, draft.slug))).code).toBe('not_found');
      const closesAt = new Date(Date.now() + 10 * DAY);
      const open = await createConsultation(db, { status: 'open', closes_at: closesAt });
      const refused = await rejection(getOpenData(db, null, open.slug));
      expect(refused.code).toBe('forbidden');
      expect(refused.message).toMatch(/will be public when it closes, on \d+ \w+ \d{4}/);
    });

    test('aggregates are the cells of the public results pages, small groups blank and marked', async () => {
      const { consultation, first } = await publicConsultation();
      const stances: Stance[] = ['strongly_support', 'support', 'support', 'oppose', 'neutral'];
      for (let i = 0; i < 7; i++) {
        const stance = stances[i % stances.length]!;
        await answer(consultation.id, first.id, 'founder', stance, {
          importance: 1 + (i % 5),
          verified: i < 6,
          reasons: i % 2 ? 'A wonderful, helpful and welcome idea.' : 'This is harmful and wrong.',
        });
      }
      for (let i = 0; i < 6; i++) {
        await answer(consultation.id, first.id, 'investor', i < 2 ? 'oppose' : 'support', {
          importance: 5,
          verified: true,
        });
      }
      // Two "other" respondents: too few, so they and the next smallest group are hidden.
      await answer(consultation.id, first.id, 'other', 'no_view', { importance: 2 });
      await answer(consultation.id, first.id, 'other', 'strongly_oppose', { importance: 3 });

      const data = await getOpenData(db, null, consultation.slug);
      const json = JSON.parse(file(data, 'aggregates.json')) as Json;
      expect(json.licence.name).toBe('Open Government Licence v3.0');
      const rows = json.rows.filter((r) => r.recommendation_slug === first.slug);
      expect(rows).toHaveLength(8);

      for (const verifiedOnly of [false, true]) {
        const page = await getPublicRecommendationResults(db, null, consultation.slug, first.slug, {
          verifiedOnly,
        });
        // The trend is the page's chart, point by point.
        const trend = (JSON.parse(file(data, 'trend.json')) as Json).rows.filter(
          (r) => r.recommendation_slug === first.slug && r.verified_only === verifiedOnly,
        );
        expect(trend.map((r) => [r.day, r.answers, r.net_support, r.net_support_low])).toEqual(
          page.results.trend.map((p) => [
            p.day,
            p.answers,
            p.net?.value ?? null,
            p.net?.low ?? null,
          ]),
        );
        if (!verifiedOnly) expect(trend.length).toBeGreaterThan(0);
        for (const group of page.results.groups) {
          const row = rows.find(
            (r) => r.group === group.group && r.verified_only === verifiedOnly,
          )!;
          expect(row.suppressed).toBe(group.hidden);
          expect(row.answers).toBe(group.answers);
          expect(row.net_support).toBe(group.net?.value ?? null);
          expect(row.net_support_low).toBe(group.net?.low ?? null);
          expect(row.net_support_high).toBe(group.net?.high ?? null);
          expect(row.support_share).toBe(group.support?.value ?? null);
          expect(row.support_low).toBe(group.support?.low ?? null);
          expect(row.importance_mean).toBe(group.importance?.mean ?? null);
          expect(row.importance_sd).toBe(group.importance?.sd ?? null);
          expect(row.reasons_tone_texts).toBe(group.tone?.n ?? null);
          expect(row.reasons_tone_positive).toBe(group.tone?.positive ?? null);
          expect(row.comment_tone_texts).toBe(group.commentTone?.n ?? null);
          expect(row.endorsements).toBe(group.endorsements);
          expect(row.comments).toBe(group.comments);
          if (group.hidden) {
            for (const column of ['support', 'oppose', 'no_view', 'importance_1', 'importance_5'])
              expect(row[column]).toBeNull();
          } else {
            expect(row.support).toBe(group.stance!.support);
            const distribution = [1, 2, 3, 4, 5].map((v) => Number(row[`importance_${v}`]));
            const n = distribution.reduce((a, b) => a + b, 0);
            expect(n).toBe(row.importance_answers);
            const sum = distribution.reduce((a, c, i) => a + c * (i + 1), 0);
            expect(sum / n).toBeCloseTo(group.importance!.mean, 12);
          }
        }
      }
      const other = rows.find((r) => r.group === 'other' && r.verified_only === false)!;
      expect(other).toMatchObject({ suppressed: true, answers: null, strongly_oppose: null });
      // Two hidden people could be worked out from the total, so the smallest group shown
      // (investors, 6) is hidden as well: together the hidden groups are 8.
      const shown = rows.filter((r) => r.verified_only === false && !r.suppressed);
      expect(shown.map((r) => r.group)).toEqual(['all', 'founder']);
      const founder = rows.find((r) => r.group === 'founder' && r.verified_only === false)!;
      expect(founder).toMatchObject({ reasons_tone_texts: 7, importance_answers: 7 });
      expect(Number(founder.reasons_tone_positive) + Number(founder.reasons_tone_negative)).toBe(7);
      const investor = rows.find((r) => r.group === 'investor' && r.verified_only === false)!;
      expect(investor.suppressed).toBe(true);

      // The CSV holds the same rows, readable by a spreadsheet.
      const csvText = file(data, 'aggregates.csv');
      expect(csvText.startsWith('\uFEFF')).toBe(true);
      expect(csvText).toContain('\r\n');
      const csv = parseCsv(csvText).filter((r) => r.recommendation_slug === first.slug);
      expect(csv.map((r) => r.suppressed)).toEqual(rows.map((r) => String(r.suppressed)));
      expect(csv.map((r) => r.net_support)).toEqual(
        rows.map((r) => (r.net_support === null ? '' : String(r.net_support))),
      );
    });

    test('responses honour each publishing choice and withhold moderated reasons', async () => {
      const { consultation, first } = await publicConsultation();
      const named = await answer(consultation.id, first.id, 'founder', 'support', {
        consent: 'named',
        displayName: 'Ada Named',
        reasons: 'Named reasons, published',
      });
      await answer(consultation.id, first.id, 'investor', 'oppose', {
        consent: 'anonymous',
        displayName: 'Bea Anonymous',
        reasons: 'Anonymous reasons, held by a moderator',
        quoteStatus: 'pending',
      });
      await answer(consultation.id, first.id, 'other', 'neutral', {
        consent: 'anonymous',
        displayName: 'Cy Hidden',
        reasons: 'Taken down',
        quoteStatus: 'hidden',
      });
      await answer(consultation.id, first.id, 'founder', 'support', {
        consent: 'private',
        displayName: 'Di Private',
        reasons: 'Private reasons',
      });

      const data = await getOpenData(db, null, consultation.slug);
      const json = JSON.parse(file(data, 'responses.json')) as Json;
      expect(json.rows).toHaveLength(3);
      const [a, b, c] = json.rows;
      expect(a).toMatchObject({
        publishing_choice: 'named',
        name: 'Ada Named',
        organisation: 'Example Ltd',
        group: 'founder',
        stance: 'support',
        reasons: 'Named reasons, published',
        reasons_status: 'published',
      });
      expect(a!.response).not.toContain(named.responseId);
      expect(b).toMatchObject({
        publishing_choice: 'anonymous',
        name: null,
        organisation: null,
        group: 'investor',
        reasons: null,
        reasons_status: 'withheld',
      });
      expect(c).toMatchObject({ group: 'other', reasons: null, reasons_status: 'withheld' });
      for (const name of ['responses.csv', 'responses.json', 'open-data.zip']) {
        const text = file(data, name);
        for (const secret of ['Bea Anonymous', 'Cy Hidden', 'Di Private', 'Private reasons'])
          expect(text).not.toContain(secret);
        expect(text).not.toContain('held by a moderator');
      }
      const csv = parseCsv(file(data, 'responses.csv'));
      expect(csv.map((r) => r.name)).toEqual(['Ada Named', '', '']);
    });

    test('the manifest gives each file its size and SHA-256, and the same results give the same bytes', async () => {
      const { consultation, first } = await publicConsultation();
      for (let i = 0; i < 5; i++) await answer(consultation.id, first.id, 'founder', 'support');
      const once = await getOpenData(db, null, consultation.slug);
      const again = await getOpenData(db, null, consultation.slug);
      expect(again.files.map((f) => f.sha256)).toEqual(once.files.map((f) => f.sha256));
      const manifest = JSON.parse(file(once, 'manifest.json')) as {
        licence: { name: string };
        files: { name: string; bytes: number; sha256: string }[];
      };
      expect(manifest.licence.name).toBe('Open Government Licence v3.0');
      expect(manifest.files.map((f) => f.name)).toEqual([
        'aggregates.csv',
        'aggregates.json',
        'trend.csv',
        'trend.json',
        'responses.csv',
        'responses.json',
        'README.md',
      ]);
      for (const listed of manifest.files) {
        const actual = once.files.find((f) => f.name === listed.name)!;
        expect(listed).toMatchObject({ bytes: actual.body.byteLength, sha256: actual.sha256 });
      }
      const readme = file(once, 'README.md');
      expect(readme).toContain('Wilson');
      expect(readme).toContain('## A worked example');
      expect(readme).toContain(
        `Recommendation ${first.number}, everyone: 0 strongly support, 5 support, 0 neutral`,
      );
    });
  });
}

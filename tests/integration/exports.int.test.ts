import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Consultation, DB, Recommendation } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import { listOrganiserExports, openOrganiserExport } from '~/.server/exports';
import { EXPORT_DATASETS, type ExportFile } from '~/lib/schemas/exports';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createOrganiser,
  createRecommendation,
  createUser,
  grantRole,
  insertComment,
  insertEndorsement,
  insertSubmittedResponse,
  makeViewer,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

const FORMULA = '=HYPERLINK("http://evil.test","click")';
const AWKWARD = 'Line one, with a comma\nline two with "quotes"';

for (const backend of BACKENDS) {
  describe(`${backend}: organisers download a consultation's data`, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    let organiser: Viewer;
    let consultation: Consultation;
    let recs: Recommendation[];
    const references: string[] = [];

    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
      consultation = await createConsultation(db, { status: 'open' });
      recs = [
        await createRecommendation(db, consultation.id),
        await createRecommendation(db, consultation.id),
      ];
      organiser = await createOrganiser(db);
      const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 9, minutes));
      const named = await createUser(db, {
        displayName: 'Grace Named',
        organisation: 'Compilers Ltd',
        segment: 'founder',
      });
      const written = [
        await insertSubmittedResponse(db, consultation.id, {
          userId: named.id,
          consent: 'named',
          submittedAt: at(1),
          overallComments: FORMULA,
          answers: [
            {
              recommendationId: recs[0]!.id,
              stance: 'strongly_support',
              importance: 5,
              reasons: AWKWARD,
            },
            {
              recommendationId: recs[1]!.id,
              stance: 'oppose',
              reasons: FORMULA,
              changeMind: 'Costs',
            },
          ],
        }),
        await insertSubmittedResponse(db, consultation.id, {
          consent: 'anonymous',
          segment: 'investor',
          submittedAt: at(2),
          // Skipped the second recommendation: no row for it in the long file.
          answers: [{ recommendationId: recs[0]!.id, stance: 'neutral' }],
        }),
        await insertSubmittedResponse(db, consultation.id, {
          consent: 'private',
          submittedAt: at(3),
          answers: [
            { recommendationId: recs[0]!.id, stance: 'support', reasons: 'Only for organisers' },
            { recommendationId: recs[1]!.id, stance: 'support' },
          ],
        }),
      ];
      // Two more at the same instant: the keyset's id breaks the tie across batches.
      for (let i = 0; i < 2; i++) {
        written.push(
          await insertSubmittedResponse(db, consultation.id, {
            submittedAt: at(4),
            answers: [{ recommendationId: recs[1]!.id, stance: 'strongly_oppose' }],
          }),
        );
      }
      references.push(...written.map((w) => w.reference));
      const comment = await insertComment(db, recs[0]!.id, { body: '@SUM(A1:A9) is not a plan' });
      await insertComment(db, recs[0]!.id, {
        parentId: comment.id,
        status: 'deleted',
        body: 'gone',
      });
      await insertEndorsement(db, recs[1]!.id, { onBehalfOfOrganisation: true });
    });
    afterAll(() => t?.destroy());

    async function download(file: ExportFile, viewer: Viewer | null = organiser, batchSize = 2) {
      const opened = await openOrganiserExport(db, viewer, consultation.slug, file, {
        via: 'web',
        batchSize,
      });
      const bytes = await buffer(opened.stream);
      // Buffer's toString keeps a byte-order mark, which TextDecoder would drop unseen.
      return { ...opened, bytes, body: bytes.toString('utf8') };
    }

    const csvRows = (body: string) =>
      parse(body, { bom: true, columns: true }) as Record<string, string>[];

    test('the long CSV has one row per answer, every publishing choice, safe in a spreadsheet', async () => {
      const { body, bytes, filename, contentType } = await download({
        dataset: 'responses-long',
        format: 'csv',
      });
      expect(filename).toBe(`${consultation.slug}-responses-long.csv`);
      expect(contentType).toBe('text/csv; charset=utf-8');
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(body.startsWith('\uFEFFreference,version,publishing_choice,name,')).toBe(true);
      expect(body).toContain('\r\n');
      const rows = csvRows(body);
      // 2 + 1 + 2 + 1 + 1 answers, in submission order, across batches of two responses.
      expect(rows.slice(0, 5).map((r) => r.reference)).toEqual([
        references[0],
        references[0],
        references[1],
        references[2],
        references[2],
      ]);
      expect(new Set(rows.slice(5).map((r) => r.reference))).toEqual(
        new Set([references[3], references[4]]),
      );
      const [first, second] = rows;
      expect(first).toMatchObject({
        publishing_choice: 'named',
        name: 'Grace Named',
        organisation: 'Compilers Ltd',
        group: 'founder',
        recommendation_number: String(recs[0]!.number),
        stance: 'strongly_support',
        importance: '5',
        reasons: AWKWARD,
        first_submitted_at: '2026-11-20T09:01:00.000Z',
      });
      expect(second).toMatchObject({
        recommendation_number: String(recs[1]!.number),
        reasons: `'${FORMULA}`,
        what_would_change_their_mind: 'Costs',
      });
      expect(rows[3]).toMatchObject({
        publishing_choice: 'not published',
        reasons: 'Only for organisers',
      });
      expect(rows.every((r) => r.verified_when_submitted === 'false')).toBe(true);
    });

    test('the wide CSV has one row per response with a group of columns per recommendation', async () => {
      const rows = csvRows((await download({ dataset: 'responses-wide', format: 'csv' })).body);
      expect(rows).toHaveLength(5);
      const [n1, n2] = recs.map((r) => r.number);
      expect(rows[0]).toMatchObject({
        overall_comments: `'${FORMULA}`,
        [`r${n1}_stance`]: 'strongly_support',
        [`r${n2}_stance`]: 'oppose',
      });
      expect(rows[1]).toMatchObject({ [`r${n1}_stance`]: 'neutral', [`r${n2}_stance`]: '' });
      expect(Object.keys(rows[0]!)).toContain(`r${n2}_reasons_status`);
    });

    test('JSON holds the same rows with their types, after what the file is', async () => {
      const { body, contentType } = await download({ dataset: 'responses-long', format: 'json' });
      expect(contentType).toBe('application/json; charset=utf-8');
      const document = JSON.parse(body);
      expect(document).toMatchObject({
        consultation: { slug: consultation.slug, title: consultation.title },
        dataset: 'responses-long',
      });
      expect(document.rows).toHaveLength(7);
      expect(document.rows[0]).toMatchObject({
        importance: 5,
        verified_when_submitted: false,
        reasons: AWKWARD,
      });
      expect(Object.keys(document.rows[0])).toEqual(document.columns);
      // Unformatted in JSON: the neutralising is for spreadsheets only.
      expect(document.rows[1].reasons).toBe(FORMULA);
    });

    test('comments, endorsements, decisions and the log download too, and the page counts them', async () => {
      const comments = csvRows((await download({ dataset: 'comments', format: 'csv' })).body);
      expect(comments).toHaveLength(2);
      expect(comments[0]).toMatchObject({
        text: "'@SUM(A1:A9) is not a plan",
        status: 'published',
      });
      expect(comments[1]).toMatchObject({
        status: 'deleted by author',
        text: '',
        reply_to: comments[0]!.id,
      });
      const endorsements = csvRows(
        (await download({ dataset: 'endorsements', format: 'csv' })).body,
      );
      expect(endorsements).toMatchObject([{ for_their_organisation: 'true' }]);
      const decisions = await download({ dataset: 'moderation-decisions', format: 'json' });
      expect(JSON.parse(decisions.body).rows).toEqual([]);

      const page = await listOrganiserExports(db, organiser, consultation.slug);
      const counts = Object.fromEntries(page.datasets.map((d) => [d.dataset, d.rows]));
      expect(Object.keys(counts)).toEqual([...EXPORT_DATASETS]);
      expect(counts).toMatchObject({
        'responses-long': 7,
        'responses-wide': 5,
        comments: 2,
        endorsements: 1,
        'moderation-decisions': 0,
      });
      expect(counts['audit-log']).toBeGreaterThan(0);
    });

    test('each download is in the audit log, written before the file, which lists it', async () => {
      const { body } = await download({ dataset: 'audit-log', format: 'csv' }, organiser, 1000);
      const events = csvRows(body).filter((e) => e.action === 'consultation.data_exported');
      expect(events.length).toBeGreaterThan(0);
      expect(JSON.parse(events[0]!.after!)).toEqual({ file: 'audit-log.csv', via: 'web' });
      expect(events[0]!.actor_email).toBe(organiser.email);
    });

    test('only organisers of this consultation can download', async () => {
      const file: ExportFile = { dataset: 'responses-long', format: 'csv' };
      const respondent = await makeViewer(db, (await createUser(db)).id);
      const elsewhere = await createConsultation(db, { status: 'open' });
      const other = await createUser(db);
      await grantRole(db, other.id, 'organiser', elsewhere.id);
      expect(await rejection(download(file, null))).toMatchObject({ code: 'unauthenticated' });
      for (const viewer of [respondent, await makeViewer(db, other.id)]) {
        expect(await rejection(download(file, viewer))).toMatchObject({ code: 'forbidden' });
      }
      expect(
        await rejection(openOrganiserExport(db, organiser, 'no-such-thing', file, { via: 'web' })),
      ).toMatchObject({ code: 'not_found' });
      expect(
        await rejection(listOrganiserExports(db, respondent, consultation.slug)),
      ).toMatchObject({
        code: 'forbidden',
      });
    });
  });
}

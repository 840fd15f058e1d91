import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB, Stance } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import { changeConsultationStatus } from '~/.server/consultations';
import { saveEmailPreferences } from '~/.server/mail';
import {
  addOutcomeUpdate,
  contentHash,
  correctSummary,
  diffSummaryVersions,
  getPublishedSummary,
  getSummaryDraft,
  listOutcomeUpdates,
  listSummaryVersions,
  publishSummary,
  saveSummaryDraft,
} from '~/.server/summaries';
import type { SaveSummaryDraftInput } from '~/lib/schemas/summaries';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation,
  createRecommendation,
  createRespondent,
  createUser,
  ctx,
  grantRole,
  insertComment,
  makeViewer,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';
import { respondWithReasons } from '#tests/support/summaries';

const DAY = 24 * 60 * 60 * 1000;

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function organiserOf(consultationId: string) {
      const user = await createUser(db, { segment: 'other', segmentOther: 'Organiser' });
      await grantRole(db, user.id, 'organiser', consultationId);
      return makeViewer(db, user.id);
    }

    /**
     * A consultation being analysed: six founders support the first recommendation and six
     * investors oppose it. The second was answered by the six founders and two investors, too
     * few to show, so founders are hidden there too (else the total would give the two away).
     * With quotes of every kind.
     */
    async function analysedConsultation(status: 'analysing' | 'closed' = 'analysing') {
      const consultation = await createConsultation(db, {
        status,
        title: 'Seed funding rules',
        opens_at: new Date(Date.now() - 30 * DAY),
        closes_at: new Date(Date.now() - DAY),
      });
      const first = await createRecommendation(db, consultation.id, { title: 'Cap the fees' });
      const second = await createRecommendation(db, consultation.id, { title: 'Publish terms' });
      const organiser = await organiserOf(consultation.id);
      const answer = (stance: Stance, reasons?: string, second_ = true) => [
        { recommendationId: first.id, stance, reasons },
        ...(second_ ? [{ recommendationId: second.id, stance: 'support' as const }] : []),
      ];
      const named = await respondWithReasons(
        db,
        consultation.id,
        'founder',
        answer('strongly_support', 'Fees eat a tenth of a small round.'),
        { consent: 'named', name: 'Ada Founder', organisation: 'Acme Ltd' },
      );
      for (let i = 0; i < 5; i++)
        await respondWithReasons(db, consultation.id, 'founder', answer('support'));
      const anonymous = await respondWithReasons(
        db,
        consultation.id,
        'investor',
        answer('oppose', 'A cap would push costs elsewhere.'),
      );
      const privately = await respondWithReasons(
        db,
        consultation.id,
        'investor',
        answer('oppose', 'I would rather this stayed between us.'),
        { consent: 'private' },
      );
      const hidden = await respondWithReasons(
        db,
        consultation.id,
        'investor',
        answer('strongly_oppose', 'Something a moderator took down.', false),
      );
      await db
        .updateTable('submitted_answers')
        .set({ quote_status: 'hidden' })
        .where('response_id', '=', hidden.id)
        .execute();
      for (let i = 0; i < 3; i++) {
        await respondWithReasons(
          db,
          consultation.id,
          'investor',
          answer('oppose', undefined, false),
        );
      }
      const comment = await insertComment(db, first.id, { body: 'Caps worked in other markets.' });
      const held = await insertComment(db, first.id, { body: 'See my site', status: 'held' });
      const quotes = {
        named: `answer:${named.id}:${first.id}`,
        anonymous: `answer:${anonymous.id}:${first.id}`,
        private: `answer:${privately.id}:${first.id}`,
        hidden: `answer:${hidden.id}:${first.id}`,
        comment: `comment:${comment.id}`,
        held: `comment:${held.id}`,
      };
      return { consultation, first, second, organiser, quotes, responses: { anonymous, named } };
    }

    type Setup = Awaited<ReturnType<typeof analysedConsultation>>;

    function completeDraft(s: Setup, expectedVersion: number): SaveSummaryDraftInput {
      return {
        expectedVersion,
        intro: 'We asked how **seed rounds** should be regulated.',
        recommendations: [
          {
            recommendationId: s.first.id,
            youSaid: 'Founders supported a cap [1]; investors did not [2].',
            weDid: 'We will consult on a cap of 2%.',
            outcomeStatus: 'adopted_with_changes',
            outcomeReasons: 'A lower cap than proposed answers the investors’ concern.',
            quotes: [s.quotes.named, s.quotes.anonymous],
            citations: ['net_support:1:founder', 'net_support:1:investor', s.quotes.comment],
          },
          {
            recommendationId: s.second.id,
            youSaid: 'Everyone who answered supported it.',
            weDid: 'Terms will be published from next year.',
            outcomeStatus: 'adopted',
            outcomeReasons: '',
            quotes: [],
            citations: ['responses:2:all'],
          },
        ],
      };
    }

    async function published(s: Setup) {
      const { version } = await saveSummaryDraft(
        db,
        s.organiser,
        s.consultation.slug,
        completeDraft(s, 0),
        ctx(),
      );
      const result = await publishSummary(
        db,
        s.organiser,
        s.consultation.slug,
        { expectedVersion: version, licence: null },
        ctx(),
      );
      return { ...result, draftVersion: version };
    }

    test('analysing comes between closed and published: only a closed consultation starts it, and it cannot reopen', async () => {
      const open = await createConsultation(db, { status: 'open' });
      await createRecommendation(db, open.id);
      const organiser = await organiserOf(open.id);
      const early = await rejection(
        changeConsultationStatus(
          db,
          organiser,
          open.slug,
          { intent: 'analyse', version: 1 },
          ctx(),
        ),
      );
      expect(early.message).toMatch(/Close the consultation before analysing/);

      const s = await analysedConsultation('closed');
      const row = await db
        .selectFrom('consultations')
        .select('version')
        .where('id', '=', s.consultation.id)
        .executeTakeFirstOrThrow();
      const view = await changeConsultationStatus(
        db,
        s.organiser,
        s.consultation.slug,
        { intent: 'analyse', version: row.version },
        ctx(),
      );
      expect(view.phase).toBe('analysing');
      // Asking again changes nothing; closing an analysed consultation is a no-op too.
      const again = { version: row.version + 1 };
      await changeConsultationStatus(
        db,
        s.organiser,
        s.consultation.slug,
        { intent: 'analyse', ...again },
        ctx(),
      );
      await changeConsultationStatus(
        db,
        s.organiser,
        s.consultation.slug,
        { intent: 'close', ...again },
        ctx(),
      );
      const reopen = await rejection(
        changeConsultationStatus(
          db,
          s.organiser,
          s.consultation.slug,
          { intent: 'open', ...again },
          ctx(),
        ),
      );
      expect(reopen.message).toMatch(/being analysed cannot reopen/);
      const audited = await db
        .selectFrom('audit_events')
        .select(['action', 'before', 'after'])
        .where('consultation_id', '=', s.consultation.id)
        .execute();
      expect(audited).toEqual([
        {
          action: 'consultation.analysis_started',
          before: { status: 'closed' },
          after: expect.objectContaining({ status: 'analysing' }),
        },
      ]);
      const moderator = await createRespondent(db);
      await grantRole(db, moderator.id, 'moderator', s.consultation.id);
      const refused = await rejection(
        changeConsultationStatus(
          db,
          await makeViewer(db, moderator.id),
          s.consultation.slug,
          { intent: 'analyse', ...again },
          ctx(),
        ),
      );
      expect(refused.code).toBe('forbidden');
    });

    test('the draft comes pre-filled with the public results, small groups suppressed as on the results pages', async () => {
      const s = await analysedConsultation();
      const draft = await getSummaryDraft(db, s.organiser, s.consultation.slug);
      expect(draft.version).toBe(0);
      const first = draft.recommendations[0]!;
      const group = (g: string) => first.results.groups.find((r) => r.group === g)!;
      expect(group('founder')).toMatchObject({ hidden: false, answers: 6 });
      expect(group('founder').net).toMatchObject({ value: 1, n: 6 });
      expect(group('investor')).toMatchObject({ hidden: false, answers: 6 });
      expect(group('other')).toMatchObject({ hidden: false, answers: 0, net: null });
      expect(first.figures.map((f) => f.key)).toContain('net_support:1:investor');
      expect(first.figures.map((f) => f.key)).not.toContain('net_support:1:other');
      const second = draft.recommendations[1]!;
      expect(second.results.groups.map((g) => [g.group, g.hidden, g.answers])).toEqual([
        ['all', false, 8],
        ['founder', true, null],
        ['investor', true, null],
        ['other', false, 0],
      ]);
      expect(second.figures.map((f) => f.key)).toContain('net_support:2:all');
      expect(second.figures.map((f) => f.key)).not.toContain('net_support:2:founder');
      // Only quotes that may be published are offered.
      const offered = first.quoteCandidates.map((c) => c.ref).sort();
      expect(offered).toEqual([s.quotes.anonymous, s.quotes.named, s.quotes.comment].sort());
      expect(first.quoteCandidates.find((c) => c.ref === s.quotes.named)!.attribution).toBe(
        'Ada Founder, Acme Ltd',
      );
      expect(first.quoteCandidates.find((c) => c.ref === s.quotes.anonymous)!.attribution).toBe(
        'An investor',
      );
    });

    test('a draft saves; of two organisers saving from the same version the second is told and nothing of theirs is written', async () => {
      const s = await analysedConsultation();
      const other = await organiserOf(s.consultation.id);
      const saved = await saveSummaryDraft(
        db,
        s.organiser,
        s.consultation.slug,
        completeDraft(s, 0),
        ctx(),
      );
      expect(saved.version).toBe(1);

      const mine = { ...completeDraft(s, 1), intro: 'My introduction.' };
      const theirs = { ...completeDraft(s, 1), intro: 'Their introduction.' };
      await saveSummaryDraft(db, other, s.consultation.slug, theirs, ctx());
      const refused = await rejection(
        saveSummaryDraft(db, s.organiser, s.consultation.slug, mine, ctx()),
      );
      expect(refused.code).toBe('conflict');
      expect(refused.message).toMatch(
        /Another organiser saved this summary while you were editing/,
      );

      const draft = await getSummaryDraft(db, s.organiser, s.consultation.slug);
      expect(draft.version).toBe(2);
      expect(draft.intro).toBe('Their introduction.');
      expect(draft.recommendations[0]!.draft).toMatchObject({
        youSaid: 'Founders supported a cap [1]; investors did not [2].',
        outcomeStatus: 'adopted_with_changes',
        quotes: [s.quotes.named, s.quotes.anonymous],
      });
      expect(draft.introHtml).toBe('<p>Their introduction.</p>\n');
    });

    test('evidence that may not be used is refused: a suppressed or missing figure, a private, hidden or held quote, another consultation’s comment', async () => {
      const s = await analysedConsultation();
      const elsewhere = await createConsultation(db, { status: 'open' });
      const theirs = await createRecommendation(db, elsewhere.id);
      const forged = await insertComment(db, theirs.id, { body: 'From another consultation.' });
      const cases: [string, 'quotes' | 'citations', RegExp][] = [
        ['net_support:2:investor', 'citations', /suppressed/],
        ['support:2:founder', 'citations', /suppressed/],
        ['net_support:1:other', 'citations', /no such figure/],
        ['net_support:9:all', 'citations', /Recommendation 9 has no results/],
        [s.quotes.private, 'quotes', /chose not to have their response published/],
        [s.quotes.hidden, 'citations', /moderator hid/],
        [s.quotes.held, 'quotes', /held for review/],
        [`comment:${forged.id}`, 'quotes', /not from this consultation/],
        [`answer:${s.responses.named.id}:${theirs.id}`, 'citations', /not from this consultation/],
        ['net_support:1:founder', 'quotes', /Only reasons and comments/],
      ];
      for (const [ref, field, message] of cases) {
        const input = completeDraft(s, 0);
        input.recommendations[0]![field] = [ref];
        const refused = await rejection(
          saveSummaryDraft(db, s.organiser, s.consultation.slug, input, ctx()),
        );
        expect(refused.code, ref).toBe('invalid');
        expect(refused.fieldErrors[`recommendations.1.${field}`], ref).toEqual([
          expect.stringMatching(message),
        ]);
      }
      const garbled = completeDraft(s, 0);
      garbled.recommendations[0]!.citations = ['answer:not-an-id'];
      expect(
        (await rejection(saveSummaryDraft(db, s.organiser, s.consultation.slug, garbled, ctx())))
          .fieldErrors['recommendations.0.citations.0'],
      ).toEqual(['This is not a known citation']);
      expect(
        await db
          .selectFrom('summaries')
          .select('id')
          .where('consultation_id', '=', s.consultation.id)
          .execute(),
      ).toEqual([]);
    });

    test('publishing with required parts missing lists each of them, and publishes nothing', async () => {
      const s = await analysedConsultation();
      const input = completeDraft(s, 0);
      input.intro = '';
      input.recommendations[0] = { ...input.recommendations[0]!, weDid: '', outcomeStatus: null };
      input.recommendations.pop();
      const { version } = await saveSummaryDraft(
        db,
        s.organiser,
        s.consultation.slug,
        input,
        ctx(),
      );
      const refused = await rejection(
        publishSummary(
          db,
          s.organiser,
          s.consultation.slug,
          { expectedVersion: version, licence: null },
          ctx(),
        ),
      );
      expect(refused.code).toBe('invalid');
      expect(Object.keys(refused.fieldErrors).sort()).toEqual([
        'intro',
        'recommendations.1.outcomeStatus',
        'recommendations.1.weDid',
        'recommendations.2.outcomeStatus',
        'recommendations.2.weDid',
        'recommendations.2.youSaid',
      ]);
      expect(refused.message).toMatch(/6 required parts are missing/);
      expect(await db.selectFrom('summary_versions').select('id').execute()).toEqual([]);
      const closed = await analysedConsultation('closed');
      const saved = await saveSummaryDraft(
        db,
        closed.organiser,
        closed.consultation.slug,
        completeDraft(closed, 0),
        ctx(),
      );
      expect(
        (
          await rejection(
            publishSummary(
              db,
              closed.organiser,
              closed.consultation.slug,
              { expectedVersion: saved.version, licence: null },
              ctx(),
            ),
          )
        ).message,
      ).toMatch(/Start analysing the responses/);
    });

    test('a published summary, its numbers, quotes and hash stay as published when responses, publishing choices and moderation change', async () => {
      const s = await analysedConsultation();
      const result = await published(s);
      expect(result).toMatchObject({ number: 1, created: true });
      expect(result.contentHash).toMatch(/^[0-9a-f]{64}$/);
      const before = await getPublishedSummary(db, s.consultation.slug);
      expect(before.contentHash).toBe(result.contentHash);
      // Anyone can recompute the hash from the snapshot as stored.
      expect(contentHash(before.snapshot)).toBe(before.contentHash);
      const first = before.snapshot.recommendations[0]!;
      expect(first.quotes.map((q) => q.kind === 'quote' && q.attribution)).toEqual([
        'Ada Founder, Acme Ltd',
        'An investor',
      ]);
      expect(first.citations[1]).toMatchObject({ kind: 'figure', value: -1, n: 6 });
      expect(first.results.groups.find((g) => g.group === 'investor')!.answers).toBe(6);
      // The method says what moderation kept out at publication, counted from the rows.
      const count = async (
        table: 'submitted_answers' | 'comments',
        column: string,
        value: string,
      ) =>
        Number(
          (
            await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}
              where consultation_id = ${s.consultation.id} and ${sql.ref(column)} = ${value}
              ${table === 'submitted_answers' ? sql`and reasons is not null and consent in ('named', 'anonymous')` : sql``}`.execute(
              db,
            )
          ).rows[0]!.n,
        );
      expect(before.snapshot.method.moderated).toEqual({
        reasonsHeld: await count('submitted_answers', 'quote_status', 'pending'),
        reasonsHidden: await count('submitted_answers', 'quote_status', 'hidden'),
        commentsHeld: await count('comments', 'status', 'held'),
        commentsHidden: await count('comments', 'status', 'hidden'),
      });
      expect(
        Object.values(before.snapshot.method.moderated!).reduce((a, b) => a + b, 0),
        'the fixture has something held or hidden',
      ).toBeGreaterThan(0);
      const consultation = await db
        .selectFrom('consultations')
        .select('status')
        .where('id', '=', s.consultation.id)
        .executeTakeFirstOrThrow();
      expect(consultation.status).toBe('published');

      // A change of answer, of publishing choice and a moderator's decision, all after publication.
      await db
        .updateTable('submitted_answers')
        .set({ stance: 'strongly_support' })
        .where('consultation_id', '=', s.consultation.id)
        .where('segment', '=', 'investor')
        .execute();
      await db
        .updateTable('responses')
        .set({ consent: 'private' })
        .where('id', '=', s.responses.named.id)
        .execute();
      await db
        .updateTable('submitted_answers')
        .set({ quote_status: 'hidden' })
        .where('response_id', '=', s.responses.anonymous.id)
        .execute();
      await db
        .updateTable('comments')
        .set({ status: 'hidden' })
        .where('consultation_id', '=', s.consultation.id)
        .execute();

      const after = await getPublishedSummary(db, s.consultation.slug);
      expect(after.snapshot).toEqual(before.snapshot);
      expect(after.contentHash).toBe(before.contentHash);
      expect(contentHash(after.snapshot)).toBe(before.contentHash);
      // The live results did move: the snapshot is not reading them.
      const draft = await getSummaryDraft(db, s.organiser, s.consultation.slug);
      expect(
        draft.recommendations[0]!.results.groups.find((g) => g.group === 'investor')!.net!.value,
      ).toBe(1);
    });

    test('a correction is version 2 with its note; both versions stay readable and the diff shows what changed', async () => {
      const s = await analysedConsultation();
      const first = await published(s);
      const input = completeDraft(s, first.draftVersion);
      input.recommendations[1]!.weDid =
        'Terms will be published from next year.\nA template follows.';
      const { version } = await saveSummaryDraft(
        db,
        s.organiser,
        s.consultation.slug,
        input,
        ctx(),
      );
      const noNote = await rejection(
        correctSummary(
          db,
          s.organiser,
          s.consultation.slug,
          { expectedVersion: version, licence: null, changeNote: ' ' },
          ctx(),
        ),
      );
      expect(noNote.fieldErrors.changeNote).toEqual(['Say what this correction changes']);
      const corrected = await correctSummary(
        db,
        s.organiser,
        s.consultation.slug,
        { expectedVersion: version, licence: 'CC BY 4.0', changeNote: 'Added the template.' },
        ctx(),
      );
      expect(corrected).toMatchObject({ number: 2, created: true });
      expect(corrected.contentHash).not.toBe(first.contentHash);

      const v1 = await getPublishedSummary(db, s.consultation.slug, 1);
      const v2 = await getPublishedSummary(db, s.consultation.slug);
      expect(v1).toMatchObject({
        number: 1,
        isLatest: false,
        latestNumber: 2,
        changeNote: null,
        contentHash: first.contentHash,
      });
      expect(v2).toMatchObject({
        number: 2,
        isLatest: true,
        changeNote: 'Added the template.',
        licence: 'CC BY 4.0',
      });
      expect(v1.snapshot.recommendations[1]!.weDid.markdown).toBe(
        'Terms will be published from next year.',
      );
      expect(
        (await listSummaryVersions(db, s.consultation.slug)).map((v) => [v.number, v.changeNote]),
      ).toEqual([
        [1, null],
        [2, 'Added the template.'],
      ]);
      const diff = await diffSummaryVersions(db, s.consultation.slug, 1, 2);
      expect(diff.fields.filter((f) => f.changed).map((f) => f.field)).toEqual([
        'recommendations.2.weDid',
      ]);
      expect(diff.fields.find((f) => f.changed)!.lines).toEqual([
        { op: 'same', text: 'Terms will be published from next year.' },
        { op: 'added', text: 'A template follows.' },
      ]);
      expect((await rejection(getPublishedSummary(db, s.consultation.slug, 3))).code).toBe(
        'not_found',
      );
      expect((await rejection(getPublishedSummary(db, 'no-such-consultation'))).code).toBe(
        'not_found',
      );
      // The same correction sent twice makes one version; an unchanged draft makes none.
      const again = await correctSummary(
        db,
        s.organiser,
        s.consultation.slug,
        { expectedVersion: version, licence: 'CC BY 4.0', changeNote: 'Added the template.' },
        ctx(),
      );
      expect(again).toMatchObject({ number: 2, created: false });
      const unchanged = await rejection(
        correctSummary(
          db,
          s.organiser,
          s.consultation.slug,
          { expectedVersion: version, licence: null, changeNote: 'Nothing.' },
          ctx(),
        ),
      );
      expect(unchanged.message).toMatch(/Nothing in the draft has changed since version 2/);
    });

    test('the database refuses to change or delete a published version', async () => {
      const s = await analysedConsultation();
      await published(s);
      const update = sql`update summary_versions set change_note = 'rewritten' where consultation_id = ${s.consultation.id}`;
      await expect(update.execute(db)).rejects.toThrow(/summary_versions is append-only/);
      const rehash = sql`update summary_versions set content_hash = repeat('0', 64) where consultation_id = ${s.consultation.id}`;
      await expect(rehash.execute(db)).rejects.toThrow(/append-only/);
      await expect(
        sql`delete from summary_versions where consultation_id = ${s.consultation.id}`.execute(db),
      ).rejects.toThrow(/append-only/);
      await expect(
        db.deleteFrom('consultations').where('id', '=', s.consultation.id).execute(),
      ).rejects.toThrow();
      const rows = await db
        .selectFrom('summary_versions')
        .select(['number', 'change_note'])
        .where('consultation_id', '=', s.consultation.id)
        .execute();
      expect(rows).toEqual([{ number: 1, change_note: null }]);
    });

    test('two publishes of the same draft at once make one version', async () => {
      const s = await analysedConsultation();
      const { version } = await saveSummaryDraft(
        db,
        s.organiser,
        s.consultation.slug,
        completeDraft(s, 0),
        ctx(),
      );
      const publish = () =>
        publishSummary(
          db,
          s.organiser,
          s.consultation.slug,
          { expectedVersion: version, licence: null },
          ctx(),
        );
      const results = await Promise.all([publish(), publish()]);
      expect(results.map((r) => r.number)).toEqual([1, 1]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect(results[0]!.contentHash).toBe(results[1]!.contentHash);
      const versions = await db
        .selectFrom('summary_versions')
        .select('number')
        .where('consultation_id', '=', s.consultation.id)
        .execute();
      expect(versions).toEqual([{ number: 1 }]);
      const audited = await db
        .selectFrom('audit_events')
        .select('action')
        .where('consultation_id', '=', s.consultation.id)
        .where('action', '=', 'summary.published')
        .execute();
      expect(audited).toHaveLength(1);
    });

    test('only organisers of that consultation may draft, publish, correct or record outcomes', async () => {
      const s = await analysedConsultation();
      const elsewhere = await createConsultation(db, { status: 'open' });
      const otherOrganiser = await organiserOf(elsewhere.id);
      const moderatorUser = await createUser(db);
      await grantRole(db, moderatorUser.id, 'moderator', s.consultation.id);
      const moderator = await makeViewer(db, moderatorUser.id);
      const respondent = await createRespondent(db);
      const slug = s.consultation.slug;
      const outsiders: [string, Viewer | null, string][] = [
        ['moderator', moderator, 'forbidden'],
        ['organiser of another consultation', otherOrganiser, 'forbidden'],
        ['respondent', respondent, 'forbidden'],
        ['signed out', null, 'unauthenticated'],
      ];
      const first = await published(s);
      const update = { happenedOn: '2026-01-05', status: 'adopted' as const, note: 'Done.' };
      for (const [who, viewer, code] of outsiders) {
        // Each call starts only when checked: a refusal nobody awaits yet is an unhandled rejection.
        const calls = [
          () => getSummaryDraft(db, viewer, slug),
          () => saveSummaryDraft(db, viewer, slug, completeDraft(s, first.draftVersion), ctx()),
          () =>
            publishSummary(
              db,
              viewer,
              slug,
              { expectedVersion: first.draftVersion, licence: null },
              ctx(),
            ),
          () =>
            correctSummary(
              db,
              viewer,
              slug,
              { expectedVersion: first.draftVersion, licence: null, changeNote: 'x' },
              ctx(),
            ),
          () => addOutcomeUpdate(db, viewer, slug, s.first.slug, update, ctx()),
        ];
        for (const call of calls) expect((await rejection(call())).code, who).toBe(code);
      }
      expect((await rejection(getSummaryDraft(db, s.organiser, 'no-such-slug'))).code).toBe(
        'not_found',
      );
      // Everyone may read what was published.
      expect((await getPublishedSummary(db, slug)).number).toBe(1);
    });

    test('outcome updates come after publication, are dated, and move the current outcome in date order', async () => {
      const s = await analysedConsultation();
      const early = await rejection(
        addOutcomeUpdate(
          db,
          s.organiser,
          s.consultation.slug,
          s.first.slug,
          { happenedOn: '2026-01-05', status: 'adopted', note: 'Too soon.' },
          ctx(),
        ),
      );
      expect(early.message).toMatch(/publish the summary first/);
      await published(s);
      const future = await rejection(
        addOutcomeUpdate(
          db,
          s.organiser,
          s.consultation.slug,
          s.first.slug,
          { happenedOn: '2999-01-01', status: 'adopted', note: 'Later.' },
          ctx(),
        ),
      );
      expect(future.fieldErrors.happenedOn).toEqual(['Enter a date that is today or earlier']);

      expect(await listOutcomeUpdates(db, s.consultation.slug, s.first.slug)).toMatchObject({
        publishedStatus: 'adopted_with_changes',
        currentStatus: 'adopted_with_changes',
        updates: [],
      });
      await addOutcomeUpdate(
        db,
        s.organiser,
        s.consultation.slug,
        s.first.slug,
        { happenedOn: '2026-03-03', status: 'adopted', note: 'The rules were **published**.' },
        ctx(),
      );
      await addOutcomeUpdate(
        db,
        s.organiser,
        s.consultation.slug,
        s.first.slug,
        { happenedOn: '2026-02-01', status: 'under_consideration', note: 'A draft went out.' },
        ctx(),
      );
      const timeline = await listOutcomeUpdates(db, s.consultation.slug, s.first.slug);
      expect(timeline.currentStatus).toBe('adopted');
      expect(timeline.currentStatusLabel).toBe('Adopted');
      expect(timeline.updates.map((u) => [u.happenedOn, u.status])).toEqual([
        ['2026-02-01', 'under_consideration'],
        ['2026-03-03', 'adopted'],
      ]);
      expect(timeline.updates[1]!.noteHtml).toBe(
        '<p>The rules were <strong>published</strong>.</p>\n',
      );
      // The other recommendation, and the published snapshot, are untouched.
      expect((await listOutcomeUpdates(db, s.consultation.slug, s.second.slug)).currentStatus).toBe(
        'adopted',
      );
      expect(
        (await getPublishedSummary(db, s.consultation.slug)).snapshot.recommendations[0]!.outcome
          .status,
      ).toBe('adopted_with_changes');
      const audited = await db
        .selectFrom('audit_events')
        .select(['before', 'after'])
        .where('consultation_id', '=', s.consultation.id)
        .where('action', '=', 'summary.outcome_updated')
        .orderBy('id')
        .execute();
      expect(
        audited.map((a) => [
          (a.before as { status: string }).status,
          (a.after as { status: string }).status,
        ]),
      ).toEqual([
        ['adopted_with_changes', 'adopted'],
        ['adopted', 'adopted'],
      ]);
      expect(
        (await rejection(listOutcomeUpdates(db, s.consultation.slug, 'no-such-recommendation')))
          .code,
      ).toBe('not_found');
    });

    test('publishing tells each respondent once, and emails those who take consultation news', async () => {
      const s = await analysedConsultation();
      const respondents = await db
        .selectFrom('responses')
        .select('user_id')
        .where('consultation_id', '=', s.consultation.id)
        .execute();
      const optedOut = respondents[0]!.user_id!;
      await saveEmailPreferences(db, await makeViewer(db, optedOut), {
        topics: ['moderation', 'account'],
      });
      const first = await published(s);
      // A second publish and a correction tell nobody again.
      await publishSummary(
        db,
        s.organiser,
        s.consultation.slug,
        { expectedVersion: first.draftVersion, licence: null },
        ctx(),
      );
      const input = completeDraft(s, first.draftVersion);
      input.intro = 'We asked, again.';
      const { version } = await saveSummaryDraft(
        db,
        s.organiser,
        s.consultation.slug,
        input,
        ctx(),
      );
      await correctSummary(
        db,
        s.organiser,
        s.consultation.slug,
        { expectedVersion: version, licence: null, changeNote: 'Reworded.' },
        ctx(),
      );

      const ids = respondents.map((r) => r.user_id!);
      const messages = await db
        .selectFrom('notifications')
        .select(['user_id', 'link', 'sent_at'])
        .where('kind', '=', 'consultation.summary_published')
        .where('user_id', 'in', ids)
        .execute();
      expect(messages.map((m) => m.user_id).sort()).toEqual([...ids].sort());
      expect(new Set(messages.map((m) => m.link))).toEqual(
        new Set([`/consultations/${s.consultation.slug}/summary`]),
      );
      expect(messages.find((m) => m.user_id === optedOut)!.sent_at).toBeNull();
      const emails = await db
        .selectFrom('email_outbox')
        .select(['user_id', 'text_body'])
        .where('kind', '=', 'consultation.summary_published')
        .where('user_id', 'in', ids)
        .execute();
      expect(emails.map((e) => e.user_id).sort()).toEqual(
        ids.filter((id) => id !== optedOut).sort(),
      );
      expect(emails[0]!.text_body).toContain(`/consultations/${s.consultation.slug}/summary`);
    });
  });
}

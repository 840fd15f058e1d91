import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import * as login from '~/routes/login';
import * as editorPage from '~/routes/organise.$slug.summary._index';
import * as previewPage from '~/routes/organise.$slug.summary.preview';
import * as publishPage from '~/routes/organise.$slug.summary.publish';
import * as partPage from '~/routes/organise.$slug.summary.recommendations.$recommendation';
import * as closePage from '~/routes/organise.$slug.close';
import * as dashboard from '~/routes/organise.$slug._index';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import type { TestUser } from '#tests/support/factories';
import {
  callAction,
  callLoader,
  formRequest,
  pageRequest,
  setCookie,
  type Outcome,
} from '#tests/support/route-calls';
import { createAnalysedConsultation } from '#tests/support/summaries';

// The organisers' summary pages through their route modules (handler(), the form schemas, the
// services), on both databases: drafting with its conflict, evidence the server refuses however
// the form was made, publishing once however often it is sent, corrections, outcome updates, and
// the consultation's lifecycle on its dashboard and closing page.

type Fixture = Awaited<ReturnType<typeof createAnalysedConsultation>>;

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function signIn(user: TestUser) {
      const outcome = await callAction(
        login,
        db,
        formRequest('/login', { email: user.email, password: user.password, redirectTo: '/' }),
      );
      expect(outcome.status).toBe(302);
      return setCookie(outcome, 'oc_session')!;
    }

    function paths(f: Fixture) {
      const slug = f.consultation.slug;
      const base = `/organise/${slug}/summary`;
      const [first, second] = f.recommendations;
      return {
        slug,
        base,
        first: {
          path: `${base}/recommendations/${first.slug}`,
          params: { slug, recommendation: first.slug },
        },
        second: {
          path: `${base}/recommendations/${second.slug}`,
          params: { slug, recommendation: second.slug },
        },
      };
    }

    type Data = Record<string, unknown> & {
      version: number;
      formError?: string | null;
      fieldErrors?: Record<string, string[]>;
      values?: Record<string, string>;
    };
    const dataOf = (outcome: Outcome) => outcome.data as Data;

    /** The form a page of one recommendation sends, with evidence boxes as the page names them. */
    function partForm(
      f: Fixture,
      number: 1 | 2,
      version: number,
      fields: Partial<Record<'youSaid' | 'weDid' | 'outcomeStatus' | 'outcomeReasons', string>>,
      evidence: { quotes?: string[]; citations?: string[] } = {},
    ) {
      const form: Record<string, string> = {
        intent: 'save',
        expectedVersion: String(version),
        recommendationId: f.recommendations[number - 1]!.id,
        youSaid: fields.youSaid ?? '',
        weDid: fields.weDid ?? '',
        outcomeReasons: fields.outcomeReasons ?? '',
        ...(fields.outcomeStatus ? { outcomeStatus: fields.outcomeStatus } : {}),
      };
      (evidence.quotes ?? []).forEach((ref, i) => (form[`quote:${ref}`] = String(i + 1)));
      (evidence.citations ?? []).forEach((ref, i) => (form[`cite:${ref}`] = String(i + 1)));
      return form;
    }

    async function version(f: Fixture, cookie: string) {
      const { slug } = paths(f);
      const page = await callLoader(
        editorPage,
        db,
        pageRequest(`/organise/${slug}/summary`, { cookie }),
        {
          params: { slug },
        },
      );
      return dataOf(page).version;
    }

    /** Sends a recommendation's form from its page, signed in with `cookie`. */
    function savePart(
      f: Fixture,
      which: 'first' | 'second',
      form: Record<string, string>,
      cookie: string,
    ) {
      const where = paths(f)[which];
      return callAction(partPage, db, formRequest(where.path, form, { cookie }), {
        params: where.params,
      });
    }

    function publish(f: Fixture, cookie: string, expectedVersion: number) {
      const p = paths(f);
      return callAction(
        publishPage,
        db,
        formRequest(
          `${p.base}/publish`,
          { intent: 'publish', expectedVersion: String(expectedVersion), licence: 'ogl-3' },
          { cookie },
        ),
        { params: { slug: p.slug } },
      );
    }

    function saveIntro(f: Fixture, cookie: string, expectedVersion: number, intro: string) {
      const p = paths(f);
      return callAction(
        editorPage,
        db,
        formRequest(
          p.base,
          { intent: 'intro', expectedVersion: String(expectedVersion), intro },
          { cookie },
        ),
        { params: { slug: p.slug } },
      );
    }

    /** Writes every required part through the pages, returning the draft's version. */
    async function writeWholeDraft(f: Fixture, cookie: string) {
      const p = paths(f);
      const intro = await callAction(
        editorPage,
        db,
        formRequest(
          p.base,
          {
            intent: 'intro',
            expectedVersion: String(await version(f, cookie)),
            intro: 'We asked **how**.',
          },
          { cookie },
        ),
        { params: { slug: p.slug } },
      );
      expect(intro).toMatchObject({ status: 302, location: `${p.base}?saved=intro#intro` });
      for (const [number, where] of [
        [1, p.first],
        [2, p.second],
      ] as const) {
        const saved = await callAction(
          partPage,
          db,
          formRequest(
            where.path,
            partForm(
              f,
              number,
              await version(f, cookie),
              {
                youSaid: `People said things about ${number} [1].`,
                weDid: 'We will act.',
                outcomeStatus: 'adopted',
              },
              {
                citations: [`net_support:${number}:founder`],
                quotes: number === 1 ? [f.quotes.named] : [],
              },
            ),
            { cookie },
          ),
          { params: where.params },
        );
        expect(saved).toMatchObject({ status: 302, location: `${where.path}?saved=part` });
      }
      return version(f, cookie);
    }

    test('the introduction and a recommendation save through their forms, evidence in the order chosen, and the page shows them back', async () => {
      const f = await createAnalysedConsultation(db);
      const cookie = await signIn(f.organiser);
      const p = paths(f);
      await saveIntro(f, cookie, 0, 'We asked.');
      const form = partForm(f, 1, 1, { youSaid: 'Founders [1], investors [2].', weDid: 'Acted.' });
      // A box already chosen sends its place; a new one a later one: the list keeps that order.
      form['cite:net_support:1:investor'] = '2';
      form['cite:net_support:1:founder'] = '1';
      form[`cite:${f.quotes.comment}`] = '95';
      form[`quote:${f.quotes.anonymous}`] = '80';
      form[`quote:${f.quotes.named}`] = '71';
      const saved = await callAction(partPage, db, formRequest(p.first.path, form, { cookie }), {
        params: p.first.params,
      });
      expect(saved.status).toBe(302);
      const page = dataOf(
        await callLoader(partPage, db, pageRequest(p.first.path, { cookie }), {
          params: p.first.params,
        }),
      ) as unknown as {
        version: number;
        recommendation: {
          draft: {
            youSaid: string;
            citations: string[];
            quotes: string[];
            outcomeStatus: string | null;
          };
        };
        missing: { field: string }[];
      };
      expect(page.version).toBe(2);
      expect(page.recommendation.draft).toMatchObject({
        youSaid: 'Founders [1], investors [2].',
        outcomeStatus: null,
        citations: ['net_support:1:founder', 'net_support:1:investor', f.quotes.comment],
        quotes: [f.quotes.named, f.quotes.anonymous],
      });
      expect(page.missing.map((m) => m.field)).toEqual(['outcomeStatus']);
      // A recommendation's form leaves the introduction as it was.
      const summary = await callLoader(editorPage, db, pageRequest(p.base, { cookie }), {
        params: { slug: p.slug },
      });
      expect(dataOf(summary)).toMatchObject({ intro: 'We asked.', version: 2 });
    });

    test('a save from a page loaded before another organiser saved is refused as a conflict, keeping the text and showing theirs', async () => {
      const f = await createAnalysedConsultation(db);
      const [mine, theirs] = [await signIn(f.organiser), await signIn(f.secondOrganiser)];
      const p = paths(f);
      const loadedAt = await version(f, mine);
      const first = await savePart(
        f,
        'first',
        partForm(f, 1, loadedAt, { youSaid: 'Their wording.' }),
        theirs,
      );
      expect(first.status).toBe(302);
      const second = await savePart(
        f,
        'first',
        partForm(f, 1, loadedAt, { youSaid: 'My wording.' }),
        mine,
      );
      expect(second.status).toBe(409);
      expect(dataOf(second).formError).toMatch(
        /Another organiser saved this summary while you were editing it/,
      );
      expect(dataOf(second).values).toMatchObject({ youSaid: 'My wording.' });
      // The page reloads after a 409 and shows what is saved now, beside the kept text.
      expect(
        partPage.shouldRevalidate({ actionStatus: 409, defaultShouldRevalidate: false } as never),
      ).toBe(true);
      const page = await callLoader(partPage, db, pageRequest(p.first.path, { cookie: mine }), {
        params: p.first.params,
      });
      expect(dataOf(page)).toMatchObject({
        recommendation: { draft: { youSaid: 'Their wording.' } },
      });
      // The same form sent twice (a double click without JavaScript) is not a conflict.
      const again = partForm(f, 1, loadedAt + 1, { youSaid: 'Their wording, revised.' });
      for (const expected of [302, 302]) {
        const repeat = await callAction(
          partPage,
          db,
          formRequest(p.first.path, again, { cookie: theirs }),
          {
            params: p.first.params,
          },
        );
        expect(repeat.status).toBe(expected);
      }
      expect(await version(f, mine)).toBe(loadedAt + 2);

      // One organiser's own two tabs: told it was their other tab, not someone else.
      const tabs = await version(f, mine);
      const firstTab = await savePart(
        f,
        'first',
        partForm(f, 1, tabs, { youSaid: 'From tab one.' }),
        mine,
      );
      expect(firstTab.status).toBe(302);
      const secondTab = await savePart(
        f,
        'second',
        partForm(f, 2, tabs, { youSaid: 'From tab two.' }),
        mine,
      );
      expect(secondTab.status).toBe(409);
      expect(dataOf(secondTab).formError).toMatch(/^You saved this summary from another tab/);
      const secondPage = await callLoader(
        partPage,
        db,
        pageRequest(p.second.path, { cookie: mine }),
        {
          params: p.second.params,
        },
      );
      expect(dataOf(secondPage)).toMatchObject({ savedByViewer: true });
    });

    test('evidence the page never offered is refused by the server, naming why, with nothing saved', async () => {
      const f = await createAnalysedConsultation(db);
      const cookie = await signIn(f.organiser);
      const p = paths(f);
      const other = await createAnalysedConsultation(db, { title: 'Another consultation' });
      const forged = [
        { quotes: [f.quotes.private], message: /chose not to have their response published/ },
        { quotes: [f.quotes.hidden], message: /A moderator hid these reasons/ },
        { quotes: [f.quotes.held], message: /held for review/ },
        { quotes: [other.quotes.named], message: /not from this consultation/ },
        {
          quotes: ['net_support:1:all'],
          message: /Only reasons and comments can be chosen as quotes/,
        },
        { citations: ['net_support:1:other'], message: /no such figure|suppressed/ },
        { citations: ['net_support:9:all'], message: /Recommendation 9 has no results/ },
      ];
      for (const evidence of forged) {
        const refused = await callAction(
          partPage,
          db,
          formRequest(p.first.path, partForm(f, 1, 0, { youSaid: 'Kept text.' }, evidence), {
            cookie,
          }),
          { params: p.first.params },
        );
        expect(refused.status, JSON.stringify(evidence)).toBe(422);
        const field = evidence.quotes ? 'recommendations.1.quotes' : 'recommendations.1.citations';
        expect(dataOf(refused).fieldErrors?.[field]?.[0]).toMatch(evidence.message);
        expect(dataOf(refused).values).toMatchObject({ youSaid: 'Kept text.' });
      }
      const notARef = await callAction(
        partPage,
        db,
        formRequest(p.first.path, partForm(f, 1, 0, {}, { citations: ['select * from users'] }), {
          cookie,
        }),
        { params: p.first.params },
      );
      expect(notARef.status).toBe(400);
      expect(await version(f, cookie)).toBe(0);
    });

    test('publishing lists every missing part with a link to it, then a double submit makes one version and respondents hear once', async () => {
      const f = await createAnalysedConsultation(db);
      const cookie = await signIn(f.organiser);
      const p = paths(f);
      const tooEarly = await callAction(
        publishPage,
        db,
        formRequest(
          `${p.base}/publish`,
          { intent: 'publish', expectedVersion: '0', licence: 'ogl-3' },
          { cookie },
        ),
        { params: { slug: p.slug } },
      );
      expect(tooEarly.status).toBe(400);
      expect(dataOf(tooEarly).fieldErrors?.expectedVersion?.[0]).toBe(
        'Save the draft before publishing',
      );
      await saveIntro(f, cookie, 0, 'We asked.');
      // A licence that is not offered is refused on the form.
      const forged = await callAction(
        publishPage,
        db,
        formRequest(
          `${p.base}/publish`,
          { intent: 'publish', expectedVersion: '1', licence: 'all-rights-reserved' },
          { cookie },
        ),
        { params: { slug: p.slug } },
      );
      expect(forged.status).toBe(400);
      expect(dataOf(forged).fieldErrors?.licence?.[0]).toBe('Choose the licence to publish under');
      const missing = await callAction(
        publishPage,
        db,
        formRequest(
          `${p.base}/publish`,
          { intent: 'publish', expectedVersion: '1', licence: 'ogl-3' },
          { cookie },
        ),
        { params: { slug: p.slug } },
      );
      expect(missing.status).toBe(422);
      expect(Object.keys(dataOf(missing).fieldErrors ?? {}).sort()).toEqual(
        ['1', '2']
          .flatMap((n) =>
            ['outcomeStatus', 'weDid', 'youSaid'].map((x) => `recommendations.${n}.${x}`),
          )
          .sort(),
      );

      const ready = await writeWholeDraft(f, cookie);
      // A publish page opened before the last save publishes nothing: the organiser is told.
      const stale = await publish(f, cookie, ready - 1);
      expect(stale.status).toBe(409);
      expect(
        publishPage.shouldRevalidate({
          actionStatus: 409,
          defaultShouldRevalidate: false,
        } as never),
      ).toBe(true);
      const [once, twice] = [await publish(f, cookie, ready), await publish(f, cookie, ready)];
      for (const outcome of [once, twice]) {
        expect(outcome).toMatchObject({ status: 302, location: `${p.base}/publish?published=1` });
      }
      const versions = await db
        .selectFrom('summary_versions')
        .select('number')
        .where('consultation_id', '=', f.consultation.id)
        .execute();
      expect(versions).toEqual([{ number: 1 }]);
      const told = await db
        .selectFrom('notifications')
        .select('user_id')
        .where('kind', '=', 'consultation.summary_published')
        .where('link', '=', `/consultations/${p.slug}/summary`)
        .execute();
      expect(told.filter((n) => n.user_id === f.founder.id)).toHaveLength(1);
      expect(told).toHaveLength(12);
      const confirmation = dataOf(
        await callLoader(
          publishPage,
          db,
          pageRequest(`${p.base}/publish?published=1`, { cookie }),
          {
            params: { slug: p.slug },
          },
        ),
      ) as unknown as {
        published: { number: number; contentHash: string; told: { messages: number } };
      };
      expect(confirmation.published).toMatchObject({ number: 1, told: { messages: 12 } });
      expect(confirmation.published.contentHash).toMatch(/^[0-9a-f]{64}$/);
    });

    test('a correction needs a change note and a changed draft, and makes version 2', async () => {
      const f = await createAnalysedConsultation(db);
      const cookie = await signIn(f.organiser);
      const p = paths(f);
      const ready = await writeWholeDraft(f, cookie);
      await publish(f, cookie, ready);
      const correct = (expectedVersion: number, changeNote: string) =>
        callAction(
          publishPage,
          db,
          formRequest(
            `${p.base}/publish`,
            { intent: 'correct', expectedVersion: String(expectedVersion), changeNote },
            { cookie },
          ),
          { params: { slug: p.slug } },
        );
      const noNote = await correct(ready, '  ');
      expect(noNote.status).toBe(400);
      expect(dataOf(noNote).fieldErrors?.changeNote).toEqual(['Say what this correction changes']);
      const unchanged = await correct(ready, 'Nothing really.');
      expect(unchanged.status).toBe(422);
      expect(dataOf(unchanged).formError).toMatch(
        /Nothing in the draft has changed since version 1/,
      );
      await callAction(
        partPage,
        db,
        formRequest(
          p.first.path,
          partForm(
            f,
            1,
            ready,
            { youSaid: 'Corrected [1].', weDid: 'We will act.', outcomeStatus: 'adopted' },
            {
              citations: ['net_support:1:founder'],
            },
          ),
          { cookie },
        ),
        { params: p.first.params },
      );
      const corrected = await correct(ready + 1, 'Corrected what people said.');
      expect(corrected).toMatchObject({ status: 302, location: `${p.base}/publish?published=2` });
      const again = await correct(ready + 1, 'Corrected what people said.');
      expect(again).toMatchObject({ status: 302, location: `${p.base}/publish?published=2` });
      // Both versions carry the licence chosen when the summary was first published.
      const licences = await db
        .selectFrom('summary_versions')
        .innerJoin('consultations', 'consultations.id', 'summary_versions.consultation_id')
        .select(['summary_versions.number', 'summary_versions.licence'])
        .where('consultations.slug', '=', p.slug)
        .orderBy('summary_versions.number')
        .execute();
      expect(licences).toEqual([
        { number: 1, licence: 'Open Government Licence v3.0' },
        { number: 2, licence: 'Open Government Licence v3.0' },
      ]);
    });

    test('an outcome update needs a past date, an outcome and a note, keeping what was typed, and follows publication', async () => {
      const f = await createAnalysedConsultation(db);
      const cookie = await signIn(f.organiser);
      const p = paths(f);
      const update = (fields: Record<string, string>) =>
        callAction(
          partPage,
          db,
          formRequest(p.first.path, { intent: 'outcome', ...fields }, { cookie }),
          {
            params: p.first.params,
          },
        );
      const today = new Date();
      const day = {
        happenedOnDay: String(today.getUTCDate()),
        happenedOnMonth: String(today.getUTCMonth() + 1),
        happenedOnYear: String(today.getUTCFullYear()),
      };
      const beforePublishing = await update({ ...day, status: 'adopted', note: 'Done.' });
      expect(beforePublishing.status).toBe(422);
      expect(dataOf(beforePublishing).formError).toMatch(/publish the summary first/);

      const ready = await writeWholeDraft(f, cookie);
      await publish(f, cookie, ready);
      const empty = await update({
        happenedOnDay: '',
        happenedOnMonth: '',
        happenedOnYear: '',
        note: 'Typed.',
      });
      expect(empty.status).toBe(400);
      expect(dataOf(empty).fieldErrors).toMatchObject({
        happenedOn: ['Enter the date it happened'],
        status: ['Choose an outcome'],
      });
      expect(dataOf(empty).values).toMatchObject({ note: 'Typed.' });
      const future = await update({
        ...day,
        happenedOnYear: String(today.getUTCFullYear() + 1),
        status: 'adopted',
        note: 'Soon.',
      });
      expect(future.status).toBe(422);
      expect(dataOf(future).fieldErrors).toEqual({
        happenedOn: ['Enter a date that is today or earlier'],
      });
      // The same form sent twice (a double click without JavaScript) records one update.
      const form = {
        ...day,
        status: 'not_adopted',
        note: 'The regulator declined.',
        idempotencyKey: crypto.randomUUID(),
      };
      for (const recorded of [await update(form), await update(form)]) {
        expect(recorded).toMatchObject({
          status: 302,
          location: `${p.first.path}?saved=outcome#outcome-updates`,
        });
      }
      const page = dataOf(
        await callLoader(partPage, db, pageRequest(p.first.path, { cookie }), {
          params: p.first.params,
        }),
      );
      expect(page.outcomes).toMatchObject({
        publishedStatus: 'adopted',
        currentStatus: 'not_adopted',
        updates: [{ status: 'not_adopted' }],
      });
    });

    test('the preview draws the draft as the public page would, and says what stops it being published', async () => {
      const f = await createAnalysedConsultation(db);
      const cookie = await signIn(f.organiser);
      const p = paths(f);
      await callAction(
        partPage,
        db,
        formRequest(
          p.first.path,
          partForm(
            f,
            1,
            0,
            { youSaid: 'Founders [1].' },
            {
              citations: ['net_support:1:founder'],
              quotes: [f.quotes.named],
            },
          ),
          { cookie },
        ),
        { params: p.first.params },
      );
      const preview = dataOf(
        await callLoader(previewPage, db, pageRequest(`${p.base}/preview`, { cookie }), {
          params: { slug: p.slug },
        }),
      ) as unknown as {
        snapshot: {
          recommendations: { citations: { text: string }[]; quotes: { attribution: string }[] }[];
        };
        problems: Record<string, string[]>;
      };
      expect(preview.snapshot.recommendations[0]!.citations[0]!.text).toBe('+100 (+45 to +100)');
      expect(preview.snapshot.recommendations[0]!.quotes[0]!.attribution).toBe(
        'Ada Founder, Acme Ltd',
      );
      expect(Object.keys(preview.problems)).toContain('intro');
      expect(Object.keys(preview.problems)).toContain('recommendations.2.youSaid');
      expect(
        await db
          .selectFrom('summary_versions')
          .select('id')
          .where('consultation_id', '=', f.consultation.id)
          .execute(),
      ).toEqual([]);
    });

    test('the dashboard checklist follows the consultation from closed to published; analysing starts from the closing page', async () => {
      const f = await createAnalysedConsultation(db, { status: 'closed' });
      const cookie = await signIn(f.organiser);
      const p = paths(f);
      const steps = async () =>
        (
          dataOf(
            await callLoader(dashboard, db, pageRequest(`/organise/${p.slug}`, { cookie }), {
              params: { slug: p.slug },
            }),
          ).checklist as { steps: { id: string; done: boolean; detail: string }[] }
        ).steps;
      const before = await steps();
      expect(before.map((s) => [s.id, s.done])).toEqual([
        ['close', true],
        ['moderate', false],
        ['analyse', false],
        ['write', false],
        ['publish', false],
      ]);
      expect(before.find((s) => s.id === 'moderate')!.detail).toMatch(
        /^1 item waits for a moderator/,
      );
      expect(before.find((s) => s.id === 'write')!.detail).toMatch(/^7 parts are missing/);

      const closing = dataOf(
        await callLoader(closePage, db, pageRequest(`/organise/${p.slug}/close`, { cookie }), {
          params: { slug: p.slug },
        }),
      ) as unknown as { consultation: { version: number } };
      const analyse = await callAction(
        closePage,
        db,
        formRequest(
          `/organise/${p.slug}/close`,
          { intent: 'analyse', version: String(closing.consultation.version) },
          { cookie },
        ),
        { params: { slug: p.slug } },
      );
      expect(analyse).toMatchObject({ status: 302, location: `/organise/${p.slug}?saved=analyse` });
      const ready = await writeWholeDraft(f, cookie);
      await publish(f, cookie, ready);
      expect((await steps()).map((s) => [s.id, s.done])).toEqual([
        ['close', true],
        ['moderate', false],
        ['analyse', true],
        ['write', true],
        ['publish', true],
      ]);
    });

    test('moderators, respondents and organisers of other consultations are refused every summary page and form', async () => {
      const f = await createAnalysedConsultation(db);
      const elsewhere = await createAnalysedConsultation(db, { title: 'Elsewhere' });
      const p = paths(f);
      for (const user of [f.moderator, f.founder, elsewhere.organiser]) {
        const cookie = await signIn(user);
        const calls = [
          callLoader(editorPage, db, pageRequest(p.base, { cookie }), { params: { slug: p.slug } }),
          callLoader(partPage, db, pageRequest(p.first.path, { cookie }), {
            params: p.first.params,
          }),
          callLoader(previewPage, db, pageRequest(`${p.base}/preview`, { cookie }), {
            params: { slug: p.slug },
          }),
          callLoader(publishPage, db, pageRequest(`${p.base}/publish`, { cookie }), {
            params: { slug: p.slug },
          }),
          callAction(
            editorPage,
            db,
            formRequest(p.base, { intent: 'intro', expectedVersion: '0', intro: 'x' }, { cookie }),
            {
              params: { slug: p.slug },
            },
          ),
          callAction(
            partPage,
            db,
            formRequest(p.first.path, partForm(f, 1, 0, { youSaid: 'x' }), { cookie }),
            {
              params: p.first.params,
            },
          ),
          callAction(
            publishPage,
            db,
            formRequest(
              `${p.base}/publish`,
              { intent: 'publish', expectedVersion: '1', licence: 'cc-by-4' },
              { cookie },
            ),
            {
              params: { slug: p.slug },
            },
          ),
        ];
        for (const call of calls) expect((await call).status).toBe(403);
      }
      expect(await version(f, await signIn(f.organiser))).toBe(0);
    });
  });
}

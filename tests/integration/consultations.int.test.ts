import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Consultation, DB } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import {
  addRecommendation,
  changeConsultationStatus,
  createConsultation,
  getConsultation,
  getRecommendation,
  listConsultations,
  moveRecommendation,
  removeRecommendation,
  updateConsultation,
} from '~/.server/consultations';
import type { EditConsultationInput, NewConsultationInput } from '~/lib/schemas/consultations';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation as insertConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  createUser,
  ctx,
  grantRole,
  makeViewer,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

const DAY = 24 * 60 * 60 * 1000;

let slugSequence = 0;
function newConsultation(overrides: Partial<NewConsultationInput> = {}): NewConsultationInput {
  slugSequence += 1;
  return {
    slug: `new-consultation-${slugSequence}`,
    title: 'Open data in schools',
    summary: 'Should schools publish their data openly?',
    body: 'Background for **respondents**.',
    runBy: 'Department of Examples',
    opensAt: null,
    closesAt: null,
    ...overrides,
  };
}

function editOf(
  row: Consultation,
  overrides: Partial<EditConsultationInput> = {},
): EditConsultationInput {
  return {
    intent: 'save',
    version: row.version,
    title: row.title,
    summary: row.summary,
    body: row.body,
    runBy: row.run_by,
    opensAt: row.opens_at,
    closesAt: row.closes_at,
    ...overrides,
  };
}

function newRecommendation(title: string, rationale = '') {
  return { title, summary: `What “${title}” proposes.`, rationale, slug: undefined };
}

async function auditEvents(db: Kysely<DB>, consultationId: string) {
  return db
    .selectFrom('audit_events')
    .select(['action', 'actor_id', 'target_id', 'before', 'after', 'request_id'])
    .where('consultation_id', '=', consultationId)
    .orderBy('id')
    .execute();
}

async function reload(db: Kysely<DB>, id: string) {
  return db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function numbering(db: Kysely<DB>, consultationId: string) {
  const rows = await db
    .selectFrom('recommendations')
    .select(['slug', 'number'])
    .where('consultation_id', '=', consultationId)
    .orderBy('number')
    .execute();
  return rows.map((r) => `${r.number}:${r.slug}`);
}

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    let organiser: Viewer;
    let respondent: Viewer;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
      organiser = await createOrganiser(db);
      respondent = await createRespondent(db);
    });
    afterAll(() => t?.destroy());

    test('the public list hides drafts; an organiser’s list shows them', async () => {
      const draft = await insertConsultation(db, { status: 'draft' });
      const open = await insertConsultation(db, { status: 'open' });

      const publicSlugs = (await listConsultations(db, null)).map((c) => c.slug);
      const respondentSlugs = (await listConsultations(db, respondent)).map((c) => c.slug);
      const organiserSlugs = (await listConsultations(db, organiser)).map((c) => c.slug);

      expect(publicSlugs).toContain(open.slug);
      expect(publicSlugs).not.toContain(draft.slug);
      expect(respondentSlugs).not.toContain(draft.slug);
      expect(organiserSlugs).toEqual(expect.arrayContaining([open.slug, draft.slug]));
    });

    test('the list counts each consultation’s recommendations as a number', async () => {
      const open = await insertConsultation(db, { status: 'open' });
      await createRecommendation(db, open.id);
      await createRecommendation(db, open.id);

      const listed = (await listConsultations(db, null)).find((c) => c.slug === open.slug);

      expect(listed?.recommendationCount).toBe(2);
    });

    test('a draft does not exist for anyone who cannot organise it', async () => {
      const draft = await insertConsultation(db, { status: 'draft' });

      expect((await rejection(getConsultation(db, draft.slug, null))).code).toBe('not_found');
      expect((await rejection(getConsultation(db, draft.slug, respondent))).code).toBe('not_found');
      const seen = await getConsultation(db, draft.slug, organiser);
      expect(seen.consultation.slug).toBe(draft.slug);
      expect(seen.canOrganise).toBe(true);
    });

    test('a respondent may not create, edit or add to consultations', async () => {
      const draft = await insertConsultation(db);

      expect(
        (await rejection(createConsultation(db, respondent, newConsultation(), ctx()))).code,
      ).toBe('forbidden');
      expect(
        (
          await rejection(
            updateConsultation(
              db,
              respondent,
              draft.slug,
              editOf(draft, { title: 'Hijacked' }),
              ctx(),
            ),
          )
        ).code,
      ).toBe('forbidden');
      expect(
        (
          await rejection(
            addRecommendation(db, respondent, draft.slug, newRecommendation('Sneaky'), ctx()),
          )
        ).code,
      ).toBe('forbidden');
      expect((await reload(db, draft.id)).title).toBe(draft.title);
      expect(await numbering(db, draft.id)).toEqual([]);
    });

    test('someone signed out is asked to sign in before creating, editing or adding', async () => {
      const draft = await insertConsultation(db);

      expect((await rejection(createConsultation(db, null, newConsultation(), ctx()))).code).toBe(
        'unauthenticated',
      );
      expect(
        (
          await rejection(
            updateConsultation(db, null, draft.slug, editOf(draft, { title: 'Hijacked' }), ctx()),
          )
        ).code,
      ).toBe('unauthenticated');
      expect(
        (
          await rejection(
            addRecommendation(db, null, draft.slug, newRecommendation('Sneaky'), ctx()),
          )
        ).code,
      ).toBe('unauthenticated');
      expect((await reload(db, draft.id)).title).toBe(draft.title);
    });

    test('an organiser of one consultation cannot edit another, nor create new ones', async () => {
      const theirs = await insertConsultation(db);
      const other = await insertConsultation(db);
      const user = await createUser(db);
      await grantRole(db, user.id, 'organiser', theirs.id);
      const scoped = await makeViewer(db, user.id);

      await expect(
        updateConsultation(
          db,
          scoped,
          theirs.slug,
          editOf(theirs, { title: 'Renamed by its organiser' }),
          ctx(),
        ),
      ).resolves.toMatchObject({ title: 'Renamed by its organiser' });
      expect(
        (
          await rejection(
            updateConsultation(db, scoped, other.slug, editOf(other, { title: 'Not mine' }), ctx()),
          )
        ).code,
      ).toBe('forbidden');
      expect((await rejection(createConsultation(db, scoped, newConsultation(), ctx()))).code).toBe(
        'forbidden',
      );
    });

    test('an organiser creates a draft consultation and the audit trail records who did it', async () => {
      const request = ctx();
      const created = await createConsultation(
        db,
        organiser,
        newConsultation({ slug: 'school-meals', title: 'School meals' }),
        request,
      );

      expect(created).toMatchObject({
        slug: 'school-meals',
        title: 'School meals',
        status: 'draft',
        version: 1,
      });
      const events = await auditEvents(db, created.id);
      expect(events).toEqual([
        expect.objectContaining({
          action: 'consultation.created',
          actor_id: organiser.id,
          target_id: created.id,
          request_id: request.requestId,
          after: { slug: 'school-meals', title: 'School meals' },
        }),
      ]);
    });

    test('a second consultation with the same web address is refused on the slug field', async () => {
      await createConsultation(db, organiser, newConsultation({ slug: 'taken-address' }), ctx());

      const error = await rejection(
        createConsultation(
          db,
          organiser,
          newConsultation({ slug: 'taken-address', title: 'Another' }),
          ctx(),
        ),
      );

      expect(error.code).toBe('conflict');
      expect(error.fieldErrors.slug?.[0]).toMatch(/already used/);
      const rows = await db
        .selectFrom('consultations')
        .select('title')
        .where('slug', '=', 'taken-address')
        .execute();
      expect(rows).toEqual([{ title: 'Open data in schools' }]);
    });

    test('the same form sent twice at once (a double click) makes one draft and shows it both times', async () => {
      const input = newConsultation({ slug: 'double-click' });
      const [first, second] = await Promise.all([
        createConsultation(db, organiser, input, ctx()),
        createConsultation(db, organiser, input, ctx()),
      ]);

      expect(second.id).toBe(first.id);
      const rows = await db
        .selectFrom('consultations')
        .select('id')
        .where('slug', '=', 'double-click')
        .execute();
      expect(rows).toHaveLength(1);
    });

    test('an edit made from a stale version is refused and changes nothing', async () => {
      const draft = await insertConsultation(db, { title: 'Original title' });
      const first = editOf(draft, { title: 'First editor’s title' });
      const second = editOf(draft, { title: 'Second editor’s title' });
      await updateConsultation(db, organiser, draft.slug, first, ctx());

      const error = await rejection(updateConsultation(db, organiser, draft.slug, second, ctx()));

      expect(error.code).toBe('conflict');
      const after = await reload(db, draft.id);
      expect(after.title).toBe('First editor’s title');
      expect(after.version).toBe(draft.version + 1);
      expect((await auditEvents(db, draft.id)).map((e) => e.action)).toEqual([
        'consultation.updated',
      ]);
    });

    test('an edit is audited with the before and after of the changed fields only', async () => {
      const draft = await insertConsultation(db, { title: 'Before', summary: 'Unchanged summary' });

      const updated = await updateConsultation(
        db,
        organiser,
        draft.slug,
        editOf(draft, { title: 'After' }),
        ctx(),
      );

      expect(updated).toMatchObject({
        title: 'After',
        summary: 'Unchanged summary',
        version: draft.version + 1,
      });
      const events = await auditEvents(db, draft.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'consultation.updated',
        actor_id: organiser.id,
        before: { title: 'Before' },
        after: { title: 'After' },
      });
    });

    test('saving an edit that changes nothing writes no audit event and keeps the version', async () => {
      const draft = await insertConsultation(db);

      await updateConsultation(db, organiser, draft.slug, editOf(draft), ctx());

      expect((await reload(db, draft.id)).version).toBe(draft.version);
      expect(await auditEvents(db, draft.id)).toEqual([]);
    });

    test('opening needs a closing date in the future', async () => {
      const noDate = await insertConsultation(db, { closes_at: null });
      await createRecommendation(db, noDate.id);
      const pastDate = await insertConsultation(db, { closes_at: new Date(Date.now() - DAY) });
      await createRecommendation(db, pastDate.id);

      for (const draft of [noDate, pastDate]) {
        const error = await rejection(
          changeConsultationStatus(
            db,
            organiser,
            draft.slug,
            { intent: 'open', version: draft.version },
            ctx(),
          ),
        );
        expect(error.code).toBe('invalid');
        expect(error.fieldErrors.closesAt).toBeDefined();
        expect((await reload(db, draft.id)).status).toBe('draft');
      }
    });

    test('opening needs at least one recommendation', async () => {
      const draft = await insertConsultation(db, { closes_at: new Date(Date.now() + 10 * DAY) });

      const error = await rejection(
        changeConsultationStatus(
          db,
          organiser,
          draft.slug,
          { intent: 'open', version: draft.version },
          ctx(),
        ),
      );

      expect(error.code).toBe('invalid');
      expect(error.message).toMatch(/recommendation/);
      expect((await reload(db, draft.id)).status).toBe('draft');
    });

    test('opening twice (a double click) opens once and writes one audit event', async () => {
      const draft = await insertConsultation(db, { closes_at: new Date(Date.now() + 10 * DAY) });
      await createRecommendation(db, draft.id);
      const input = { intent: 'open' as const, version: draft.version };

      const first = await changeConsultationStatus(db, organiser, draft.slug, input, ctx());
      const second = await changeConsultationStatus(db, organiser, draft.slug, input, ctx());

      expect(first).toMatchObject({ status: 'open', phase: 'open' });
      expect(second).toMatchObject({ status: 'open', version: first.version });
      expect((await auditEvents(db, draft.id)).map((e) => e.action)).toEqual([
        'consultation.opened',
      ]);
      const publicView = await getConsultation(db, draft.slug, null);
      expect(publicView.consultation.phase).toBe('open');
    });

    test('closing ends the consultation now: status closed and a closing time no later than now', async () => {
      const open = await insertConsultation(db, {
        status: 'open',
        closes_at: new Date(Date.now() + 10 * DAY),
      });
      await createRecommendation(db, open.id);

      const closed = await changeConsultationStatus(
        db,
        organiser,
        open.slug,
        { intent: 'close', version: open.version },
        ctx(),
      );

      const row = await reload(db, open.id);
      expect(closed).toMatchObject({ status: 'closed', phase: 'closed' });
      expect(row.status).toBe('closed');
      expect(row.closes_at!.getTime()).toBeLessThanOrEqual(Date.now());
      expect((await auditEvents(db, open.id)).map((e) => e.action)).toEqual([
        'consultation.closed',
      ]);
    });

    test('recommendations added one after another are numbered 1, 2, 3', async () => {
      const draft = await insertConsultation(db);

      const added = [];
      for (const title of ['Open source first', 'Publish the models', 'Fast-track regulation']) {
        added.push(
          await addRecommendation(db, organiser, draft.slug, newRecommendation(title), ctx()),
        );
      }

      expect(added.map((r) => r.number)).toEqual([1, 2, 3]);
      expect(await numbering(db, draft.id)).toEqual([
        '1:open-source-first',
        '2:publish-the-models',
        '3:fast-track-regulation',
      ]);
      const events = await auditEvents(db, draft.id);
      expect(events.map((e) => e.action)).toEqual(Array(3).fill('recommendation.created'));
    });

    test('moving a recommendation up or down swaps it with its neighbour and is audited', async () => {
      const draft = await insertConsultation(db);
      const a = await createRecommendation(db, draft.id, { slug: 'a' });
      const b = await createRecommendation(db, draft.id, { slug: 'b' });
      await createRecommendation(db, draft.id, { slug: 'c' });

      await moveRecommendation(
        db,
        organiser,
        draft.slug,
        { intent: 'move-up', recommendationId: b.id },
        ctx(),
      );
      expect(await numbering(db, draft.id)).toEqual(['1:b', '2:a', '3:c']);

      await moveRecommendation(
        db,
        organiser,
        draft.slug,
        { intent: 'move-down', recommendationId: a.id },
        ctx(),
      );
      expect(await numbering(db, draft.id)).toEqual(['1:b', '2:c', '3:a']);

      const events = await auditEvents(db, draft.id);
      expect(events).toEqual([
        expect.objectContaining({
          action: 'recommendation.moved',
          target_id: b.id,
          before: { number: 2 },
          after: { number: 1 },
        }),
        expect.objectContaining({
          action: 'recommendation.moved',
          target_id: a.id,
          before: { number: 2 },
          after: { number: 3 },
        }),
      ]);
    });

    test('moving the first recommendation up, or the last down, changes nothing', async () => {
      const draft = await insertConsultation(db);
      const first = await createRecommendation(db, draft.id, { slug: 'first' });
      const last = await createRecommendation(db, draft.id, { slug: 'last' });

      await moveRecommendation(
        db,
        organiser,
        draft.slug,
        { intent: 'move-up', recommendationId: first.id },
        ctx(),
      );
      await moveRecommendation(
        db,
        organiser,
        draft.slug,
        { intent: 'move-down', recommendationId: last.id },
        ctx(),
      );

      expect(await numbering(db, draft.id)).toEqual(['1:first', '2:last']);
      expect(await auditEvents(db, draft.id)).toEqual([]);
    });

    test('removing a recommendation from a draft renumbers the ones after it', async () => {
      const draft = await insertConsultation(db);
      await createRecommendation(db, draft.id, { slug: 'one' });
      const two = await createRecommendation(db, draft.id, { slug: 'two' });
      await createRecommendation(db, draft.id, { slug: 'three' });
      await createRecommendation(db, draft.id, { slug: 'four' });

      await removeRecommendation(db, organiser, draft.slug, 'two', two.version, ctx());

      expect(await numbering(db, draft.id)).toEqual(['1:one', '2:three', '3:four']);
      expect((await auditEvents(db, draft.id)).map((e) => e.action)).toEqual([
        'recommendation.removed',
      ]);
    });

    test('a recommendation cannot be removed once the consultation has opened', async () => {
      const open = await insertConsultation(db, { status: 'open' });
      const only = await createRecommendation(db, open.id, { slug: 'answered-already' });

      const error = await rejection(
        removeRecommendation(db, organiser, open.slug, only.slug, only.version, ctx()),
      );

      expect(error.code).toBe('invalid');
      expect(await numbering(db, open.id)).toEqual(['1:answered-already']);
    });

    test('a recommendation’s markdown rationale is rendered without scripts or event handlers', async () => {
      const open = await insertConsultation(db, { status: 'open' });
      await addRecommendation(
        db,
        organiser,
        open.slug,
        {
          title: 'Careful rendering',
          summary: 'Markdown in, safe HTML out.',
          rationale:
            '# Why\n\nThis is **important**.\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">',
          slug: 'careful-rendering',
        },
        ctx(),
      );

      const { recommendation } = await getRecommendation(db, open.slug, 'careful-rendering', null);

      expect(recommendation.rationaleHtml).toContain('<h2>Why</h2>');
      expect(recommendation.rationaleHtml).toContain('<strong>important</strong>');
      expect(recommendation.rationaleHtml).not.toMatch(/<script|alert\(1\)|onerror|<img/i);
    });

    test('ten organisers adding at once get numbers 1 to 10, each exactly once', async () => {
      const draft = await insertConsultation(db);

      const added = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          addRecommendation(
            db,
            organiser,
            draft.slug,
            newRecommendation(`Concurrent ${i + 1}`),
            ctx(),
          ),
        ),
      );

      expect(added.map((r) => r.number).sort((x, y) => x - y)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
      const stored = await db
        .selectFrom('recommendations')
        .select('number')
        .where('consultation_id', '=', draft.id)
        .orderBy('number')
        .execute();
      expect(stored.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });
  });
}

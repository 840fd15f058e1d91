import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB, Segment } from '#db/schema';
import {
  ENDORSEMENTS_PER_ACCOUNT,
  ENDORSEMENTS_PER_IP,
  NAMED_ENDORSERS_PAGE_SIZE,
  endorse,
  getEndorsementSummary,
  listNamedEndorsers,
  withdrawEndorsement,
} from '~/.server/endorsements';
import { hitRateLimit } from '~/.server/rate-limits';
import { EndorseSchema } from '~/lib/schemas/discussion';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  createConsultation as insertConsultation,
  createOrganiser,
  createRecommendation,
  createRespondent,
  ctx,
  insertEndorsement,
  verifyProfile,
} from '#tests/support/factories';
import { everyFulfilled, rejection } from '#tests/support/outcomes';

const DAY = 24 * 60 * 60 * 1000;

/** The endorse form as the route parses it: both boxes ticked unless told otherwise. */
function choices(fields: { onBehalfOfOrganisation?: boolean; showName?: boolean } = {}) {
  return EndorseSchema.parse({
    intent: 'endorse',
    ...(fields.onBehalfOfOrganisation ? { onBehalfOfOrganisation: 'on' } : {}),
    ...((fields.showName ?? true) ? { showName: 'on' } : {}),
  });
}

for (const backend of BACKENDS) {
  describe(backend, () => {
    let t: TestDb;
    let db: Kysely<DB>;
    beforeAll(async () => {
      t = await createTestDb(backend);
      db = t.db;
    });
    afterAll(() => t?.destroy());

    async function openRecommendation() {
      const consultation = await insertConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      return {
        consultation,
        recommendation,
        slugs: [consultation.slug, recommendation.slug] as const,
      };
    }

    async function rowsOf(recommendationId: string) {
      return db
        .selectFrom('endorsements')
        .select(['user_id', 'segment', 'show_name', 'on_behalf_of_organisation'])
        .where('recommendation_id', '=', recommendationId)
        .execute();
    }

    /** The rollup, as segment → count, with the rows that exist (zero rows included). */
    async function rollupOf(recommendationId: string) {
      const rows = await db
        .selectFrom('endorsement_counts')
        .select(['segment', 'count'])
        .where('recommendation_id', '=', recommendationId)
        .execute();
      return Object.fromEntries(rows.map((r) => [r.segment, r.count]));
    }

    test('twenty endorsements at once by one person make one endorsement, counted once', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db, { segment: 'investor' });

      const settled = await Promise.allSettled(
        Array.from({ length: 20 }, () => endorse(db, me, ...slugs, choices(), ctx())),
      );

      const results = everyFulfilled(settled);
      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect(results.every((r) => r.endorsed)).toBe(true);
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
      expect(await rollupOf(recommendation.id)).toEqual({ investor: 1 });
    });

    test('ten people endorsing at once are counted ten times, split by their segments', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const segments: Segment[] = [
        ...Array<Segment>(6).fill('founder'),
        ...Array<Segment>(3).fill('investor'),
        'other',
      ];
      const people = await Promise.all(
        segments.map((segment) => createRespondent(db, { segment })),
      );

      everyFulfilled(
        await Promise.allSettled(people.map((p) => endorse(db, p, ...slugs, choices(), ctx()))),
      );

      const summary = await getEndorsementSummary(db, null, ...slugs);
      expect(summary.total).toBe(10);
      expect(summary.bySegment).toEqual({ founder: 6, investor: 3, other: 1 });
      expect(await rowsOf(recommendation.id)).toHaveLength(10);
    });

    test('withdrawing and endorsing again leaves one endorsement, counted once', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db);

      await endorse(db, me, ...slugs, choices(), ctx());
      const withdrawn = await withdrawEndorsement(db, me, ...slugs, ctx());
      expect(await rollupOf(recommendation.id)).toEqual({ founder: 0 });
      const again = await endorse(db, me, ...slugs, choices(), ctx());

      expect(withdrawn).toEqual({ endorsed: false, changed: true });
      expect(again).toEqual({ endorsed: true, changed: true });
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
      expect(await rollupOf(recommendation.id)).toEqual({ founder: 1 });
    });

    test('withdrawing twice, or without having endorsed, never takes the count below zero', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const neverEndorsed = await createRespondent(db);
      await endorse(db, me, ...slugs, choices(), ctx());

      const first = await withdrawEndorsement(db, me, ...slugs, ctx());
      const second = await withdrawEndorsement(db, me, ...slugs, ctx());
      const stranger = await withdrawEndorsement(db, neverEndorsed, ...slugs, ctx());

      expect(first.changed).toBe(true);
      expect(second).toEqual({ endorsed: false, changed: false });
      expect(stranger).toEqual({ endorsed: false, changed: false });
      expect(await rowsOf(recommendation.id)).toEqual([]);
      expect(await rollupOf(recommendation.id)).toEqual({ founder: 0 });
      expect((await getEndorsementSummary(db, me, ...slugs)).total).toBe(0);
    });

    test('twenty withdrawals at once take one endorsement off the count, once', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const other = await createRespondent(db);
      await endorse(db, me, ...slugs, choices(), ctx());
      await endorse(db, other, ...slugs, choices(), ctx());

      const results = everyFulfilled(
        await Promise.allSettled(
          Array.from({ length: 20 }, () => withdrawEndorsement(db, me, ...slugs, ctx())),
        ),
      );

      expect(results.filter((r) => r.changed)).toHaveLength(1);
      expect(await rollupOf(recommendation.id)).toEqual({ founder: 1 });
    });

    test('endorsing again changes nothing: the first choices stay', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db, { organisation: 'Acme Robotics' });

      await endorse(db, me, ...slugs, choices({ showName: false }), ctx());
      const again = await endorse(
        db,
        me,
        ...slugs,
        choices({ showName: true, onBehalfOfOrganisation: true }),
        ctx(),
      );

      expect(again).toEqual({ endorsed: true, changed: false });
      expect(await rowsOf(recommendation.id)).toEqual([
        { user_id: me.id, segment: 'founder', show_name: false, on_behalf_of_organisation: false },
      ]);
      expect(await rollupOf(recommendation.id)).toEqual({ founder: 1 });
    });

    test('an endorsement counts under the segment its endorser had when endorsing', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db, { segment: 'founder' });
      await endorse(db, me, ...slugs, choices(), ctx());

      await db
        .updateTable('respondent_profiles')
        .set({ segment: 'investor' })
        .where('user_id', '=', me.id)
        .execute();
      const before = await getEndorsementSummary(db, null, ...slugs);
      await withdrawEndorsement(db, me, ...slugs, ctx());

      expect(before.bySegment).toEqual({ founder: 1, investor: 0, other: 0 });
      expect(await rollupOf(recommendation.id)).toEqual({ founder: 0 });
    });

    test('endorsing one recommendation leaves the others’ counts alone', async () => {
      const { consultation, recommendation, slugs } = await openRecommendation();
      const other = await createRecommendation(db, consultation.id);
      const me = await createRespondent(db);

      await endorse(db, me, ...slugs, choices(), ctx());

      expect(await rollupOf(recommendation.id)).toEqual({ founder: 1 });
      expect((await getEndorsementSummary(db, me, consultation.slug, other.slug)).total).toBe(0);
    });

    test('a draft consultation cannot be endorsed: it does not exist', async () => {
      const draft = await insertConsultation(db, { status: 'draft' });
      const recommendation = await createRecommendation(db, draft.id);
      const me = await createRespondent(db);

      const error = await rejection(
        endorse(db, me, draft.slug, recommendation.slug, choices(), ctx()),
      );

      expect(error.code).toBe('not_found');
      expect(await rowsOf(recommendation.id)).toEqual([]);
    });

    test('a consultation past its closing date refuses endorsements and withdrawals', async () => {
      const closed = await insertConsultation(db, {
        status: 'open',
        opens_at: new Date(Date.now() - 10 * DAY),
        closes_at: new Date(Date.now() - 1000),
      });
      const recommendation = await createRecommendation(db, closed.id);
      const me = await createRespondent(db);
      await insertEndorsement(db, recommendation.id, { userId: me.id });

      const endorsing = await rejection(
        endorse(db, me, closed.slug, recommendation.slug, choices(), ctx()),
      );
      const withdrawing = await rejection(
        withdrawEndorsement(db, me, closed.slug, recommendation.slug, ctx()),
      );

      expect(endorsing.code).toBe('closed');
      expect(endorsing.message).toMatch(/closed on/);
      expect(withdrawing.code).toBe('closed');
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
    });

    test('a consultation that has not opened yet refuses endorsements', async () => {
      const upcoming = await insertConsultation(db, {
        status: 'open',
        opens_at: new Date(Date.now() + DAY),
        closes_at: new Date(Date.now() + 10 * DAY),
      });
      const recommendation = await createRecommendation(db, upcoming.id);
      const me = await createRespondent(db);

      const error = await rejection(
        endorse(db, me, upcoming.slug, recommendation.slug, choices(), ctx()),
      );

      expect(error.code).toBe('closed');
      expect(error.message).toMatch(/opens on/);
    });

    test('an unknown recommendation or consultation is not found', async () => {
      const { consultation } = await openRecommendation();
      const me = await createRespondent(db);

      const unknownRecommendation = await rejection(
        endorse(db, me, consultation.slug, 'no-such-recommendation', choices(), ctx()),
      );
      const unknownConsultation = await rejection(
        endorse(db, me, 'no-such-consultation', 'anything', choices(), ctx()),
      );

      expect(unknownRecommendation.code).toBe('not_found');
      expect(unknownConsultation.code).toBe('not_found');
    });

    test('someone signed out cannot endorse or withdraw', async () => {
      const { recommendation, slugs } = await openRecommendation();

      expect((await rejection(endorse(db, null, ...slugs, choices(), ctx()))).code).toBe(
        'unauthenticated',
      );
      expect((await rejection(withdrawEndorsement(db, null, ...slugs, ctx()))).code).toBe(
        'unauthenticated',
      );
      expect(await rowsOf(recommendation.id)).toEqual([]);
    });

    test('endorsing on behalf of an organisation needs one in the profile', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db, { organisation: null });

      const error = await rejection(
        endorse(db, me, ...slugs, choices({ onBehalfOfOrganisation: true }), ctx()),
      );

      expect(error.code).toBe('invalid');
      expect(error.fieldErrors.onBehalfOfOrganisation).toHaveLength(1);
      expect(await rowsOf(recommendation.id)).toEqual([]);
    });

    test(`one account is refused after ${ENDORSEMENTS_PER_ACCOUNT.limit} endorse or withdraw requests in the window`, async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const someoneElse = await createRespondent(db);

      for (let i = 0; i < ENDORSEMENTS_PER_ACCOUNT.limit; i++) {
        if (i % 2 === 0) await endorse(db, me, ...slugs, choices(), ctx());
        else await withdrawEndorsement(db, me, ...slugs, ctx());
      }
      const refused = await rejection(endorse(db, me, ...slugs, choices(), ctx()));

      expect(refused.code).toBe('rate_limited');
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(ENDORSEMENTS_PER_ACCOUNT.windowSeconds);
      await expect(endorse(db, someoneElse, ...slugs, choices(), ctx())).resolves.toMatchObject({
        changed: true,
      });
    });

    test(`one address is refused after ${ENDORSEMENTS_PER_IP.limit} requests, whichever accounts send them`, async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const office = ctx();
      for (let i = 0; i < ENDORSEMENTS_PER_IP.limit; i++) {
        await hitRateLimit(db, ENDORSEMENTS_PER_IP, office.clientIp);
      }

      const refused = await rejection(endorse(db, me, ...slugs, choices(), { ...office }));

      expect(refused.code).toBe('rate_limited');
      await expect(endorse(db, me, ...slugs, choices(), ctx())).resolves.toMatchObject({
        changed: true,
      });
    });

    test('the summary tells the viewer whether and how they endorsed', async () => {
      const { slugs } = await openRecommendation();
      const me = await createRespondent(db, { organisation: 'Acme Robotics' });
      const other = await createRespondent(db);
      await endorse(
        db,
        me,
        ...slugs,
        choices({ onBehalfOfOrganisation: true, showName: false }),
        ctx(),
      );

      const mine = await getEndorsementSummary(db, me, ...slugs);
      const theirs = await getEndorsementSummary(db, other, ...slugs);
      const anonymous = await getEndorsementSummary(db, null, ...slugs);

      expect(mine.viewerEndorsement).toMatchObject({
        onBehalfOfOrganisation: true,
        showName: false,
      });
      expect(mine.viewerEndorsement?.endorsedAt).toBeInstanceOf(Date);
      expect(theirs.viewerEndorsement).toBeNull();
      expect(anonymous.viewerEndorsement).toBeNull();
      expect(anonymous.total).toBe(1);
      expect(anonymous.canEndorse).toBe(true);
    });

    test('the summary counts from the rollup, not by counting endorsement rows', async () => {
      const { recommendation, slugs } = await openRecommendation();
      // A row written past the service is not counted: pages read the rollup only.
      await insertEndorsement(db, recommendation.id);

      const summary = await getEndorsementSummary(db, null, ...slugs);

      expect(summary.total).toBe(0);
      expect(summary.named.endorsers).toHaveLength(1);
    });

    test('a draft’s summary exists only for its organisers', async () => {
      const draft = await insertConsultation(db, { status: 'draft' });
      const recommendation = await createRecommendation(db, draft.id);
      const organiser = await createOrganiser(db);
      const respondent = await createRespondent(db);

      const seen = await getEndorsementSummary(db, organiser, draft.slug, recommendation.slug);
      const refused = await rejection(
        getEndorsementSummary(db, respondent, draft.slug, recommendation.slug),
      );

      expect(seen.total).toBe(0);
      expect(seen.canEndorse).toBe(false);
      expect(refused.code).toBe('not_found');
    });

    test('the named list leaves out people who chose not to be named', async () => {
      const { slugs } = await openRecommendation();
      const named = await createRespondent(db, { displayName: 'Named Person' });
      const unnamed = await createRespondent(db, { displayName: 'Quiet Person' });
      await endorse(db, named, ...slugs, choices({ showName: true }), ctx());
      await endorse(db, unnamed, ...slugs, choices({ showName: false }), ctx());

      const page = await listNamedEndorsers(db, ...slugs);
      const summary = await getEndorsementSummary(db, null, ...slugs);

      expect(page.endorsers.map((e) => e.displayName)).toEqual(['Named Person']);
      expect(page.nextCursor).toBeNull();
      expect(summary.total).toBe(2);
      expect(summary.named.endorsers.map((e) => e.displayName)).toEqual(['Named Person']);
    });

    test('“on behalf of” an organisation is shown only while the endorser’s profile is verified', async () => {
      const { slugs } = await openRecommendation();
      const verified = await createRespondent(db, {
        displayName: 'Verified Founder',
        organisation: 'Verified Ltd',
      });
      const unverified = await createRespondent(db, {
        displayName: 'Unverified Founder',
        organisation: 'Claims Ltd',
      });
      const personal = await createRespondent(db, {
        displayName: 'Personal Founder',
        organisation: 'Personal Ltd',
      });
      await verifyProfile(db, verified.id);
      await verifyProfile(db, personal.id);
      await endorse(db, verified, ...slugs, choices({ onBehalfOfOrganisation: true }), ctx());
      await endorse(db, unverified, ...slugs, choices({ onBehalfOfOrganisation: true }), ctx());
      await endorse(db, personal, ...slugs, choices({ onBehalfOfOrganisation: false }), ctx());

      const before = await listNamedEndorsers(db, ...slugs);
      await verifyProfile(db, verified.id, false);
      const after = await listNamedEndorsers(db, ...slugs);

      const onBehalf = (page: typeof before) =>
        Object.fromEntries(page.endorsers.map((e) => [e.displayName, e.onBehalfOf]));
      expect(onBehalf(before)).toEqual({
        'Verified Founder': 'Verified Ltd',
        'Unverified Founder': null,
        'Personal Founder': null,
      });
      expect(onBehalf(after)['Verified Founder']).toBeNull();
    });

    test('paging through named endorsers visits each exactly once, newest first, even with equal times', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const base = Date.now() - DAY;
      const inserted = [];
      // 60 endorsers in groups of three sharing a time, so the id must break the ties.
      for (let i = 0; i < 60; i++) {
        inserted.push(
          await insertEndorsement(db, recommendation.id, {
            createdAt: new Date(base + Math.floor(i / 3) * 1000),
          }),
        );
      }
      await insertEndorsement(db, recommendation.id, { showName: false });

      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await listNamedEndorsers(db, ...slugs, cursor);
        sizes.push(page.endorsers.length);
        seen.push(...page.endorsers.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);

      expect(sizes).toEqual([NAMED_ENDORSERS_PAGE_SIZE, NAMED_ENDORSERS_PAGE_SIZE, 10]);
      expect(new Set(seen).size).toBe(60);
      const expected = [...inserted]
        .sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || (a.id < b.id ? 1 : -1))
        .map((e) => e.id);
      expect(seen).toEqual(expected);
    });

    test('a page link someone has altered is refused as invalid', async () => {
      const { slugs } = await openRecommendation();

      for (const cursor of [
        'not-a-cursor',
        Buffer.from('|2026-02-30T10:00:00.000000Z|00000000-0000-0000-0000-000000000000').toString(
          'base64url',
        ),
        Buffer.from("|2026-01-01T10:00:00.000000Z|1' or '1'='1").toString('base64url'),
      ]) {
        const error = await rejection(listNamedEndorsers(db, ...slugs, cursor));
        expect(error.code, cursor).toBe('invalid');
      }
    });
    // --- Retrying the same form ---------------------------------------------------------------

    /** The endorse form of one showing of the page, as the route parses it. */
    function keyedChoices(idempotencyKey: string) {
      return EndorseSchema.parse({ intent: 'endorse', showName: 'on', idempotencyKey });
    }

    test('the same endorse form sent twice endorses once, and both answers are the first one', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db, { segment: 'founder' });
      const form = keyedChoices(randomUUID());

      const first = await endorse(db, me, ...slugs, form, ctx());
      const retry = await endorse(db, me, ...slugs, form, ctx());

      expect(first).toEqual({ endorsed: true, changed: true });
      expect(retry).toEqual(first);
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
      expect(await rollupOf(recommendation.id)).toEqual({ founder: 1 });
    });

    test('twenty copies of one endorse form at once endorse once, and each gets the first answer', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db, { segment: 'investor' });
      const form = keyedChoices(randomUUID());

      const results = everyFulfilled(
        await Promise.allSettled(
          Array.from({ length: 20 }, () => endorse(db, me, ...slugs, form, ctx())),
        ),
      );

      expect(results.every((r) => r.endorsed && r.changed)).toBe(true);
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
      expect(await rollupOf(recommendation.id)).toEqual({ investor: 1 });
    });

    test('an endorse form sent again after a withdrawal does not endorse again; a new showing of the form does', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db, { segment: 'founder' });
      const form = keyedChoices(randomUUID());
      await endorse(db, me, ...slugs, form, ctx());
      await withdrawEndorsement(db, me, ...slugs, ctx(), { idempotencyKey: randomUUID() });

      const retry = await endorse(db, me, ...slugs, form, ctx());

      expect(retry).toEqual({ endorsed: true, changed: true });
      expect(await rowsOf(recommendation.id)).toHaveLength(0);
      expect(await rollupOf(recommendation.id)).toEqual({ founder: 0 });

      const fresh = await endorse(db, me, ...slugs, keyedChoices(randomUUID()), ctx());
      expect(fresh).toEqual({ endorsed: true, changed: true });
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
      expect(await rollupOf(recommendation.id)).toEqual({ founder: 1 });
    });

    test('the same withdraw form sent twice, or ten times at once, withdraws once and never undoes a later endorsement', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db, { segment: 'other' });
      await endorse(db, me, ...slugs, keyedChoices(randomUUID()), ctx());
      const withdrawForm = { idempotencyKey: randomUUID() };

      const results = everyFulfilled(
        await Promise.allSettled(
          Array.from({ length: 10 }, () =>
            withdrawEndorsement(db, me, ...slugs, ctx(), withdrawForm),
          ),
        ),
      );
      expect(results.every((r) => !r.endorsed && r.changed)).toBe(true);
      expect(await rollupOf(recommendation.id)).toEqual({ other: 0 });

      await endorse(db, me, ...slugs, keyedChoices(randomUUID()), ctx());
      const retry = await withdrawEndorsement(db, me, ...slugs, ctx(), withdrawForm);

      expect(retry).toEqual({ endorsed: false, changed: true });
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
      expect(await rollupOf(recommendation.id)).toEqual({ other: 1 });
    });

    test('two showings of the endorse form are two requests: the second finds the endorsement made', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db);

      const first = await endorse(db, me, ...slugs, keyedChoices(randomUUID()), ctx());
      const second = await endorse(db, me, ...slugs, keyedChoices(randomUUID()), ctx());

      expect(first).toEqual({ endorsed: true, changed: true });
      expect(second).toEqual({ endorsed: true, changed: false });
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
    });

    test('a key is one person’s: someone else sending the same key endorses for themselves', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const [ada, bo] = [await createRespondent(db), await createRespondent(db)];
      const form = keyedChoices(randomUUID());

      await endorse(db, ada, ...slugs, form, ctx());
      const theirs = await endorse(db, bo, ...slugs, form, ctx());

      expect(theirs).toEqual({ endorsed: true, changed: true });
      expect((await rowsOf(recommendation.id)).map((r) => r.user_id).sort()).toEqual(
        [ada.id, bo.id].sort(),
      );
    });

    test('a retry after the close reports the endorsement made before it; a new request is refused', async () => {
      const { consultation, recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db);
      const form = keyedChoices(randomUUID());
      await endorse(db, me, ...slugs, form, ctx());
      await db
        .updateTable('consultations')
        .set({ closes_at: new Date(Date.now() - 60_000) })
        .where('id', '=', consultation.id)
        .execute();

      expect(await endorse(db, me, ...slugs, form, ctx())).toEqual({
        endorsed: true,
        changed: true,
      });
      const refused = await rejection(
        withdrawEndorsement(db, me, ...slugs, ctx(), { idempotencyKey: randomUUID() }),
      );
      expect(refused.code).toBe('closed');
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
    });

    test('a refused endorsement keeps no key, so the same form succeeds once the profile is fixed', async () => {
      const { recommendation, slugs } = await openRecommendation();
      const me = await createRespondent(db, { organisation: null });
      const form = EndorseSchema.parse({
        intent: 'endorse',
        onBehalfOfOrganisation: 'on',
        idempotencyKey: randomUUID(),
      });

      expect((await rejection(endorse(db, me, ...slugs, form, ctx()))).code).toBe('invalid');
      await db
        .updateTable('respondent_profiles')
        .set({ organisation: 'Acme Ltd' })
        .where('user_id', '=', me.id)
        .execute();

      expect(await endorse(db, me, ...slugs, form, ctx())).toEqual({
        endorsed: true,
        changed: true,
      });
      expect(await rowsOf(recommendation.id)).toHaveLength(1);
    });
  });
}

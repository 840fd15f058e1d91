import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { parkForm, PARKING_LIMITS, sweepParkedForms, takeParkedForm } from '~/.server/parked-forms';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';

// Signed-out posts are parked for an hour so a person can sign in and find their text again;
// the limits keep anyone from filling the database with them.
const address = () =>
  `203.0.113.${Math.floor(Math.random() * 250)}-${randomBytes(3).toString('hex')}`;
const page = '/consultations/x/respond/recommendations/y';

function requestWith(cookie: string, path = page) {
  return new Request(`http://localhost${path}`, {
    headers: { Cookie: cookie.split(';')[0]! },
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

    const park = (values: Record<string, string>, clientIp = address(), limits = PARKING_LIMITS) =>
      parkForm(db, { path: page, values, clientIp, secure: false }, limits);

    test('a parked form comes back once, on its own page only', async () => {
      const cookie = await park({ reasons: 'Typed before my session ended.' });
      expect(cookie).toMatch(/^oc_parked=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Lax/);
      expect(await takeParkedForm(db, requestWith(cookie!, '/elsewhere'), false)).toBeNull();
      const taken = await takeParkedForm(db, requestWith(cookie!), false);
      expect(taken?.values).toEqual({ reasons: 'Typed before my session ended.' });
      expect(await takeParkedForm(db, requestWith(cookie!), false)).toBeNull();
    });

    test('a form larger than the limit is not kept', async () => {
      const big = 'x'.repeat(PARKING_LIMITS.formBytes);
      expect(await park({ reasons: big })).toBeNull();
      expect(await park({ reasons: big.slice(0, 1000) })).not.toBeNull();
    });

    test('one address parks at most its hourly allowance; another address is not affected', async () => {
      const limits = {
        ...PARKING_LIMITS,
        perAddress: {
          name: `parked-test-${randomBytes(4).toString('hex')}`,
          limit: 3,
          windowSeconds: 3600,
        },
      };
      const mine = address();
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await park({ n: String(i) }, mine, limits));
      expect(results.map((r) => r !== null)).toEqual([true, true, true, false, false]);
      expect(await park({ n: 'other' }, address(), limits)).not.toBeNull();
    });

    test('nothing more is kept once the store holds its total', async () => {
      await db.deleteFrom('parked_forms').execute();
      const limits = { ...PARKING_LIMITS, totalBytes: 10_000 };
      const chunk = 'y'.repeat(3_000);
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await park({ reasons: chunk }, address(), limits));
      expect(results.map((r) => r !== null)).toEqual([true, true, true, false, false]);
      const { rows } = await sql<{ bytes: string }>`
        select sum(octet_length(form_values::text)) as bytes from parked_forms`.execute(db);
      expect(Number(rows[0]!.bytes)).toBeLessThanOrEqual(10_000);
    });

    test('the sweep removes expired forms and keeps live ones', async () => {
      await db.deleteFrom('parked_forms').execute();
      const live = await park({ reasons: 'still wanted' });
      await db
        .insertInto('parked_forms')
        .values({
          token: randomBytes(24).toString('base64url'),
          path: page,
          form_values: JSON.stringify({ reasons: 'abandoned' }),
          expires_at: sql`now() - interval '1 minute'`,
        })
        .execute();
      expect(await sweepParkedForms(db)).toBe(1);
      expect(await db.selectFrom('parked_forms').select('token').execute()).toHaveLength(1);
      expect((await takeParkedForm(db, requestWith(live!), false))?.values).toEqual({
        reasons: 'still wanted',
      });
    });
  });
}

import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import {
  hitRateLimit,
  peekRateLimit,
  resetRateLimit,
  sweepRateLimits,
  type RateLimit,
} from '~/.server/rate-limits';
import { sql } from 'kysely';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';

let ruleSequence = 0;
function rule(limit: number, windowSeconds = 60): RateLimit {
  ruleSequence += 1;
  return { name: `test-rule-${ruleSequence}`, limit, windowSeconds };
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

    test('hits count up and the limit is reported once reached, with a wait within the window', async () => {
      const threeAMinute = rule(3, 60);

      const first = await hitRateLimit(db, threeAMinute, 'alice');
      const second = await hitRateLimit(db, threeAMinute, 'alice');
      const third = await hitRateLimit(db, threeAMinute, 'alice');

      expect(first).toEqual({ hits: 1, limited: false, retryAfterSeconds: 0 });
      expect(second).toEqual({ hits: 2, limited: false, retryAfterSeconds: 0 });
      expect(third.hits).toBe(3);
      expect(third.limited).toBe(true);
      expect(third.retryAfterSeconds).toBeGreaterThan(0);
      expect(third.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect((await peekRateLimit(db, threeAMinute, 'alice')).limited).toBe(true);
    });

    test('counters are kept per subject and per rule', async () => {
      const a = rule(2);
      const b = rule(2);
      await hitRateLimit(db, a, 'bob');
      await hitRateLimit(db, a, 'bob');

      expect((await peekRateLimit(db, a, 'bob')).limited).toBe(true);
      expect(await peekRateLimit(db, a, 'carol')).toEqual({
        hits: 0,
        limited: false,
        retryAfterSeconds: 0,
      });
      expect(await peekRateLimit(db, b, 'bob')).toEqual({
        hits: 0,
        limited: false,
        retryAfterSeconds: 0,
      });
    });

    test('peeking does not count a hit', async () => {
      const twice = rule(2);
      await hitRateLimit(db, twice, 'dave');
      await peekRateLimit(db, twice, 'dave');
      await peekRateLimit(db, twice, 'dave');

      expect(await peekRateLimit(db, twice, 'dave')).toMatchObject({ hits: 1, limited: false });
    });

    test('an expired window no longer limits, and the next hit starts a new window at 1', async () => {
      const fivePerMinute = rule(5, 60);
      await db
        .insertInto('rate_limits')
        .values({
          key: `${fivePerMinute.name}:erin`,
          window_started_at: new Date(Date.now() - 2 * 60 * 1000),
          hits: 99,
        })
        .execute();

      expect(await peekRateLimit(db, fivePerMinute, 'erin')).toEqual({
        hits: 0,
        limited: false,
        retryAfterSeconds: 0,
      });
      const next = await hitRateLimit(db, fivePerMinute, 'erin');

      expect(next).toEqual({ hits: 1, limited: false, retryAfterSeconds: 0 });
      const row = await db
        .selectFrom('rate_limits')
        .select('window_started_at')
        .where('key', '=', `${fivePerMinute.name}:erin`)
        .executeTakeFirstOrThrow();
      expect(Date.now() - row.window_started_at.getTime()).toBeLessThan(30_000);
    });

    test('reset clears a counter', async () => {
      const once = rule(1);
      await hitRateLimit(db, once, 'frank');
      expect((await peekRateLimit(db, once, 'frank')).limited).toBe(true);

      await resetRateLimit(db, once, 'frank');

      expect((await peekRateLimit(db, once, 'frank')).limited).toBe(false);
    });

    test('the sweep deletes counters from windows long gone and keeps current ones', async () => {
      const hourly = rule(5, 3600);
      await hitRateLimit(db, hourly, 'gone');
      await hitRateLimit(db, hourly, 'current');
      await db
        .updateTable('rate_limits')
        .set({ window_started_at: sql`now() - interval '25 hours'` })
        .where('key', '=', `${hourly.name}:gone`)
        .execute();

      expect(await sweepRateLimits(db)).toBeGreaterThanOrEqual(1);

      const keys = await db
        .selectFrom('rate_limits')
        .select('key')
        .where('key', 'like', `${hourly.name}:%`)
        .execute();
      expect(keys.map((k) => k.key)).toEqual([`${hourly.name}:current`]);
    });

    test('20 hits at once are each counted exactly once (the upsert is atomic)', async () => {
      const burst = rule(100);

      const results = await Promise.all(
        Array.from({ length: 20 }, () => hitRateLimit(db, burst, 'gina')),
      );

      expect(results.map((r) => r.hits).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      expect((await peekRateLimit(db, burst, 'gina')).hits).toBe(20);
    });
  });
}

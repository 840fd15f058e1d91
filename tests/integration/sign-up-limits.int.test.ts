import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { FAILED_SIGN_UPS_PER_IP, SIGN_UPS_PER_IP, signUp } from '~/.server/auth';
import { DomainError } from '~/.server/errors';
import { peekBucket, takeToken, type TokenBucket } from '~/.server/rate-limits';
import { SignUpSchema } from '~/lib/schemas/accounts';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import { ctx } from '#tests/support/factories';

function signUpInput(email = `person-${randomUUID()}@example.test`) {
  return SignUpSchema.parse({
    email,
    password: 'a long enough password',
    displayName: 'Room Member',
    organisation: '',
    segment: 'founder',
  });
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** A network's address, unique per test so tests do not share buckets. */
function network() {
  return ctx().clientIp;
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

    test('a room of 30 on one network all sign up at once; the 31st is told to wait in minutes', async () => {
      const clientIp = network();
      for (let i = 0; i < SIGN_UPS_PER_IP.burst; i++) {
        await signUp(db, signUpInput(), ctx({ clientIp }));
      }
      const refused = await rejection(signUp(db, signUpInput(), ctx({ clientIp })));
      expect(refused.code).toBe('rate_limited');
      expect(refused.message).toBe(
        'Too many accounts have been made from this network in a short time. Try again in 1 minute.',
      );
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      // Another network is not affected.
      await signUp(db, signUpInput(), ctx());
    });

    test('the sign-up bucket refills: a minute later one more person can sign up', async () => {
      const clientIp = network();
      for (let i = 0; i < SIGN_UPS_PER_IP.burst; i++) {
        await takeToken(db, SIGN_UPS_PER_IP, clientIp);
      }
      expect((await peekBucket(db, SIGN_UPS_PER_IP, clientIp)).allowed).toBe(false);
      await db
        .updateTable('rate_limit_buckets')
        .set({ updated_at: new Date(Date.now() - 61_000) })
        .where('key', '=', `${SIGN_UPS_PER_IP.name}:${clientIp}`)
        .execute();
      await signUp(db, signUpInput(), ctx({ clientIp }));
      expect((await peekBucket(db, SIGN_UPS_PER_IP, clientIp)).allowed).toBe(false);
    });

    test('failed sign-ups count apart from successes and do not use up the room’s sign-ups', async () => {
      const clientIp = network();
      const taken = signUpInput();
      await signUp(db, taken, ctx({ clientIp }));
      for (let i = 0; i < FAILED_SIGN_UPS_PER_IP.burst; i++) {
        const conflict = await rejection(signUp(db, signUpInput(taken.email), ctx({ clientIp })));
        expect(conflict.code).toBe('conflict');
      }
      // Only the one success came out of the sign-up bucket: the refusals gave theirs back.
      const row = await db
        .selectFrom('rate_limit_buckets')
        .select('tokens')
        .where('key', '=', `${SIGN_UPS_PER_IP.name}:${clientIp}`)
        .executeTakeFirstOrThrow();
      expect(Math.floor(Number(row.tokens))).toBe(SIGN_UPS_PER_IP.burst - 1);
      // 20 failures: the next attempt from that network waits, in minutes.
      const refused = await rejection(signUp(db, signUpInput(), ctx({ clientIp })));
      expect(refused.code).toBe('rate_limited');
      expect(refused.message).toBe('Too many attempts. Try again in 3 minutes.');
    });

    test('forty takes at once from a bucket of thirty let exactly thirty through', async () => {
      const bucket: TokenBucket = { name: 'test-burst', burst: 30, refillEverySeconds: 3600 };
      const subject = network();
      const results = await Promise.all(
        Array.from({ length: 40 }, () => takeToken(db, bucket, subject)),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(30);
      const refused = results.filter((r) => !r.allowed);
      expect(refused).toHaveLength(10);
      expect(refused.every((r) => r.retryAfterSeconds > 0)).toBe(true);
    });

    test('a refused take does not push the wait back', async () => {
      const bucket: TokenBucket = { name: 'test-refusal', burst: 1, refillEverySeconds: 600 };
      const subject = network();
      expect((await takeToken(db, bucket, subject)).allowed).toBe(true);
      const first = await takeToken(db, bucket, subject);
      for (let i = 0; i < 5; i++) await takeToken(db, bucket, subject);
      const later = await takeToken(db, bucket, subject);
      expect(first.allowed).toBe(false);
      expect(later.retryAfterSeconds).toBeLessThanOrEqual(first.retryAfterSeconds);
    });
  });
}

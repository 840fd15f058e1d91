import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import { SIGN_UPS_PER_IP, signUp } from '~/.server/auth';
import { peekBucket, takeToken, type TokenBucket } from '~/.server/rate-limits';
import { SignUpSchema } from '~/lib/schemas/accounts';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import { ctx } from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

function signUpInput(email = `person-${randomUUID()}@example.test`) {
  return SignUpSchema.parse({
    email,
    password: 'a long enough password',
    displayName: 'Room Member',
    organisation: '',
    segment: 'founder',
  });
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

    test('a sign-up for a registered address takes from the same bucket as a new one, so the limit cannot tell them apart', async () => {
      const clientIp = network();
      const taken = signUpInput();
      await signUp(db, taken, ctx({ clientIp }));
      for (let i = 1; i < SIGN_UPS_PER_IP.burst; i++) {
        await expect(signUp(db, signUpInput(taken.email), ctx({ clientIp }))).resolves.toEqual({
          email: taken.email,
        });
      }
      const refused = await rejection(signUp(db, signUpInput(), ctx({ clientIp })));
      expect(refused.code).toBe('rate_limited');
      const again = await rejection(signUp(db, signUpInput(taken.email), ctx({ clientIp })));
      expect(again.message).toBe(refused.message);
    });

    test('a refused sign-up (a common password) costs no token and keeps nothing', async () => {
      const clientIp = network();
      const weak = { ...signUpInput(), password: 'password123' };
      const error = await rejection(signUp(db, weak, ctx({ clientIp })));
      expect(error.code).toBe('invalid');
      expect(error.fieldErrors.password?.[0]).toMatch(/list of common passwords/);
      expect((await peekBucket(db, SIGN_UPS_PER_IP, clientIp)).allowed).toBe(true);
      const bucket = await db
        .selectFrom('rate_limit_buckets')
        .select('tokens')
        .where('key', '=', `${SIGN_UPS_PER_IP.name}:${clientIp}`)
        .executeTakeFirst();
      expect(bucket).toBeUndefined();
      const user = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', weak.email)
        .executeTakeFirst();
      expect(user).toBeUndefined();
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

import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import {
  BAD_CREDENTIALS,
  getViewer,
  resolveSession,
  signIn,
  signOut,
  signUp,
  SIGN_IN_FAILURES_PER_ACCOUNT,
  SIGN_IN_FAILURES_PER_IP,
} from '~/.server/auth';
import { DomainError } from '~/.server/errors';
import { SignInSchema, SignUpSchema } from '~/lib/schemas/accounts';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  cookiePair,
  createUser,
  ctx,
  grantRole,
  requestWithCookie,
  TEST_PASSWORD,
} from '#tests/support/factories';

let emailSequence = 0;
function signUpInput(overrides: Record<string, unknown> = {}) {
  emailSequence += 1;
  return SignUpSchema.parse({
    email: `new-person-${emailSequence}@example.test`,
    password: 'a long enough password',
    displayName: 'Ada Lovelace',
    organisation: 'Analytical Engines Ltd',
    segment: 'founder',
    ...overrides,
  });
}

function signInInput(email: string, password: string) {
  return SignInSchema.parse({ email, password });
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

function sessionSecret(setCookie: string) {
  return cookiePair(setCookie).split('=')[1]!;
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

    test('sign up creates the account, its respondent profile and an HttpOnly, SameSite=Lax session cookie', async () => {
      const input = signUpInput({ displayName: 'Grace Hopper', segment: 'investor' });
      const { userId, cookie } = await signUp(db, input, ctx());

      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      expect(user.email).toBe(input.email);
      expect(user.password_hash).not.toContain(input.password);
      const profile = await db
        .selectFrom('respondent_profiles')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      expect(profile).toMatchObject({
        display_name: 'Grace Hopper',
        segment: 'investor',
        segment_other: null,
      });

      expect(cookie).toMatch(/^oc_session=[^;]+;/);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
      // Tests run with NODE_ENV=test, where cookies must also work over plain http.
      expect(cookie).not.toMatch(/;\s*Secure/i);
    });

    test('the sessions table stores the SHA-256 of the cookie secret, never the secret itself', async () => {
      const { userId, cookie } = await signUp(db, signUpInput(), ctx());
      const secret = sessionSecret(cookie);
      const stored = await db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', userId)
        .execute();

      expect(stored).toHaveLength(1);
      expect(stored[0]!.id).not.toBe(secret);
      expect(stored[0]!.id).toBe(createHash('sha256').update(secret).digest('hex'));
    });

    test('getViewer recognises the session cookie and returns the person with their roles', async () => {
      const { userId, cookie } = await signUp(
        db,
        signUpInput({ displayName: 'Katherine Johnson' }),
        ctx(),
      );
      await grantRole(db, userId, 'moderator');

      const viewer = await getViewer(db, requestWithCookie(cookiePair(cookie)));

      expect(viewer).toMatchObject({
        id: userId,
        displayName: 'Katherine Johnson',
        segment: 'founder',
        roles: [{ role: 'moderator', consultationId: null }],
      });
    });

    test('sign up with an email already registered in another case is refused on the email field', async () => {
      const first = signUpInput({ email: 'Mary.Jackson@Example.test' });
      await signUp(db, first, ctx());

      const error = await rejection(
        signUp(db, signUpInput({ email: 'MARY.JACKSON@example.TEST' }), ctx()),
      );

      expect(error.code).toBe('conflict');
      expect(error.fieldErrors.email?.[0]).toMatch(/already exists/);
      const users = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'mary.jackson@example.test')
        .execute();
      expect(users).toHaveLength(1);
    });

    test('a wrong password and an unknown email give the same message, so accounts cannot be discovered', async () => {
      const user = await createUser(db);

      const wrongPassword = await rejection(
        signIn(db, signInInput(user.email, 'not the password'), ctx()),
      );
      const unknownEmail = await rejection(
        signIn(db, signInInput('nobody-here@example.test', TEST_PASSWORD), ctx()),
      );

      expect(wrongPassword.code).toBe('invalid');
      expect(unknownEmail.code).toBe('invalid');
      expect(wrongPassword.message).toBe(BAD_CREDENTIALS);
      expect(unknownEmail.message).toBe(BAD_CREDENTIALS);
    });

    test('sign in with the right password, in any letter case of the email, starts a session', async () => {
      const user = await createUser(db);

      const { userId, cookie } = await signIn(
        db,
        signInInput(user.email.toUpperCase(), TEST_PASSWORD),
        ctx(),
      );

      expect(userId).toBe(user.id);
      expect((await getViewer(db, requestWithCookie(cookiePair(cookie))))?.id).toBe(user.id);
    });

    test('after 5 failures for one account, even the right password is refused for a while; other accounts are unaffected', async () => {
      expect(SIGN_IN_FAILURES_PER_ACCOUNT.limit).toBe(5);
      const victim = await createUser(db);
      const bystander = await createUser(db);

      for (let attempt = 1; attempt <= 5; attempt++) {
        // Each attempt from a different address: the account limit must hold on its own.
        await rejection(signIn(db, signInInput(victim.email, `guess number ${attempt}`), ctx()));
      }
      const locked = await rejection(signIn(db, signInInput(victim.email, TEST_PASSWORD), ctx()));

      expect(locked.code).toBe('rate_limited');
      expect(locked.retryAfterSeconds).toBeGreaterThan(0);
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(
        SIGN_IN_FAILURES_PER_ACCOUNT.windowSeconds,
      );
      await expect(
        signIn(db, signInInput(bystander.email, TEST_PASSWORD), ctx()),
      ).resolves.toMatchObject({
        userId: bystander.id,
      });
    });

    test('all five failures say the credentials are wrong; only the next attempt is refused', async () => {
      const user = await createUser(db);
      for (let attempt = 1; attempt <= 5; attempt++) {
        const error = await rejection(signIn(db, signInInput(user.email, 'wrong'), ctx()));
        expect(error.code).toBe('invalid');
      }
    });

    test('20 failures from one address across different emails block that address, not others', async () => {
      expect(SIGN_IN_FAILURES_PER_IP.limit).toBe(20);
      const office = ctx();
      const user = await createUser(db);

      for (let attempt = 1; attempt <= 20; attempt++) {
        await rejection(
          signIn(db, signInInput(`someone-${attempt}-${office.clientIp}@example.test`, 'guess'), {
            ...office,
          }),
        );
      }
      const blocked = await rejection(
        signIn(db, signInInput(user.email, TEST_PASSWORD), { ...office }),
      );

      expect(blocked.code).toBe('rate_limited');
      expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
      await expect(
        signIn(db, signInInput(user.email, TEST_PASSWORD), ctx()),
      ).resolves.toMatchObject({
        userId: user.id,
      });
    });

    test('a successful sign in clears the account’s failure count', async () => {
      const user = await createUser(db);
      const request = ctx();

      for (let attempt = 1; attempt <= 4; attempt++) {
        await rejection(signIn(db, signInInput(user.email, 'wrong'), request));
      }
      await signIn(db, signInInput(user.email, TEST_PASSWORD), request);
      // Without the reset, the first of these would be the fifth failure and lock the account.
      for (let attempt = 1; attempt <= 4; attempt++) {
        const error = await rejection(signIn(db, signInInput(user.email, 'wrong'), request));
        expect(error.code).toBe('invalid');
      }

      await expect(
        signIn(db, signInInput(user.email, TEST_PASSWORD), request),
      ).resolves.toMatchObject({
        userId: user.id,
      });
    });

    test('sign out ends the session: the same cookie no longer signs anyone in', async () => {
      const { userId, cookie } = await signUp(db, signUpInput(), ctx());
      const request = requestWithCookie(cookiePair(cookie));
      expect((await getViewer(db, request))?.id).toBe(userId);

      const cleared = await signOut(db, requestWithCookie(cookiePair(cookie)));

      expect(cleared).toMatch(/^oc_session=;/);
      expect(cleared).toMatch(/Max-Age=0/i);
      expect(await getViewer(db, requestWithCookie(cookiePair(cookie)))).toBeNull();
      const sessions = await db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', userId)
        .execute();
      expect(sessions).toHaveLength(0);
    });

    test('a forged, garbage or missing cookie signs nobody in', async () => {
      const { cookie } = await signUp(db, signUpInput(), ctx());
      // The stored hash itself must not work as a cookie: a leaked sessions table cannot be replayed.
      const storedHash = createHash('sha256').update(sessionSecret(cookie)).digest('hex');

      expect(await getViewer(db, requestWithCookie(`oc_session=${storedHash}`))).toBeNull();
      expect(
        await getViewer(db, requestWithCookie('oc_session=abcdefghijklmnopqrstuvwxyz234567')),
      ).toBeNull();
      expect(await getViewer(db, requestWithCookie('oc_session=%%%; other=1'))).toBeNull();
      expect(
        await getViewer(db, requestWithCookie(`oc_session=${"'; drop table users; --"}`)),
      ).toBeNull();
      expect(await getViewer(db, requestWithCookie(null))).toBeNull();
    });

    test('signing out with a malformed cookie still clears it instead of failing', async () => {
      await expect(signOut(db, requestWithCookie('oc_session=%E0%A4%A'))).resolves.toMatch(
        /^oc_session=;/,
      );
    });

    test('an expired session signs nobody in', async () => {
      const { userId, cookie } = await signUp(db, signUpInput(), ctx());
      await db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('user_id', '=', userId)
        .execute();

      expect(await getViewer(db, requestWithCookie(cookiePair(cookie)))).toBeNull();
    });

    test('a session past its half-life is extended and the new expiry is sent in a cookie', async () => {
      const { userId, cookie } = await signUp(db, signUpInput(), ctx());
      const soon = new Date(Date.now() + 24 * 60 * 60 * 1000);
      await db
        .updateTable('sessions')
        .set({ expires_at: soon })
        .where('user_id', '=', userId)
        .execute();

      const state = await resolveSession(db, requestWithCookie(cookiePair(cookie)));

      expect(state.viewer?.id).toBe(userId);
      expect(state.setCookie).toMatch(/^oc_session=[^;]+;.*Max-Age=2592000/);
      const stored = await db
        .selectFrom('sessions')
        .select('expires_at')
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      expect(stored.expires_at.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 60 * 60 * 1000);
    });

    test('a fresh session sends no cookie back; an unknown one is told to clear it', async () => {
      const { cookie } = await signUp(db, signUpInput(), ctx());

      const current = await resolveSession(db, requestWithCookie(cookiePair(cookie)));
      const unknown = await resolveSession(db, requestWithCookie('oc_session=nosuchsession'));

      expect(current.setCookie).toBeNull();
      expect(unknown.viewer).toBeNull();
      expect(unknown.setCookie).toMatch(/^oc_session=;.*Max-Age=0/);
    });
  });
}

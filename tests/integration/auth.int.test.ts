import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import {
  BAD_CREDENTIALS,
  followConfirmationLink,
  getViewer,
  resolveSession,
  signIn,
  signOut,
  signUp,
  SIGN_IN_ATTEMPTS_PER_ACCOUNT,
  SIGN_IN_FAILURES_PER_IP,
} from '~/.server/auth';
import { SignInSchema, SignUpSchema } from '~/lib/schemas/accounts';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  cookiePair,
  createUser,
  ctx,
  grantRole,
  requestWithCookie,
  signUpAndConfirm,
  TEST_PASSWORD,
  tokenInOutbox,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

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

    test('sign up creates an unconfirmed account and its profile but no session; the emailed link confirms and signs in with an HttpOnly, SameSite=Lax cookie', async () => {
      const input = signUpInput({ displayName: 'Grace Hopper', segment: 'investor' });
      await expect(signUp(db, input, ctx())).resolves.toEqual({ email: input.email });

      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', input.email)
        .executeTakeFirstOrThrow();
      expect(user.password_hash).not.toContain(input.password);
      expect(user.email_verified_at).toBeNull();
      const sessions = await db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', user.id)
        .execute();
      expect(sessions).toHaveLength(0);
      const profile = await db
        .selectFrom('respondent_profiles')
        .selectAll()
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(profile).toMatchObject({
        display_name: 'Grace Hopper',
        segment: 'investor',
        segment_other: null,
      });

      const token = await tokenInOutbox(db, input.email, '/account/confirm-email');
      const { userId, cookie } = await followConfirmationLink(db, token, null, ctx());
      expect(userId).toBe(user.id);
      expect(cookie).toMatch(/^oc_session=[^;]+;/);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
      // Tests run with NODE_ENV=test, where cookies must also work over plain http.
      expect(cookie).not.toMatch(/;\s*Secure/i);
      const viewer = await getViewer(db, requestWithCookie(cookiePair(cookie!)));
      expect(viewer).toMatchObject({ id: user.id, emailConfirmed: true });
    });

    test('a confirmation link used while someone else is signed in confirms but does not swap the session', async () => {
      const input = signUpInput();
      await signUp(db, input, ctx());
      const other = await createUser(db);
      const token = await tokenInOutbox(db, input.email, '/account/confirm-email');
      const viewer = await getViewer(
        db,
        requestWithCookie(
          cookiePair((await signIn(db, signInInput(other.email, TEST_PASSWORD), ctx())).cookie),
        ),
      );
      const confirmed = await followConfirmationLink(db, token, viewer, ctx());
      expect(confirmed.cookie).toBeNull();
      const user = await db
        .selectFrom('users')
        .select('email_verified_at')
        .where('email', '=', input.email)
        .executeTakeFirstOrThrow();
      expect(user.email_verified_at).toBeInstanceOf(Date);
    });

    test('the sessions table stores the SHA-256 of the cookie secret, never the secret itself', async () => {
      const { userId, cookie } = await signUpAndConfirm(db, signUpInput());
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
      const { userId, cookie } = await signUpAndConfirm(
        db,
        signUpInput({ displayName: 'Katherine Johnson' }),
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

    test('sign up with an email already registered (in another case) answers exactly as for a new one, creates nothing, and emails the owner how to get in', async () => {
      const first = signUpInput({ email: 'Mary.Jackson@Example.test' });
      const { userId } = await signUpAndConfirm(db, first);
      const before = await db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();

      const again = signUpInput({
        email: 'MARY.JACKSON@example.TEST',
        displayName: 'Someone Else',
      });
      await expect(signUp(db, again, ctx())).resolves.toEqual({ email: again.email });

      const users = await db
        .selectFrom('users')
        .select(['id', 'password_hash'])
        .where('email', '=', 'mary.jackson@example.test')
        .execute();
      expect(users).toEqual([{ id: userId, password_hash: before.password_hash }]);
      const [email] = await db
        .selectFrom('email_outbox')
        .select(['kind', 'subject', 'text_body'])
        .where('to_address', '=', 'mary.jackson@example.test')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      expect(email).toMatchObject({
        kind: 'account.already_exists',
        subject: 'You already have an account',
      });
      expect(email!.text_body).toMatch(/\/login\b/);
      expect(email!.text_body).toMatch(/\/account\/forgot-password\b/);
    });

    test('two sign-ups for one new address at once make one account, and both answer the same', async () => {
      const input = signUpInput();
      const results = await Promise.all([signUp(db, input, ctx()), signUp(db, input, ctx())]);
      expect(results).toEqual([{ email: input.email }, { email: input.email }]);
      const users = await db
        .selectFrom('users')
        .select('id')
        .where('email', '=', input.email)
        .execute();
      expect(users).toHaveLength(1);
    });

    test('a sign-up carries where the person was going through the confirmation link', async () => {
      const input = signUpInput({
        redirectTo: '/consultations/some-slug/respond/final?parked=abc',
      });
      await signUp(db, input, ctx());
      const [email] = await db
        .selectFrom('email_outbox')
        .select('text_body')
        .where('to_address', '=', input.email)
        .execute();
      expect(email!.text_body).toContain(
        `&next=${encodeURIComponent('/consultations/some-slug/respond/final?parked=abc')}`,
      );
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

    test('after 5 attempts on one account the next waits a minute, with the reset link; other accounts are unaffected', async () => {
      expect(SIGN_IN_ATTEMPTS_PER_ACCOUNT.free).toBe(5);
      const victim = await createUser(db);
      const bystander = await createUser(db);

      for (let attempt = 1; attempt <= 5; attempt++) {
        // Each attempt from a different address: the account limit must hold on its own.
        const error = await rejection(
          signIn(db, signInInput(victim.email, `guess number ${attempt}`), ctx()),
        );
        // All five read as a wrong password; only the next attempt is refused.
        expect(error.code).toBe('invalid');
      }
      const locked = await rejection(signIn(db, signInInput(victim.email, TEST_PASSWORD), ctx()));

      expect(locked.code).toBe('rate_limited');
      expect(locked.message).toBe(
        'Too many wrong passwords for this account. Try again in 1 minute. Or reset your password to sign in now.',
      );
      expect(locked.link).toEqual({
        href: '/account/forgot-password',
        text: 'Reset your password',
      });
      expect(locked.retryAfterSeconds).toBeGreaterThan(0);
      expect(locked.retryAfterSeconds).toBeLessThanOrEqual(60);
      await expect(
        signIn(db, signInInput(bystander.email, TEST_PASSWORD), ctx()),
      ).resolves.toMatchObject({
        userId: bystander.id,
      });
    });

    test('failures on many accounts from one address reach the address ceiling, which blocks that address only', async () => {
      expect(SIGN_IN_FAILURES_PER_IP.limit).toBe(100);
      const stuffer = ctx();
      const user = await createUser(db);

      // The ceiling less one, as if earlier failures had come from there (quicker than 99 hashes).
      await db
        .insertInto('rate_limits')
        .values({
          key: `${SIGN_IN_FAILURES_PER_IP.name}:${stuffer.clientIp}`,
          hits: SIGN_IN_FAILURES_PER_IP.limit - 1,
          window_started_at: new Date(),
        })
        .execute();
      const last = await rejection(
        signIn(db, signInInput(`someone-${stuffer.clientIp}@example.test`, 'guess'), {
          ...stuffer,
        }),
      );
      expect(last.code).toBe('invalid');
      const blocked = await rejection(
        signIn(db, signInInput(user.email, TEST_PASSWORD), { ...stuffer }),
      );

      expect(blocked.code).toBe('rate_limited');
      expect(blocked.message).toMatch(
        /^Too many failed sign-ins from this network\. Try again in \d+ minutes?\.$/,
      );
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
      const { userId, cookie } = await signUpAndConfirm(db, signUpInput());
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
      const { cookie } = await signUpAndConfirm(db, signUpInput());
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
      const { userId, cookie } = await signUpAndConfirm(db, signUpInput());
      await db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('user_id', '=', userId)
        .execute();

      expect(await getViewer(db, requestWithCookie(cookiePair(cookie)))).toBeNull();
    });

    test('a session past its half-life is extended and the new expiry is sent in a cookie', async () => {
      const { userId, cookie } = await signUpAndConfirm(db, signUpInput());
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
      const { cookie } = await signUpAndConfirm(db, signUpInput());

      const current = await resolveSession(db, requestWithCookie(cookiePair(cookie)));
      const unknown = await resolveSession(db, requestWithCookie('oc_session=nosuchsession'));

      expect(current.setCookie).toBeNull();
      expect(unknown.viewer).toBeNull();
      expect(unknown.setCookie).toMatch(/^oc_session=;.*Max-Age=0/);
    });
  });
}

import { randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import {
  changePassword,
  getViewer,
  requestPasswordReset,
  resetPassword,
  signIn,
  SIGN_IN_ATTEMPTS_PER_ACCOUNT,
  SIGN_IN_FAILURES_PER_IP,
} from '~/.server/auth';
import {
  COMMENT_EDITS_PER_ACCOUNT,
  editComment,
  REPORTS_PER_ACCOUNT,
  reportComment,
  HELPFUL_VOTES_PER_ACCOUNT,
  unvoteHelpful,
  voteHelpful,
} from '~/.server/comments';
import { DomainError } from '~/.server/errors';
import { RESUBMITS_PER_RESPONSE, saveAnswer, submitResponse } from '~/.server/responses';
import { EditCommentSchema, ReportSchema } from '~/lib/schemas/discussion';
import { SignInSchema } from '~/lib/schemas/accounts';
import { AnswerSchema } from '~/lib/schemas/responses';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import {
  cookiePair,
  createConsultation,
  createRecommendation,
  createRespondent,
  createUser,
  ctx,
  insertComment,
  requestWithCookie,
  submitChoosingPublishing,
  TEST_PASSWORD,
  tokenInOutbox,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

function signInInput(email: string, password: string) {
  return SignInSchema.parse({ email, password });
}

function answer(stance: string, reasons = 'Because.') {
  return AnswerSchema.parse({ stance, importance: '', reasons, changeMind: '' });
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

    /** Moves the account's last attempt back in time, as if the wait had passed. */
    async function ageAttempts(email: string, seconds: number) {
      await db
        .updateTable('rate_limits')
        .set({ window_started_at: new Date(Date.now() - seconds * 1000) })
        .where('key', '=', `${SIGN_IN_ATTEMPTS_PER_ACCOUNT.name}:${email}`)
        .execute();
    }

    // --- Sign-in ------------------------------------------------------------------------------

    test('20 wrong passwords at once on one account: at most 5 are checked, the rest are refused unchecked', async () => {
      const user = await createUser(db);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          signIn(db, signInInput(user.email, `parallel guess ${i}`), ctx()),
        ),
      );
      const codes = results.map((r) =>
        r.status === 'rejected' ? (r.reason as DomainError).code : 'signed in',
      );
      // 'invalid' is a password that was checked and wrong; 'rate_limited' was never checked.
      expect(codes.filter((c) => c === 'invalid')).toHaveLength(SIGN_IN_ATTEMPTS_PER_ACCOUNT.free);
      expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(
        20 - SIGN_IN_ATTEMPTS_PER_ACCOUNT.free,
      );
    });

    test('the wait grows 1, 2, 4 minutes with each attempt after the fifth, is capped at an hour, and is forgotten after a day', async () => {
      const user = await createUser(db);
      for (let i = 0; i < 5; i++) await rejection(signIn(db, signInInput(user.email, 'no'), ctx()));
      const first = await rejection(signIn(db, signInInput(user.email, 'no'), ctx()));
      expect(first.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect(first.retryAfterSeconds).toBeGreaterThan(50);

      await ageAttempts(user.email, 61);
      expect((await rejection(signIn(db, signInInput(user.email, 'no'), ctx()))).code).toBe(
        'invalid',
      );
      const second = await rejection(signIn(db, signInInput(user.email, 'no'), ctx()));
      expect(second.code).toBe('rate_limited');
      expect(second.retryAfterSeconds).toBeGreaterThan(110);
      expect(second.retryAfterSeconds).toBeLessThanOrEqual(120);

      await ageAttempts(user.email, 121);
      await rejection(signIn(db, signInInput(user.email, 'no'), ctx()));
      const third = await rejection(signIn(db, signInInput(user.email, 'no'), ctx()));
      expect(third.retryAfterSeconds).toBeGreaterThan(230);
      expect(third.retryAfterSeconds).toBeLessThanOrEqual(240);

      // Many attempts later the wait stops growing at an hour.
      await db
        .updateTable('rate_limits')
        .set({ hits: 40 })
        .where('key', '=', `${SIGN_IN_ATTEMPTS_PER_ACCOUNT.name}:${user.email}`)
        .execute();
      const capped = await rejection(signIn(db, signInInput(user.email, TEST_PASSWORD), ctx()));
      expect(capped.retryAfterSeconds).toBeLessThanOrEqual(
        SIGN_IN_ATTEMPTS_PER_ACCOUNT.maxDelaySeconds,
      );
      expect(capped.message).toMatch(/Try again in 60 minutes\./);

      await ageAttempts(user.email, SIGN_IN_ATTEMPTS_PER_ACCOUNT.forgetAfterSeconds + 1);
      await expect(
        signIn(db, signInInput(user.email, TEST_PASSWORD), ctx()),
      ).resolves.toMatchObject({ userId: user.id });
    });

    test('an attacker’s failures on account A from an office address do not stop a colleague signing in to B from it', async () => {
      const office = ctx();
      const target = await createUser(db);
      const colleague = await createUser(db);
      for (let i = 0; i < 12; i++) {
        await rejection(signIn(db, signInInput(target.email, `guess ${i}`), { ...office }));
      }
      expect(
        (await rejection(signIn(db, signInInput(target.email, TEST_PASSWORD), { ...office }))).code,
      ).toBe('rate_limited');

      // A colleague's typo still reads as a typo, and the right password gets them in.
      const typo = await rejection(
        signIn(db, signInInput(colleague.email, 'typo in it'), { ...office }),
      );
      expect(typo.code).toBe('invalid');
      await expect(
        signIn(db, signInInput(colleague.email, TEST_PASSWORD), { ...office }),
      ).resolves.toMatchObject({ userId: colleague.id });
      // Refused attempts on A cost the office nothing: only the 5 checked ones (and the typo)
      // count against its address, far from the ceiling.
      const row = await db
        .selectFrom('rate_limits')
        .select('hits')
        .where('key', '=', `${SIGN_IN_FAILURES_PER_IP.name}:${office.clientIp}`)
        .executeTakeFirstOrThrow();
      expect(row.hits).toBe(6);
    });

    test('the owner of a locked account gets in at once through the password reset link, and the wait is gone', async () => {
      const owner = await createUser(db);
      for (let i = 0; i < 6; i++) {
        await rejection(signIn(db, signInInput(owner.email, `attacker ${i}`), ctx()));
      }
      const refused = await rejection(signIn(db, signInInput(owner.email, TEST_PASSWORD), ctx()));
      expect(refused.code).toBe('rate_limited');
      expect(refused.link?.href).toBe('/account/forgot-password');

      await requestPasswordReset(db, { email: owner.email }, ctx());
      const token = await tokenInOutbox(db, owner.email, '/account/reset-password');
      await resetPassword(db, { token, password: 'a fresh passphrase of mine' }, ctx());

      await expect(
        signIn(db, signInInput(owner.email, 'a fresh passphrase of mine'), ctx()),
      ).resolves.toMatchObject({ userId: owner.id });
    });

    test('someone else’s failures never end a session that is already signed in', async () => {
      const owner = await createUser(db);
      const { cookie } = await signIn(db, signInInput(owner.email, TEST_PASSWORD), ctx());
      for (let i = 0; i < 8; i++) {
        await rejection(signIn(db, signInInput(owner.email, `attacker ${i}`), ctx()));
      }
      expect((await getViewer(db, requestWithCookie(cookiePair(cookie))))?.id).toBe(owner.id);
    });

    // --- Password rules -----------------------------------------------------------------------

    test('a reset or change to a common password, or to one’s own address, is refused on the password field; an old weak password still signs in', async () => {
      const owner = await createUser(db, { password: 'password123', displayName: 'Ada Byron' });
      const { cookie } = await signIn(db, signInInput(owner.email, 'password123'), ctx());

      await requestPasswordReset(db, { email: owner.email }, ctx());
      const token = await tokenInOutbox(db, owner.email, '/account/reset-password');
      const common = await rejection(resetPassword(db, { token, password: '1234567890' }, ctx()));
      expect(common.code).toBe('invalid');
      expect(common.fieldErrors.password?.[0]).toMatch(/list of common passwords/);
      // The link was not used up by the refusal.
      const own = await rejection(resetPassword(db, { token, password: owner.email }, ctx()));
      expect(own.fieldErrors.password?.[0]).toMatch(/not be your email address or your name/);

      const viewer = (await getViewer(db, requestWithCookie(cookiePair(cookie))))!;
      const name = await rejection(
        changePassword(
          db,
          viewer,
          { currentPassword: 'password123', password: 'ADA BYRON' },
          ctx(),
        ),
      );
      expect(name.fieldErrors.password?.[0]).toMatch(/not be your email address or your name/);
      await changePassword(
        db,
        viewer,
        { currentPassword: 'password123', password: 'a lighthouse of marmalade' },
        ctx(),
      );
      await resetPassword(db, { token, password: 'still another good one' }, ctx());
    });

    test('a password typed in another Unicode form is the same password (NFKC), and one hashed as typed before still works', async () => {
      // "ﬁ" (one ligature character) and full-width letters and digits fold to plain ones.
      const owner = await createUser(db, { password: 'fine password 2026' });
      await expect(
        signIn(db, signInInput(owner.email, 'ﬁne ｐａｓｓｗｏｒｄ ２０２６'), ctx()),
      ).resolves.toMatchObject({ userId: owner.id });

      const legacy = await createUser(db);
      await db
        .updateTable('users')
        .set({ password_hash: await hash('ﬁne ｐａｓｓｗｏｒｄ ２０２６') })
        .where('id', '=', legacy.id)
        .execute();
      await expect(
        signIn(db, signInInput(legacy.email, 'ﬁne ｐａｓｓｗｏｒｄ ２０２６'), ctx()),
      ).resolves.toMatchObject({ userId: legacy.id });
    });

    // --- Resubmits, edits, votes, reports -----------------------------------------------------

    test('a resubmit with nothing changed stores no version and says so; the same key still replays', async () => {
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      const me = await createRespondent(db);
      await saveAnswer(db, me, consultation.slug, recommendation.slug, answer('support'));
      const first = await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      // Edited, then put back as it was.
      await saveAnswer(db, me, consultation.slug, recommendation.slug, answer('oppose'));
      await saveAnswer(db, me, consultation.slug, recommendation.slug, answer('support'));
      const key = randomUUID();
      const same = await submitResponse(db, me, consultation.slug, key);
      expect(same).toMatchObject({ version: first.version, unchanged: true, replayed: false });
      expect(await submitResponse(db, me, consultation.slug, key)).toMatchObject({
        version: first.version,
      });
      const versions = await db
        .selectFrom('response_versions')
        .innerJoin('responses', 'responses.id', 'response_versions.response_id')
        .select('response_versions.number')
        .where('responses.user_id', '=', me.id)
        .execute();
      expect(versions).toEqual([{ number: 1 }]);
      const response = await db
        .selectFrom('responses')
        .select('has_unsubmitted_changes')
        .where('user_id', '=', me.id)
        .executeTakeFirstOrThrow();
      expect(response.has_unsubmitted_changes).toBe(false);

      await saveAnswer(db, me, consultation.slug, recommendation.slug, answer('oppose'));
      expect(await submitResponse(db, me, consultation.slug, randomUUID())).toMatchObject({
        version: 2,
        unchanged: false,
      });
    });

    test(`resubmits are limited to ${RESUBMITS_PER_RESPONSE.burst} in a burst; the refused change stays in the draft`, async () => {
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      const me = await createRespondent(db);
      await saveAnswer(db, me, consultation.slug, recommendation.slug, answer('support', 'v0'));
      await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      for (let i = 1; i <= RESUBMITS_PER_RESPONSE.burst; i++) {
        await saveAnswer(
          db,
          me,
          consultation.slug,
          recommendation.slug,
          answer('support', `v${i}`),
        );
        await submitResponse(db, me, consultation.slug, randomUUID());
      }
      await saveAnswer(db, me, consultation.slug, recommendation.slug, answer('oppose', 'kept'));
      const refused = await rejection(submitResponse(db, me, consultation.slug, randomUUID()));
      expect(refused.code).toBe('rate_limited');
      expect(refused.message).toMatch(
        /Your changes are kept as a draft\. Try again in 6 minutes\./,
      );
      expect(refused.retryAfterSeconds).toBeGreaterThan(0);
      const draft = await db
        .selectFrom('response_answers')
        .innerJoin('responses', 'responses.id', 'response_answers.response_id')
        .select(['response_answers.stance', 'response_answers.reasons'])
        .where('responses.user_id', '=', me.id)
        .executeTakeFirstOrThrow();
      expect(draft).toEqual({ stance: 'oppose', reasons: 'kept' });
      const response = await db
        .selectFrom('responses')
        .select('current_version')
        .where('user_id', '=', me.id)
        .executeTakeFirstOrThrow();
      expect(response.current_version).toBe(1 + RESUBMITS_PER_RESPONSE.burst);
    });

    /** Fills a fixed-window counter up to its limit, as if the person had used it all. */
    async function useUp(rule: { name: string; limit: number }, subject: string) {
      await db
        .insertInto('rate_limits')
        .values({ key: `${rule.name}:${subject}`, hits: rule.limit, window_started_at: new Date() })
        .onConflict((oc) => oc.column('key').doUpdateSet({ hits: rule.limit }))
        .execute();
    }

    test('helpful votes, comment edits and reports each stop at their limit with a wait, changing nothing', async () => {
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      const author = await createRespondent(db);
      const reader = await createRespondent(db);
      const comment = await insertComment(db, recommendation.id, {
        authorId: author.id,
        body: 'The original text.',
      });

      await voteHelpful(db, reader, consultation.slug, comment.id);
      await useUp(HELPFUL_VOTES_PER_ACCOUNT, reader.id);
      const vote = await rejection(unvoteHelpful(db, reader, consultation.slug, comment.id));
      expect(vote.code).toBe('rate_limited');
      expect(vote.message).toMatch(/Try again in \d+ minutes?\./);
      const votes = await db
        .selectFrom('comment_votes')
        .select('user_id')
        .where('comment_id', '=', comment.id)
        .execute();
      expect(votes).toEqual([{ user_id: reader.id }]);

      await useUp(COMMENT_EDITS_PER_ACCOUNT, author.id);
      const edit = await rejection(
        editComment(
          db,
          author,
          consultation.slug,
          comment.id,
          EditCommentSchema.parse({ body: 'Changed.' }),
        ),
      );
      expect(edit.code).toBe('rate_limited');
      const stored = await db
        .selectFrom('comments')
        .select('body')
        .where('id', '=', comment.id)
        .executeTakeFirstOrThrow();
      expect(stored.body).toBe('The original text.');

      await useUp(REPORTS_PER_ACCOUNT, reader.id);
      const report = await rejection(
        reportComment(
          db,
          reader,
          consultation.slug,
          comment.id,
          ReportSchema.parse({ reason: 'abuse', note: '' }),
          ctx(),
        ),
      );
      expect(report.code).toBe('rate_limited');
      const reports = await db
        .selectFrom('comment_reports')
        .select('comment_id')
        .where('comment_id', '=', comment.id)
        .execute();
      expect(reports).toEqual([]);
    });
  });
}

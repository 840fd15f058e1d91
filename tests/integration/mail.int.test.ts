import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DB } from '#db/schema';
import {
  changePassword,
  confirmEmailLink,
  getViewer,
  requestEmailChange,
  requestPasswordReset,
  resendConfirmation,
  resetPassword,
  signIn,
  signUp,
} from '~/.server/auth';
import { endorse } from '~/.server/endorsements';
import {
  deliverDueEmails,
  issueEmailToken,
  listOutbox,
  MAX_ATTEMPTS,
  queueConsultationNews,
  queueEmail,
  readUnsubscribeToken,
  saveEmailPreferences,
  unsubscribe,
  useEmailToken,
  type SendMail,
} from '~/.server/mail';
import { notify } from '~/.server/notifications';
import { saveAnswer } from '~/.server/responses';
import { acceptInvitation, changeTeam } from '~/.server/team';
import { requestVerification } from '~/.server/verification';
import { SignInSchema, SignUpSchema } from '~/lib/schemas/accounts';
import { AnswerSchema } from '~/lib/schemas/responses';
import { BACKENDS, createTestDb, type TestDb } from '#tests/support/db';
import { invitationToken } from '#tests/support/invitations';
import {
  cookiePair,
  createConsultation,
  createOrganiser,
  createRecommendation,
  createUser,
  ctx,
  insertSubmittedResponse,
  submitChoosingPublishing,
  makeViewer,
  requestWithCookie,
  TEST_PASSWORD,
} from '#tests/support/factories';
import { rejection } from '#tests/support/outcomes';

let sequence = 0;
function newAddress() {
  sequence += 1;
  return `mail-person-${sequence}-${Date.now()}@example.test`;
}

function signUpInput(email = newAddress()) {
  return SignUpSchema.parse({
    email,
    password: 'a long enough password',
    displayName: 'Katherine Johnson',
    segment: 'founder',
  });
}

async function emailsTo(db: Kysely<DB>, address: string) {
  return db
    .selectFrom('email_outbox')
    .selectAll()
    .where('to_address', '=', address)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The token in the newest email to `address` that links to `path`. */
async function tokenFromEmail(db: Kysely<DB>, address: string, path: string) {
  const [latest] = await emailsTo(db, address);
  expect(latest, `an email to ${address}`).toBeDefined();
  const match = new RegExp(`${path}\\?token=([^\\s&]+)`).exec(latest!.text_body);
  expect(match, `a ${path} link in "${latest!.subject}"`).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

function userByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email_verified_at'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
}

function answer(stance: string) {
  return AnswerSchema.parse({ stance, importance: '', reasons: 'Because.', changeMind: '' });
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

    test('sign up queues a confirmation link in the same transaction, and the link confirms the address once', async () => {
      const input = signUpInput();
      await signUp(db, input, ctx());
      const { id: userId, email_verified_at } = await userByEmail(db, input.email);
      expect(email_verified_at).toBeNull();
      const [email] = await emailsTo(db, input.email);
      expect(email).toMatchObject({
        kind: 'account.confirm_email',
        user_id: userId,
        sent_at: null,
      });

      const token = await tokenFromEmail(db, input.email, '/account/confirm-email');
      const tokenRow = await db
        .selectFrom('email_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      expect(tokenRow.token_hash).not.toContain(token);

      await expect(confirmEmailLink(db, token, ctx())).resolves.toMatchObject({
        purpose: 'confirm_email',
      });
      const user = await db
        .selectFrom('users')
        .select('email_verified_at')
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      expect(user.email_verified_at).toBeInstanceOf(Date);
      const again = await rejection(confirmEmailLink(db, token, ctx()));
      expect(again.code).toBe('invalid');
    });

    test('an expired link is refused', async () => {
      const user = await createUser(db, { emailConfirmed: false });
      const token = await issueEmailToken(db, {
        userId: user.id,
        purpose: 'confirm_email',
        email: user.email,
      });
      await db
        .updateTable('email_tokens')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('user_id', '=', user.id)
        .execute();
      expect((await rejection(confirmEmailLink(db, token, ctx()))).code).toBe('invalid');
    });

    test('of two concurrent uses of one link, exactly one succeeds', async () => {
      const user = await createUser(db);
      const token = await issueEmailToken(db, {
        userId: user.id,
        purpose: 'reset_password',
        email: user.email,
      });
      const results = await Promise.all(
        Array.from({ length: 5 }, () => useEmailToken(db, token, ['reset_password'])),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test('a token only works for its own purpose', async () => {
      const user = await createUser(db);
      const token = await issueEmailToken(db, {
        userId: user.id,
        purpose: 'reset_password',
        email: user.email,
      });
      expect(await useEmailToken(db, token, ['confirm_email', 'change_email'])).toBeNull();
      expect(await useEmailToken(db, token, ['reset_password'])).not.toBeNull();
    });

    test('asking for the confirmation again retires the earlier link', async () => {
      const input = signUpInput();
      await signUp(db, input, ctx());
      const { id: userId } = await userByEmail(db, input.email);
      const first = await tokenFromEmail(db, input.email, '/account/confirm-email');
      await resendConfirmation(db, await makeViewer(db, userId));
      const second = await tokenFromEmail(db, input.email, '/account/confirm-email');
      expect(second).not.toBe(first);
      expect((await rejection(confirmEmailLink(db, first, ctx()))).code).toBe('invalid');
      await confirmEmailLink(db, second, ctx());
    });

    test('an email queued in a transaction that fails is never written', async () => {
      const address = newAddress();
      await expect(
        db.transaction().execute(async (trx) => {
          await queueEmail(trx, {
            userId: null,
            to: address,
            kind: 'test',
            subject: 'Never sent',
            text: 'Never sent',
          });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await emailsTo(db, address)).toHaveLength(0);
    });

    test('an unconfirmed account may draft a response but not submit it, endorse, ask for verification or be given a role', async () => {
      const consultation = await createConsultation(db, { status: 'open' });
      const recommendation = await createRecommendation(db, consultation.id);
      const person = await createUser(db, { emailConfirmed: false, organisation: 'Acme Ltd' });
      const me = await makeViewer(db, person.id);
      await saveAnswer(db, me, consultation.slug, recommendation.slug, answer('support'));
      const submit = await rejection(
        submitChoosingPublishing(db, me, consultation.slug, randomUUID()),
      );
      expect(submit.code).toBe('unconfirmed');
      expect(submit.link?.href).toBe('/account/confirm-email');
      const endorsement = await rejection(
        endorse(
          db,
          me,
          consultation.slug,
          recommendation.slug,
          { onBehalfOfOrganisation: false, showName: false },
          ctx(),
        ),
      );
      expect(endorsement.code).toBe('unconfirmed');
      // The invitation goes out, but only a confirmed owner of the address can accept it.
      const organiser = await createOrganiser(db);
      await changeTeam(
        db,
        organiser,
        consultation.slug,
        { intent: 'grant', email: person.email, role: 'moderator' },
        ctx(),
      );
      const grant = await rejection(
        acceptInvitation(db, me, await invitationToken(db, person.email), ctx()),
      );
      expect(grant.code).toBe('unconfirmed');
      const verification = await rejection(
        requestVerification(
          db,
          me,
          { organisation: 'Acme Ltd', role: 'Founder', evidence: 'Team page', evidenceUrl: null },
          ctx(),
        ),
      );
      expect(verification.code).toBe('unconfirmed');

      await db
        .updateTable('users')
        .set({ email_verified_at: new Date() })
        .where('id', '=', person.id)
        .execute();
      const receipt = await submitChoosingPublishing(db, me, consultation.slug, randomUUID());
      expect(receipt.replayed).toBe(false);
    });

    test('submitting queues a copy of the response with its receipt reference; a replay does not', async () => {
      const consultation = await createConsultation(db, { status: 'open', title: 'Copy test' });
      const recommendation = await createRecommendation(db, consultation.id, {
        title: 'Make it easier to hire',
      });
      const person = await createUser(db);
      const me = await makeViewer(db, person.id);
      await saveAnswer(db, me, consultation.slug, recommendation.slug, answer('strongly_support'));
      const key = randomUUID();
      const receipt = await submitChoosingPublishing(db, me, consultation.slug, key);
      await submitChoosingPublishing(db, me, consultation.slug, key);
      const emails = await emailsTo(db, person.email);
      expect(emails).toHaveLength(1);
      expect(emails[0]!.kind).toBe('response.copy');
      expect(emails[0]!.subject).toContain(receipt.reference);
      expect(emails[0]!.text_body).toContain(`Receipt reference: ${receipt.reference}`);
      expect(emails[0]!.text_body).toContain('1. Make it easier to hire');
      expect(emails[0]!.text_body).toContain('Your view: Strongly support');
      expect(emails[0]!.text_body).toContain('Because.');
    });

    test('a password reset answers the same for unknown addresses, works once and ends every session', async () => {
      const unknown = await requestPasswordReset(db, { email: newAddress() }, ctx());
      const person = await createUser(db);
      const known = await requestPasswordReset(db, { email: person.email }, ctx());
      expect(known).toEqual(unknown);
      const session = await signIn(
        db,
        SignInSchema.parse({ email: person.email, password: TEST_PASSWORD }),
        ctx(),
      );
      const token = await tokenFromEmail(db, person.email, '/account/reset-password');
      await resetPassword(db, { token, password: 'a brand new password' }, ctx());
      expect(await getViewer(db, requestWithCookie(cookiePair(session.cookie)))).toBeNull();
      const old = await rejection(
        signIn(db, SignInSchema.parse({ email: person.email, password: TEST_PASSWORD }), ctx()),
      );
      expect(old.code).toBe('invalid');
      await signIn(
        db,
        SignInSchema.parse({ email: person.email, password: 'a brand new password' }),
        ctx(),
      );
      const reuse = await rejection(
        resetPassword(db, { token, password: 'another new password' }, ctx()),
      );
      expect(reuse.code).toBe('invalid');
    });

    test('password reset emails to one address are limited without telling the requester', async () => {
      const person = await createUser(db);
      for (let i = 0; i < 5; i++) await requestPasswordReset(db, { email: person.email }, ctx());
      expect(await emailsTo(db, person.email)).toHaveLength(3);
    });

    test('changing the password needs the current one and ends the other sessions only', async () => {
      const person = await createUser(db);
      const signInInput = SignInSchema.parse({ email: person.email, password: TEST_PASSWORD });
      const here = await signIn(db, signInInput, ctx());
      const elsewhere = await signIn(db, signInInput, ctx());
      const me = (await getViewer(db, requestWithCookie(cookiePair(here.cookie))))!;
      const wrong = await rejection(
        changePassword(
          db,
          me,
          { currentPassword: 'not my password', password: 'a brand new password' },
          ctx(),
        ),
      );
      expect(wrong.fieldErrors.currentPassword).toHaveLength(1);
      await changePassword(
        db,
        me,
        { currentPassword: TEST_PASSWORD, password: 'a brand new password' },
        ctx(),
      );
      expect(await getViewer(db, requestWithCookie(cookiePair(here.cookie)))).not.toBeNull();
      expect(await getViewer(db, requestWithCookie(cookiePair(elsewhere.cookie)))).toBeNull();
    });

    test('changing the address verifies the new one, then tells the old one', async () => {
      const person = await createUser(db);
      const me = await makeViewer(db, person.id);
      const taken = await createUser(db);
      const conflict = await rejection(
        requestEmailChange(db, me, { email: taken.email, currentPassword: TEST_PASSWORD }),
      );
      expect(conflict.fieldErrors.email).toHaveLength(1);
      const wrong = await rejection(
        requestEmailChange(db, me, { email: newAddress(), currentPassword: 'nope' }),
      );
      expect(wrong.fieldErrors.currentPassword).toHaveLength(1);

      const next = newAddress();
      await requestEmailChange(db, me, { email: next, currentPassword: TEST_PASSWORD });
      const unchanged = await db
        .selectFrom('users')
        .select('email')
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(unchanged.email).toBe(person.email);
      const token = await tokenFromEmail(db, next, '/account/confirm-email');
      await confirmEmailLink(db, token, ctx());
      const changed = await db
        .selectFrom('users')
        .select(['email', 'email_verified_at'])
        .where('id', '=', person.id)
        .executeTakeFirstOrThrow();
      expect(changed.email).toBe(next);
      expect(changed.email_verified_at).toBeInstanceOf(Date);
      const [told] = await emailsTo(db, person.email);
      expect(told).toMatchObject({ kind: 'account.email_changed' });
      expect(told!.text_body).toContain(next);
    });

    test('a notification is emailed with one-click unsubscribe headers until the person unsubscribes', async () => {
      const person = await createUser(db);
      const message = {
        userId: person.id,
        kind: 'moderation.comment.hidden',
        subject: 'Your comment was hidden',
        body: 'A moderator hid your comment.',
        link: '/account/messages',
      };
      await notify(db, message);
      const [email] = await emailsTo(db, person.email);
      expect(email!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
      const link = /^<(.+)>$/.exec(email!.headers['List-Unsubscribe']!)![1]!;
      const token = new URL(link).searchParams.get('token')!;
      expect(await readUnsubscribeToken(db, token)).toMatchObject({ topic: 'moderation' });
      expect(await readUnsubscribeToken(db, token.slice(0, -2) + 'xx')).toBeNull();
      expect(await readUnsubscribeToken(db, token.replace('.moderation.', '.account.'))).toBeNull();

      await unsubscribe(db, token);
      await unsubscribe(db, token);
      await notify(db, message);
      expect(await emailsTo(db, person.email)).toHaveLength(1);
      // The message itself is still kept for the Messages page.
      const kept = await db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', person.id)
        .execute();
      expect(kept).toHaveLength(2);

      await notify(db, { ...message, kind: 'role.granted', subject: 'You have a role' });
      expect(await emailsTo(db, person.email)).toHaveLength(2);
    });

    test('email preferences choose which notifications are emailed; unconfirmed addresses get none', async () => {
      const person = await createUser(db);
      await saveEmailPreferences(db, await makeViewer(db, person.id), { topics: ['moderation'] });
      await notify(db, { userId: person.id, kind: 'role.granted', subject: 'Role', body: 'Role' });
      expect(await emailsTo(db, person.email)).toHaveLength(0);
      await notify(db, {
        userId: person.id,
        kind: 'moderation.comment.hidden',
        subject: 'Hidden',
        body: 'Hidden',
      });
      expect(await emailsTo(db, person.email)).toHaveLength(1);

      const unconfirmed = await createUser(db, { emailConfirmed: false });
      await notify(db, {
        userId: unconfirmed.id,
        kind: 'moderation.comment.hidden',
        subject: 'Hidden',
        body: 'Hidden',
      });
      expect(await emailsTo(db, unconfirmed.email)).toHaveLength(0);
    });

    test('consultation news goes to confirmed respondents who submitted and did not opt out, each with their own unsubscribe link', async () => {
      const consultation = await createConsultation(db, { status: 'open' });
      const subscribed = await createUser(db);
      const optedOut = await createUser(db);
      const unconfirmed = await createUser(db, { emailConfirmed: false });
      const drafting = await createUser(db);
      for (const person of [subscribed, optedOut, unconfirmed]) {
        await insertSubmittedResponse(db, consultation.id, { userId: person.id });
      }
      await db
        .insertInto('responses')
        .values({ consultation_id: consultation.id, user_id: drafting.id, status: 'draft' })
        .execute();
      await saveEmailPreferences(db, await makeViewer(db, optedOut.id), {
        topics: ['moderation', 'account'],
      });

      const sent = await db.transaction().execute((trx) =>
        queueConsultationNews(trx, consultation.id, {
          kind: 'consultation.summary_published',
          subject: 'The summary is published',
          text: 'Read what the organisers concluded.',
        }),
      );
      expect(sent).toEqual([subscribed.id]);
      const [email] = await emailsTo(db, subscribed.email);
      expect(email!.text_body).toContain('Read what the organisers concluded.');
      const link = /^<(.+)>$/.exec(email!.headers['List-Unsubscribe']!)![1]!;
      expect(
        await readUnsubscribeToken(db, new URL(link).searchParams.get('token')!),
      ).toMatchObject({ userId: subscribed.id, topic: 'consultation_news' });
      for (const person of [optedOut, unconfirmed, drafting]) {
        expect(await emailsTo(db, person.email)).toHaveLength(0);
      }
    });

    test('the sender retries a failed email later, then marks it sent; it gives up after the last attempt', async () => {
      // Earlier tests' emails are due too: send them out of the way first.
      const quiet: SendMail = async () => {};
      while ((await deliverDueEmails(db, quiet, 100)).sent > 0);

      const address = newAddress();
      const { id } = await queueEmail(db, {
        userId: null,
        to: address,
        kind: 'test',
        subject: 'Hello',
        text: 'Hello',
      });
      const delivered: string[] = [];
      const failing: SendMail = async () => {
        throw new Error('421 try later');
      };
      expect(await deliverDueEmails(db, failing)).toEqual({ sent: 0, failed: 1 });
      let row = await db
        .selectFrom('email_outbox')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ attempts: 1, sent_at: null, last_error: '421 try later' });
      expect(row.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 30_000);
      // Not due yet: nothing is sent again.
      expect(await deliverDueEmails(db, failing)).toEqual({ sent: 0, failed: 0 });

      await db
        .updateTable('email_outbox')
        .set({ next_attempt_at: new Date(0) })
        .where('id', '=', id)
        .execute();
      const working: SendMail = async (m) => {
        delivered.push(m.to);
      };
      expect(await deliverDueEmails(db, working)).toEqual({ sent: 1, failed: 0 });
      expect(delivered).toEqual([address]);
      row = await db
        .selectFrom('email_outbox')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.sent_at).toBeInstanceOf(Date);

      const doomed = await queueEmail(db, {
        userId: null,
        to: newAddress(),
        kind: 'test',
        subject: 'Doomed',
        text: 'Doomed',
      });
      for (let i = 0; i < MAX_ATTEMPTS; i++) {
        await db
          .updateTable('email_outbox')
          .set({ next_attempt_at: new Date(0) })
          .where('id', '=', doomed.id)
          .execute();
        await deliverDueEmails(db, failing);
      }
      row = await db
        .selectFrom('email_outbox')
        .selectAll()
        .where('id', '=', doomed.id)
        .executeTakeFirstOrThrow();
      expect(row.attempts).toBe(MAX_ATTEMPTS);
      expect(row.failed_at).toBeInstanceOf(Date);
    });

    test('the development outbox lists the newest emails', async () => {
      const address = newAddress();
      await queueEmail(db, {
        userId: null,
        to: address,
        kind: 'test',
        subject: 'Listed',
        text: 'x',
      });
      const emails = await listOutbox(db);
      expect(emails[0]).toMatchObject({ to_address: address, subject: 'Listed' });
    });
  });
}

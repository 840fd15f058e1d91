import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type {
  ChangeEmailInput,
  ChangePasswordInput,
  ForgotPasswordInput,
  ResetPasswordInput,
} from '~/lib/schemas/email';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { DomainError, isUniqueViolation } from '../errors';
import {
  absoluteUrl,
  issueEmailToken,
  LINK_NOT_VALID,
  peekEmailToken,
  queueEmail,
  useEmailToken,
} from '../mail';
import { minutesToWait } from '~/lib/wait';
import { hitRateLimit, type RateLimit } from '../rate-limits';
import { hashSessionId } from './adapter';
import { safeRedirectPath } from '~/lib/schemas/accounts';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './password';
import { requireAcceptablePassword } from './password-rules';
import { clearSignInAttempts } from './sign-in-limits';
import type { Viewer } from './session';
import { requireSignedIn } from './permissions';

type Db = Kysely<DB> | Transaction<DB>;

export const RESETS_PER_ADDRESS: RateLimit = {
  name: 'password-resets-address',
  limit: 3,
  windowSeconds: 3600,
};
export const RESETS_PER_IP: RateLimit = {
  name: 'password-resets-ip',
  limit: 20,
  windowSeconds: 3600,
};
export const LINK_EMAILS_PER_ACCOUNT: RateLimit = {
  name: 'account-link-emails',
  limit: 5,
  windowSeconds: 3600,
};

function tooMany(retryAfterSeconds: number) {
  return new DomainError(
    'rate_limited',
    `We have sent several emails already. Wait ${minutesToWait(retryAfterSeconds)}, then try again.`,
    { retryAfterSeconds },
  );
}

/**
 * Queues the "confirm your email address" message with a fresh link; call it in the
 * transaction that creates the account (or asks again). `next` is where the person was going
 * when they signed up: the link confirms, signs in and goes on there.
 */
export async function queueConfirmationEmail(
  db: Db,
  user: { id: string; email: string },
  next?: string,
) {
  const token = await issueEmailToken(db, {
    userId: user.id,
    purpose: 'confirm_email',
    email: user.email,
  });
  const after = next && safeRedirectPath(next) !== '/' ? `&next=${encodeURIComponent(next)}` : '';
  const link = absoluteUrl(`/account/confirm-email?token=${encodeURIComponent(token)}${after}`);
  await queueEmail(db, {
    userId: user.id,
    to: user.email,
    kind: 'account.confirm_email',
    subject: 'Confirm your email address',
    text: [
      'Confirm your email address to finish signing up to Open Consultation: then you can respond to consultations, comment and endorse.',
      '',
      `Open this link and press "Confirm email address": ${link}`,
      '',
      'The link works once, for 48 hours. If you did not create an account, ignore this email.',
    ].join('\n'),
  });
}

/**
 * Queues the answer to a sign-up for an address that already has an account: the owner learns
 * it (and how to get in), the person signing up sees the same page as for a new address. A few
 * an hour at most, so sign-ups cannot be used to fill someone's inbox.
 */
export async function queueAlreadyHaveAccountEmail(db: Db, user: { id: string; email: string }) {
  const sends = await hitRateLimit(db, LINK_EMAILS_PER_ACCOUNT, user.id);
  if (sends.hits > LINK_EMAILS_PER_ACCOUNT.limit) return;
  await queueEmail(db, {
    userId: user.id,
    to: user.email,
    kind: 'account.already_exists',
    subject: 'You already have an account',
    text: [
      'Someone, probably you, tried to create an Open Consultation account with this email address. You already have one, so nothing has changed.',
      '',
      `Sign in: ${absoluteUrl('/login')}`,
      `Forgotten your password? Reset it: ${absoluteUrl('/account/forgot-password')}`,
      '',
      'If it was not you, you can ignore this email.',
    ].join('\n'),
  });
}

/** The signed-in person: whether their address is confirmed, and where the link went. */
export async function getEmailStatus(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const user = await db
    .selectFrom('users')
    .select(['email', 'email_verified_at'])
    .where('id', '=', me.id)
    .executeTakeFirstOrThrow();
  return { email: user.email, confirmedAt: user.email_verified_at };
}

/** The signed-in, unconfirmed person: sends a new confirmation link (rate-limited). */
export async function resendConfirmation(db: Kysely<DB>, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  const limit = await hitRateLimit(db, LINK_EMAILS_PER_ACCOUNT, me.id);
  if (limit.hits > LINK_EMAILS_PER_ACCOUNT.limit) throw tooMany(limit.retryAfterSeconds);
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'email', 'email_verified_at'])
      .where('id', '=', me.id)
      .executeTakeFirstOrThrow();
    if (user.email_verified_at) return { alreadyConfirmed: true, email: user.email };
    await queueConfirmationEmail(trx, user);
    return { alreadyConfirmed: false, email: user.email };
  });
}

/** Anyone with a link: what it would confirm, without using it (the page asks for a press). */
export async function describeEmailLink(db: Kysely<DB>, token: string) {
  return peekEmailToken(db, token, ['confirm_email', 'change_email']);
}

/**
 * Anyone with a link from an email: confirms the address (or, for a change of address, makes
 * the new one the account's and tells the old one). Each link works once.
 */
export async function confirmEmailLink(db: Kysely<DB>, token: string, ctx: RequestContext) {
  try {
    return await db.transaction().execute(async (trx) => {
      const used = await useEmailToken(trx, token, ['confirm_email', 'change_email']);
      if (!used) throw new DomainError('invalid', LINK_NOT_VALID);
      const user = await trx
        .selectFrom('users')
        .select(['id', 'email'])
        .where('id', '=', used.userId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (used.purpose === 'confirm_email') {
        // A link sent to an address the account no longer uses confirms nothing.
        if (user.email !== used.email) throw new DomainError('invalid', LINK_NOT_VALID);
        await trx
          .updateTable('users')
          .set({ email_verified_at: sql`coalesce(email_verified_at, now())` })
          .where('id', '=', user.id)
          .execute();
        await recordAudit(trx, {
          actorId: user.id,
          action: 'account.email_confirmed',
          targetType: 'user',
          targetId: user.id,
          requestId: ctx.requestId,
        });
        return { purpose: used.purpose, email: user.email, userId: user.id };
      }
      await trx
        .updateTable('users')
        .set({ email: used.email, email_verified_at: sql`now()` })
        .where('id', '=', user.id)
        .execute();
      await recordAudit(trx, {
        actorId: user.id,
        action: 'account.email_changed',
        targetType: 'user',
        targetId: user.id,
        requestId: ctx.requestId,
      });
      await queueEmail(trx, {
        userId: user.id,
        to: user.email,
        kind: 'account.email_changed',
        subject: 'The email address of your account has changed',
        text: [
          `The email address of your Open Consultation account is now ${used.email}; emails will no longer come to this address.`,
          '',
          `If you did not make this change, reset your password at ${absoluteUrl('/account/forgot-password')} and contact the organisers.`,
        ].join('\n'),
      });
      return { purpose: used.purpose, email: used.email, userId: user.id };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) {
      throw new DomainError(
        'conflict',
        'Another account now uses that email address, so it cannot become yours.',
      );
    }
    throw error;
  }
}

const RESET_SENT =
  'If an account uses that address, we have sent it a link to reset the password. The link works once, for 1 hour.';

/**
 * Anyone: emails a password reset link if an account uses the address. The answer is the same
 * either way, so nobody learns which addresses have accounts; both the address and the
 * requester's IP are rate-limited.
 */
export async function requestPasswordReset(
  db: Kysely<DB>,
  input: ForgotPasswordInput,
  ctx: RequestContext,
) {
  const [byAddress, byIp] = [
    await hitRateLimit(db, RESETS_PER_ADDRESS, input.email),
    await hitRateLimit(db, RESETS_PER_IP, ctx.clientIp),
  ];
  // Each hit counts this request: the limit-th request is still allowed.
  if (byIp.hits > RESETS_PER_IP.limit) throw tooMany(byIp.retryAfterSeconds);
  // Over the per-address limit the answer stays the same: saying so would confirm the account.
  if (byAddress.hits > RESETS_PER_ADDRESS.limit) return { message: RESET_SENT };
  await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'email'])
      .where('email', '=', input.email)
      .executeTakeFirst();
    if (!user) return;
    const token = await issueEmailToken(trx, {
      userId: user.id,
      purpose: 'reset_password',
      email: user.email,
    });
    const link = absoluteUrl(`/account/reset-password?token=${encodeURIComponent(token)}`);
    await queueEmail(trx, {
      userId: user.id,
      to: user.email,
      kind: 'account.reset_password',
      subject: 'Reset your password',
      text: [
        'Someone asked to reset the password of your Open Consultation account.',
        '',
        `To choose a new password, open ${link}`,
        '',
        'The link works once, for 1 hour. If you did not ask, ignore this email: your password has not changed.',
      ].join('\n'),
    });
  });
  return { message: RESET_SENT };
}

/** Anyone with a reset link: whether it still works. */
export async function describeResetLink(db: Kysely<DB>, token: string) {
  return peekEmailToken(db, token, ['reset_password']);
}

/**
 * Anyone with a reset link: sets a new password and ends every session of the account. The
 * link proves the address too, so it confirms it.
 */
export async function resetPassword(
  db: Kysely<DB>,
  input: ResetPasswordInput,
  ctx: RequestContext,
) {
  const link = await peekEmailToken(db, input.token, ['reset_password']);
  if (link) requireAcceptablePassword(input.password, await personOf(db, link.userId));
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    const used = await useEmailToken(trx, input.token, ['reset_password']);
    if (!used) throw new DomainError('invalid', LINK_NOT_VALID);
    const user = await trx
      .updateTable('users')
      .set({
        password_hash: passwordHash,
        email_verified_at: sql`case when email = ${used.email} then coalesce(email_verified_at, now()) else email_verified_at end`,
      })
      .where('id', '=', used.userId)
      .returning('email')
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('sessions').where('user_id', '=', used.userId).execute();
    // The owner is in again: the wait that someone else's guesses put on the account ends.
    await clearSignInAttempts(trx, user.email);
    await recordAudit(trx, {
      actorId: used.userId,
      action: 'account.password_reset',
      targetType: 'user',
      targetId: used.userId,
      requestId: ctx.requestId,
    });
  });
}

/** What a new password must not be: the account's address and the name it goes by. */
async function personOf(db: Db, userId: string) {
  const row = await db
    .selectFrom('users')
    .leftJoin('respondent_profiles', 'respondent_profiles.user_id', 'users.id')
    .select(['users.email', 'respondent_profiles.display_name'])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  return { email: row.email, displayName: row.display_name };
}

async function requireCurrentPassword(db: Db, userId: string, password: string) {
  const user = await db
    .selectFrom('users')
    .select(['password_hash', 'email'])
    .where('id', '=', userId)
    .executeTakeFirst();
  const valid = user
    ? await verifyPassword(user.password_hash, password)
    : await verifyAgainstNothing(password);
  if (!user || !valid) {
    throw new DomainError('invalid', 'Your current password is not right', {
      fieldErrors: { currentPassword: ['Your current password is not right'] },
    });
  }
  return user;
}

export const PASSWORD_CHECKS_PER_ACCOUNT: RateLimit = {
  name: 'current-password-checks',
  limit: 10,
  windowSeconds: 900,
};

/**
 * The signed-in person: changes their password after giving the current one. Every other
 * session of the account ends; this one stays signed in.
 */
export async function changePassword(
  db: Kysely<DB>,
  viewer: Viewer | null,
  input: ChangePasswordInput,
  ctx: RequestContext,
) {
  const me = requireSignedIn(viewer);
  const limit = await hitRateLimit(db, PASSWORD_CHECKS_PER_ACCOUNT, me.id);
  if (limit.hits > PASSWORD_CHECKS_PER_ACCOUNT.limit) throw tooMany(limit.retryAfterSeconds);
  await requireCurrentPassword(db, me.id, input.currentPassword);
  requireAcceptablePassword(input.password, await personOf(db, me.id));
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', me.id)
      .execute();
    await trx
      .deleteFrom('sessions')
      .where('user_id', '=', me.id)
      .where('id', '!=', hashSessionId(me.sessionId))
      .execute();
    await recordAudit(trx, {
      actorId: me.id,
      action: 'account.password_changed',
      targetType: 'user',
      targetId: me.id,
      requestId: ctx.requestId,
    });
  });
}

/**
 * The signed-in person: asks to move the account to a new address, after giving the current
 * password. Nothing changes until the link sent to the new address is used.
 */
export async function requestEmailChange(
  db: Kysely<DB>,
  viewer: Viewer | null,
  input: ChangeEmailInput,
) {
  const me = requireSignedIn(viewer);
  const limit = await hitRateLimit(db, PASSWORD_CHECKS_PER_ACCOUNT, me.id);
  if (limit.hits > PASSWORD_CHECKS_PER_ACCOUNT.limit) throw tooMany(limit.retryAfterSeconds);
  const user = await requireCurrentPassword(db, me.id, input.currentPassword);
  if (user.email === input.email) {
    throw new DomainError('invalid', 'That is already your email address', {
      fieldErrors: { email: ['That is already your email address. Enter a different one.'] },
    });
  }
  const sends = await hitRateLimit(db, LINK_EMAILS_PER_ACCOUNT, me.id);
  if (sends.hits > LINK_EMAILS_PER_ACCOUNT.limit) throw tooMany(sends.retryAfterSeconds);
  await db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where('email', '=', input.email)
      .executeTakeFirst();
    if (taken) {
      throw new DomainError('conflict', 'Another account uses that email address', {
        fieldErrors: { email: ['Another account uses that email address. Enter a different one.'] },
      });
    }
    const token = await issueEmailToken(trx, {
      userId: me.id,
      purpose: 'change_email',
      email: input.email,
    });
    const link = absoluteUrl(`/account/confirm-email?token=${encodeURIComponent(token)}`);
    await queueEmail(trx, {
      userId: me.id,
      to: input.email,
      kind: 'account.change_email',
      subject: 'Confirm your new email address',
      text: [
        'You asked to use this address for your Open Consultation account.',
        '',
        `To confirm it, open this link and press "Confirm email address": ${link}`,
        '',
        'The link works once, for 24 hours. Until then your account keeps its current address.',
      ].join('\n'),
    });
  });
  return { email: input.email };
}

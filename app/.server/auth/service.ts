import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { SignInInput, SignUpInput } from '~/lib/schemas/accounts';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { DomainError, isUniqueViolation } from '../errors';
import { queueConfirmationEmail } from './account';
import { tryAgainIn } from '~/lib/wait';
import {
  hitRateLimit,
  peekBucket,
  peekRateLimit,
  resetRateLimit,
  takeToken,
  type RateLimit,
  type TokenBucket,
} from '../rate-limits';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './password';
import { lucia, readSessionId } from './session';

export const SIGN_IN_FAILURES_PER_ACCOUNT: RateLimit = {
  name: 'sign-in-failures-account',
  limit: 5,
  windowSeconds: 60,
};
// Offices and universities share an address, so the per-address allowance is wider.
export const SIGN_IN_FAILURES_PER_IP: RateLimit = {
  name: 'sign-in-failures-ip',
  limit: 20,
  windowSeconds: 60,
};
/**
 * Accounts made from one address: a room of 30 at an event on one network can all sign up at
 * once, then one more a minute. Bulk fake accounts are stopped by email verification, not by
 * making a room wait.
 */
export const SIGN_UPS_PER_IP: TokenBucket = {
  name: 'sign-ups-ip',
  burst: 30,
  refillEverySeconds: 60,
};
/**
 * Refused sign-ups from one address (an email already registered): counted apart from the
 * successes, so a room's typos never use up its sign-ups, while someone probing which addresses
 * have accounts is slowed after 20.
 */
export const FAILED_SIGN_UPS_PER_IP: TokenBucket = {
  name: 'failed-sign-ups-ip',
  burst: 20,
  refillEverySeconds: 180,
};

export const BAD_CREDENTIALS = 'The email address or password is not right';

function tooManyAttempts(retryAfterSeconds: number) {
  return new DomainError('rate_limited', `Too many attempts. ${tryAgainIn(retryAfterSeconds)}`, {
    retryAfterSeconds,
  });
}

function tooManySignUps(retryAfterSeconds: number) {
  return new DomainError(
    'rate_limited',
    `Too many accounts have been made from this network in a short time. ${tryAgainIn(retryAfterSeconds)}`,
    { retryAfterSeconds },
  );
}

/**
 * Anyone may sign up; creates the account, its respondent profile and a session at once, and
 * queues the email that confirms the address. A success takes a token from the address's sign-up bucket inside the transaction (so a refused
 * sign-up gives it back); a refusal takes one from the failures bucket instead.
 */
export async function signUp(db: Kysely<DB>, input: SignUpInput, ctx: RequestContext) {
  // Peeks first, so a refused request does not cost a password hash.
  const [failures, successes] = await Promise.all([
    peekBucket(db, FAILED_SIGN_UPS_PER_IP, ctx.clientIp),
    peekBucket(db, SIGN_UPS_PER_IP, ctx.clientIp),
  ]);
  if (!failures.allowed) throw tooManyAttempts(failures.retryAfterSeconds);
  if (!successes.allowed) throw tooManySignUps(successes.retryAfterSeconds);

  const passwordHash = await hashPassword(input.password);
  let userId: string;
  try {
    userId = await db.transaction().execute(async (trx) => {
      // Taken again here, atomically: two sign-ups that both passed the peek cannot both take
      // the last token.
      const token = await takeToken(trx, SIGN_UPS_PER_IP, ctx.clientIp);
      if (!token.allowed) throw tooManySignUps(token.retryAfterSeconds);
      const user = await trx
        .insertInto('users')
        .values({ email: input.email, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('respondent_profiles')
        .values({
          user_id: user.id,
          display_name: input.displayName,
          organisation: input.organisation,
          segment: input.segment,
          segment_other: input.segmentOther,
        })
        .execute();
      await recordAudit(trx, {
        actorId: user.id,
        action: 'account.created',
        targetType: 'user',
        targetId: user.id,
        after: { segment: input.segment },
        requestId: ctx.requestId,
      });
      await queueConfirmationEmail(trx, { id: user.id, email: input.email });
      return user.id;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key')) {
      await takeToken(db, FAILED_SIGN_UPS_PER_IP, ctx.clientIp);
      throw new DomainError('conflict', 'An account already exists for this email address', {
        fieldErrors: {
          email: ['An account already exists for this email address. Sign in instead.'],
        },
      });
    }
    throw error;
  }
  const session = await lucia(db).createSession(userId, {});
  return { userId, cookie: lucia(db).createSessionCookie(session.id).serialize() };
}

/**
 * Anyone may sign in. Failures count against both the account and the address; the error never
 * says whether the account exists.
 */
export async function signIn(db: Kysely<DB>, input: SignInInput, ctx: RequestContext) {
  const [byAccount, byIp] = await Promise.all([
    peekRateLimit(db, SIGN_IN_FAILURES_PER_ACCOUNT, input.email),
    peekRateLimit(db, SIGN_IN_FAILURES_PER_IP, ctx.clientIp),
  ]);
  if (byAccount.limited || byIp.limited) {
    throw tooManyAttempts(Math.max(byAccount.retryAfterSeconds, byIp.retryAfterSeconds));
  }

  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('email', '=', input.email)
    .executeTakeFirst();
  const valid = user
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyAgainstNothing(input.password);

  if (!user || !valid) {
    // The failure is counted; the limit bites on the next attempt, so the fifth wrong password
    // still reads as a wrong password.
    await hitRateLimit(db, SIGN_IN_FAILURES_PER_ACCOUNT, input.email);
    await hitRateLimit(db, SIGN_IN_FAILURES_PER_IP, ctx.clientIp);
    throw new DomainError('invalid', BAD_CREDENTIALS);
  }

  await resetRateLimit(db, SIGN_IN_FAILURES_PER_ACCOUNT, input.email);
  const session = await lucia(db).createSession(user.id, {});
  return { userId: user.id, cookie: lucia(db).createSessionCookie(session.id).serialize() };
}

/** Ends the request's session, if any, and returns the cookie that clears it. */
export async function signOut(db: Kysely<DB>, request: Request) {
  const auth = lucia(db);
  const sessionId = readSessionId(db, request);
  if (sessionId) await auth.invalidateSession(sessionId);
  return auth.createBlankSessionCookie().serialize();
}

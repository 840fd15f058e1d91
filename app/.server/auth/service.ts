import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type { SignInInput, SignUpInput } from '~/lib/schemas/accounts';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { DomainError, isUniqueViolation } from '../errors';
import { confirmEmailLink, queueAlreadyHaveAccountEmail, queueConfirmationEmail } from './account';
import { tryAgainIn } from '~/lib/wait';
import { peekBucket, takeToken, type TokenBucket } from '../rate-limits';
import { requireAcceptablePassword } from './password-rules';
import { signInSucceeded, takeSignInAttempt } from './sign-in-limits';
import { hashPassword, verifyAgainstNothing, verifyPassword } from './password';
import { lucia, readSessionId, type Viewer } from './session';

/**
 * Sign-ups from one address: a room of 30 at an event on one network can all sign up at once,
 * then one more a minute. Bulk fake accounts are stopped by email verification, not by making a
 * room wait. A sign-up for an address that already has an account takes a token too, so the two
 * cannot be told apart.
 */
export const SIGN_UPS_PER_IP: TokenBucket = {
  name: 'sign-ups-ip',
  burst: 30,
  refillEverySeconds: 60,
};

export const BAD_CREDENTIALS = 'The email address or password is not right';

function tooManySignUps(retryAfterSeconds: number) {
  return new DomainError(
    'rate_limited',
    `Too many accounts have been made from this network in a short time. ${tryAgainIn(retryAfterSeconds)}`,
    { retryAfterSeconds },
  );
}

/**
 * Anyone may sign up, and every sign-up answers the same way ("check your email"), so nobody
 * learns which addresses have accounts. A new address gets an unconfirmed account, its
 * respondent profile and the email whose link confirms it and signs in (then goes on to
 * `redirectTo`); an address with an account gets nothing new, and its owner an email saying so
 * with the sign-in and reset links. Both hash the password and take a token from the address's
 * bucket inside the transaction; no session is given here.
 */
export async function signUp(db: Kysely<DB>, input: SignUpInput, ctx: RequestContext) {
  requireAcceptablePassword(input.password, input);
  // Peeks first, so a refused request does not cost a password hash.
  const bucket = await peekBucket(db, SIGN_UPS_PER_IP, ctx.clientIp);
  if (!bucket.allowed) throw tooManySignUps(bucket.retryAfterSeconds);
  const passwordHash = await hashPassword(input.password);
  for (let attempt = 1; ; attempt++) {
    try {
      await db.transaction().execute((trx) => signUpOnce(trx, input, passwordHash, ctx));
      return { email: input.email };
    } catch (error) {
      // Two sign-ups for one new address at once: the other made the account, so this one is
      // now a sign-up for an existing address.
      if (attempt < 2 && isUniqueViolation(error, 'users_email_key')) continue;
      throw error;
    }
  }
}

async function signUpOnce(
  trx: Transaction<DB>,
  input: SignUpInput,
  passwordHash: string,
  ctx: RequestContext,
) {
  // Taken again here, atomically: two sign-ups that both passed the peek cannot both take the
  // last token.
  const token = await takeToken(trx, SIGN_UPS_PER_IP, ctx.clientIp);
  if (!token.allowed) throw tooManySignUps(token.retryAfterSeconds);
  const existing = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email', '=', input.email)
    .executeTakeFirst();
  if (existing) {
    await queueAlreadyHaveAccountEmail(trx, existing);
    return;
  }
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
  await queueConfirmationEmail(trx, { id: user.id, email: input.email }, input.redirectTo);
}

/**
 * Anyone may sign in. Each attempt is counted before the password is checked (per account and
 * per address, see sign-in-limits.ts); the error never says whether the account exists.
 */
export async function signIn(db: Kysely<DB>, input: SignInInput, ctx: RequestContext) {
  await takeSignInAttempt(db, input.email, ctx.clientIp);

  const user = await db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('email', '=', input.email)
    .executeTakeFirst();
  const valid = user
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyAgainstNothing(input.password);

  if (!user || !valid) throw new DomainError('invalid', BAD_CREDENTIALS);

  await signInSucceeded(db, input.email, ctx.clientIp);
  const session = await lucia(db).createSession(user.id, {});
  return { userId: user.id, cookie: lucia(db).createSessionCookie(session.id).serialize() };
}

/**
 * Anyone with a link from an email: uses it (see confirmEmailLink). A sign-up's confirmation
 * link also signs its owner in, as the end of signing up; with someone else signed in on this
 * browser it confirms only, so a link sent to another person cannot swap their session.
 */
export async function followConfirmationLink(
  db: Kysely<DB>,
  token: string,
  viewer: Viewer | null,
  ctx: RequestContext,
) {
  const confirmed = await confirmEmailLink(db, token, ctx);
  if (confirmed.purpose !== 'confirm_email' || viewer) return { ...confirmed, cookie: null };
  const session = await lucia(db).createSession(confirmed.userId, {});
  return { ...confirmed, cookie: lucia(db).createSessionCookie(session.id).serialize() };
}

/** Ends the request's session, if any, and returns the cookie that clears it. */
export async function signOut(db: Kysely<DB>, request: Request) {
  const auth = lucia(db);
  const sessionId = readSessionId(db, request);
  if (sessionId) await auth.invalidateSession(sessionId);
  return auth.createBlankSessionCookie().serialize();
}

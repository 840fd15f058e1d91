import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { tryAgainIn } from '~/lib/wait';
import { DomainError } from '../errors';
import {
  hitRateLimit,
  refundRateLimit,
  resetRateLimit,
  takeAttempt,
  type ProgressiveLimit,
  type RateLimit,
} from '../rate-limits';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Sign-in attempts on one account (by the address typed, whether or not it has an account): five
 * at once, then a wait of 1, 2, 4… minutes between attempts, at most an hour, forgotten after a
 * day without one. Counted before the password is checked, so simultaneous guesses take turns.
 * The owner is never stuck: a password reset clears the count, and the refusal says so.
 */
export const SIGN_IN_ATTEMPTS_PER_ACCOUNT: ProgressiveLimit = {
  name: 'sign-in-attempts-account',
  free: 5,
  baseDelaySeconds: 60,
  maxDelaySeconds: 3600,
  forgetAfterSeconds: 24 * 3600,
};

/**
 * Failed sign-ins from one address, across accounts: credential stuffing tries many accounts.
 * A whole office shares an address, and one account's failures are already held to a few an
 * hour by the per-account limit, so this ceiling is wide, and successes give their hit back.
 */
export const SIGN_IN_FAILURES_PER_IP: RateLimit = {
  name: 'sign-in-failures-ip',
  limit: 100,
  windowSeconds: 900,
};

const RESET_LINK = { href: '/account/forgot-password', text: 'Reset your password' };

/**
 * Takes one attempt from the address and one from the account before a password is checked;
 * refuses (429) when either is used up, taking nothing from the other.
 */
export async function takeSignInAttempt(db: Kysely<DB>, email: string, clientIp: string) {
  const byIp = await hitRateLimit(db, SIGN_IN_FAILURES_PER_IP, clientIp);
  if (byIp.hits > SIGN_IN_FAILURES_PER_IP.limit) {
    throw new DomainError(
      'rate_limited',
      `Too many failed sign-ins from this network. ${tryAgainIn(byIp.retryAfterSeconds)}`,
      { retryAfterSeconds: byIp.retryAfterSeconds },
    );
  }
  const byAccount = await takeAttempt(db, SIGN_IN_ATTEMPTS_PER_ACCOUNT, email);
  if (!byAccount.allowed) {
    await refundRateLimit(db, SIGN_IN_FAILURES_PER_IP, clientIp);
    throw new DomainError(
      'rate_limited',
      `Too many wrong passwords for this account. ${tryAgainIn(byAccount.retryAfterSeconds)} Or reset your password to sign in now.`,
      { retryAfterSeconds: byAccount.retryAfterSeconds, link: RESET_LINK },
    );
  }
}

/** A right password: the attempt was not a failure, so the address gets it back. */
export async function signInSucceeded(db: Db, email: string, clientIp: string) {
  await clearSignInAttempts(db, email);
  await refundRateLimit(db, SIGN_IN_FAILURES_PER_IP, clientIp);
}

/** Forgets the account's failed attempts (a right password, or a completed password reset). */
export async function clearSignInAttempts(db: Db, email: string) {
  await resetRateLimit(db, SIGN_IN_ATTEMPTS_PER_ACCOUNT, email);
}

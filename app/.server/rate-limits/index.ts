import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export type RateLimit = { name: string; limit: number; windowSeconds: number };

export type RateLimitState = { hits: number; limited: boolean; retryAfterSeconds: number };

// A library such as rate-limiter-flexible keeps its Postgres state through a `pg` client of its
// own (RateLimiterPostgres creates and queries its table itself); we need the same counters on
// PGlite and pg through Kysely, inside our transactions (a refused sign-up gives its token back by
// rolling back), so a fixed-window counter and a token bucket, one upsert each, are the smaller
// piece.

function state(rule: RateLimit, row: { hits: number; window_started_at: Date } | undefined) {
  if (!row) return { hits: 0, limited: false, retryAfterSeconds: 0 };
  const endsAt = row.window_started_at.getTime() + rule.windowSeconds * 1000;
  const remaining = Math.ceil((endsAt - Date.now()) / 1000);
  if (remaining <= 0) return { hits: 0, limited: false, retryAfterSeconds: 0 };
  return {
    hits: row.hits,
    limited: row.hits >= rule.limit,
    retryAfterSeconds: row.hits >= rule.limit ? remaining : 0,
  };
}

/** Reads a counter without counting. */
export async function peekRateLimit(
  db: Kysely<DB>,
  rule: RateLimit,
  subject: string,
): Promise<RateLimitState> {
  const row = await db
    .selectFrom('rate_limits')
    .select(['hits', 'window_started_at'])
    .where('key', '=', `${rule.name}:${subject}`)
    .executeTakeFirst();
  return state(rule, row);
}

/** Counts one hit atomically (safe across app instances) and reports whether the limit is hit. */
export async function hitRateLimit(
  db: Db,
  rule: RateLimit,
  subject: string,
): Promise<RateLimitState> {
  const window = sql`make_interval(secs => ${rule.windowSeconds})`;
  const row = await db
    .insertInto('rate_limits')
    .values({ key: `${rule.name}:${subject}`, window_started_at: sql`now()`, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`case when rate_limits.window_started_at <= now() - ${window} then 1
          else rate_limits.hits + 1 end`,
        window_started_at: sql`case when rate_limits.window_started_at <= now() - ${window}
          then now() else rate_limits.window_started_at end`,
      }),
    )
    .returning(['hits', 'window_started_at'])
    .executeTakeFirstOrThrow();
  return state(rule, row);
}

export async function resetRateLimit(db: Db, rule: { name: string }, subject: string) {
  await db.deleteFrom('rate_limits').where('key', '=', `${rule.name}:${subject}`).execute();
}

/**
 * Attempts that grow slower instead of stopping: `free` attempts, then each further one waits
 * `baseDelaySeconds`, doubling per attempt up to `maxDelaySeconds`. The count is forgotten after
 * `forgetAfterSeconds` without an attempt. Nobody is ever locked out for good, and an attacker
 * guessing one account gets a handful of guesses an hour.
 */
export type ProgressiveLimit = {
  name: string;
  free: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
};

export type AttemptState = { allowed: boolean; attempts: number; retryAfterSeconds: number };

function secondsAgo(seconds: number) {
  return sql<Date>`now() - make_interval(secs => ${seconds})`;
}

/** When the next attempt may start, given `hits` earlier ones (the last at `rate_limits.window_started_at`). */
function nextAllowedAt(rule: ProgressiveLimit) {
  return sql<Date>`rate_limits.window_started_at + make_interval(secs => least(
    ${rule.maxDelaySeconds}::float8,
    ${rule.baseDelaySeconds}::float8 * power(2::float8, (rate_limits.hits - ${rule.free})::float8)))`;
}

/**
 * Counts one attempt before it is made, in one statement (the upsert locks the row, so any
 * number of simultaneous attempts take turns): it is allowed while under `free`, or once the
 * wait since the last attempt has passed. A refused attempt counts nothing, so hammering does
 * not push the wait back.
 */
export async function takeAttempt(
  db: Db,
  rule: ProgressiveLimit,
  subject: string,
): Promise<AttemptState> {
  const key = `${rule.name}:${subject}`;
  const forgotten = sql<boolean>`rate_limits.window_started_at <= ${secondsAgo(rule.forgetAfterSeconds)}`;
  const taken = await db
    .insertInto('rate_limits')
    .values({ key, window_started_at: sql`now()`, hits: 1 })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          hits: sql`case when ${forgotten} then 1 else rate_limits.hits + 1 end`,
          window_started_at: sql`now()`,
        })
        .where(
          sql<boolean>`${forgotten} or rate_limits.hits < ${rule.free}
            or ${nextAllowedAt(rule)} <= now()`,
        ),
    )
    .returning('hits')
    .executeTakeFirst();
  if (taken) return { allowed: true, attempts: taken.hits, retryAfterSeconds: 0 };
  const row = await db
    .selectFrom('rate_limits')
    .select([
      'hits',
      sql<number>`extract(epoch from (${nextAllowedAt(rule)} - now()))::float8`.as('wait'),
    ])
    .where('key', '=', key)
    .executeTakeFirst();
  return {
    allowed: false,
    attempts: row?.hits ?? 0,
    // Allowed again between the two statements: "1 minute" rather than a wait of nothing.
    retryAfterSeconds: Math.max(1, Math.ceil(Number(row?.wait ?? 1))),
  };
}

/** Gives back one hit of a fixed-window counter (an attempt that turned out to be fine). */
export async function refundRateLimit(db: Db, rule: RateLimit, subject: string) {
  await db
    .updateTable('rate_limits')
    .set({ hits: sql`greatest(hits - 1, 0)` })
    .where('key', '=', `${rule.name}:${subject}`)
    .execute();
}

/**
 * A token bucket: `burst` requests at once (a room of people on one network), then one more every
 * `refillEverySeconds`. Unlike a fixed window it never makes a whole room wait an hour.
 */
export type TokenBucket = { name: string; burst: number; refillEverySeconds: number };

export type BucketState = { allowed: boolean; retryAfterSeconds: number };

/** Tokens available now: what was left plus the refill since, never more than the burst. */
function available(bucket: TokenBucket) {
  return sql<number>`least(${bucket.burst}::float8, rate_limit_buckets.tokens +
    extract(epoch from (now() - rate_limit_buckets.updated_at))::float8
      / ${bucket.refillEverySeconds}::float8)`;
}

function waitFor(bucket: TokenBucket, tokens: number) {
  return Math.max(1, Math.ceil((1 - tokens) * bucket.refillEverySeconds));
}

/** Whether a token is there, without taking it. */
export async function peekBucket(
  db: Db,
  bucket: TokenBucket,
  subject: string,
): Promise<BucketState> {
  const row = await db
    .selectFrom('rate_limit_buckets')
    .select(available(bucket).as('tokens'))
    .where('key', '=', `${bucket.name}:${subject}`)
    .executeTakeFirst();
  if (!row || Number(row.tokens) >= 1) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: waitFor(bucket, Number(row.tokens)) };
}

/**
 * Takes one token in one statement (safe across app instances: the upsert locks the row). A
 * refused request takes nothing, so hammering an empty bucket does not push the wait back. Inside
 * a transaction the token comes back if the transaction rolls back.
 */
export async function takeToken(
  db: Db,
  bucket: TokenBucket,
  subject: string,
): Promise<BucketState> {
  const taken = await db
    .insertInto('rate_limit_buckets')
    .values({
      key: `${bucket.name}:${subject}`,
      tokens: bucket.burst - 1,
      updated_at: sql`now()`,
    })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ tokens: sql`${available(bucket)} - 1`, updated_at: sql`now()` })
        .where(available(bucket), '>=', 1),
    )
    .returning('tokens')
    .executeTakeFirst();
  if (taken) return { allowed: true, retryAfterSeconds: 0 };
  return peekBucket(db, bucket, subject).then((state) =>
    // Refilled between the two statements: say "1 minute" rather than "allowed" to a refusal.
    state.allowed ? { allowed: false, retryAfterSeconds: 1 } : state,
  );
}

/** Longer than any rule's window: a row this old counts nothing and can go. */
const SWEEP_AFTER_SECONDS = 24 * 3600;

/**
 * Deletes counters whose window ended long ago, so the table holds only recent visitors. Run at
 * start and hourly rather than on every hit, which is the hot path.
 */
export async function sweepRateLimits(db: Kysely<DB>) {
  const result = await db
    .deleteFrom('rate_limits')
    .where(
      'window_started_at',
      '<',
      sql<Date>`now() - make_interval(secs => ${SWEEP_AFTER_SECONDS})`,
    )
    .executeTakeFirst();
  // Every bucket is full again well within a day (the largest refills in about an hour), and a
  // missing bucket is a full one.
  const buckets = await db
    .deleteFrom('rate_limit_buckets')
    .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${SWEEP_AFTER_SECONDS})`)
    .executeTakeFirst();
  return Number(result.numDeletedRows) + Number(buckets.numDeletedRows);
}

import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema';

export type RateLimit = { name: string; limit: number; windowSeconds: number };

export type RateLimitState = { hits: number; limited: boolean; retryAfterSeconds: number };

// A library such as rate-limiter-flexible keeps its Postgres state through a `pg` client of its
// own; we need the same counters on PGlite and pg through Kysely, inside our transactions, so a
// fixed-window counter in one table (one upsert per hit) is the smaller piece.

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
  db: Kysely<DB>,
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

export async function resetRateLimit(db: Kysely<DB>, rule: RateLimit, subject: string) {
  await db.deleteFrom('rate_limits').where('key', '=', `${rule.name}:${subject}`).execute();
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
  return Number(result.numDeletedRows);
}

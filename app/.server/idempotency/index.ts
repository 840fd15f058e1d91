import { sql, type Transaction } from 'kysely';
import type { DB } from '#db/schema';

// Retrying the same form is safe: each form carries a key made when its page was shown, and the
// first request sent with that key claims it and stores its answer in the same transaction as
// the change. A retry (a double click, "Try again" after an error page, a resent request) gets
// that answer back and writes nothing; a form shown afresh has a new key and is a new action.

/** Long enough for any retry; short enough that the keys are no history of what people did. */
const KEPT_HOURS = 24;

export type KeyedWrite = {
  userId: string;
  /** The form's key; without one (an older page, a script) the write simply runs. */
  key: string | null | undefined;
  /** What the form does and to what, so one page's key can serve each of its forms. */
  action: string;
  targetId: string;
  consultationId: string;
};

function matching(write: KeyedWrite & { key: string }) {
  return {
    user_id: write.userId,
    key: write.key,
    action: write.action,
    target_id: write.targetId,
  } as const;
}

/**
 * Runs `change` once per key, inside the caller's transaction: the first request claims the key
 * and stores what `change` returned; a later or simultaneous one with the same key waits for the
 * first, then returns its result without running. Call it before any rule that can change
 * between a first attempt and its retry (the closing date), so the retry reports what happened.
 * A failed change rolls the claim back with everything else, so its retry runs afresh.
 */
export async function onceForKey<R>(
  trx: Transaction<DB>,
  write: KeyedWrite,
  change: () => Promise<R>,
): Promise<R> {
  if (!write.key) return change();
  const where = matching({ ...write, key: write.key });
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values({ ...where, consultation_id: write.consultationId })
    .onConflict((oc) => oc.columns(['user_id', 'key', 'action', 'target_id']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!claimed) {
    // The claim that won has committed (the insert waited for it), so its result is there.
    const earlier = await trx
      .selectFrom('idempotency_keys')
      .select('result')
      .where((eb) => eb.and(where))
      .executeTakeFirstOrThrow();
    return earlier.result as R;
  }
  const result = await change();
  await trx
    // The person's keys past their time go here, skipping any another request holds.
    .with('expired', (db) =>
      db
        .deleteFrom('idempotency_keys')
        .where('user_id', '=', where.user_id)
        .where(({ eb, refTuple, selectFrom }) =>
          eb(
            refTuple('key', 'action', 'target_id'),
            'in',
            selectFrom('idempotency_keys')
              .select(['key', 'action', 'target_id'])
              .where('user_id', '=', where.user_id)
              .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${KEPT_HOURS})`)
              .forUpdate()
              .skipLocked()
              .$asTuple('key', 'action', 'target_id'),
          ),
        ),
    )
    .updateTable('idempotency_keys')
    .set({ result: JSON.stringify(result ?? null) })
    .where((eb) => eb.and(where))
    .execute();
  return result;
}

/** For the retention purge: the keys of a consultation's forms link people to what they did. */
export async function forgetConsultationKeys(trx: Transaction<DB>, consultationId: string) {
  await trx.deleteFrom('idempotency_keys').where('consultation_id', '=', consultationId).execute();
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';

type Db = Kysely<DB> | Transaction<DB>;

const SUSPENSION_COLUMNS = [
  'suspensions.id',
  'suspensions.user_id',
  'suspensions.reason',
  'suspensions.starts_at',
  'suspensions.ends_at',
  'suspensions.created_by',
  'suspensions.lifted_at',
  'suspensions.lift_reason',
  'suspensions.created_at',
] as const;

/** The suspension in force for an account now (by the database clock), if any. */
/** The account's suspensions in force now (not lifted, started, not run out). */
export function activeSuspensions(db: Db, userId: string) {
  return db
    .selectFrom('suspensions')
    .where('user_id', '=', userId)
    .where('lifted_at', 'is', null)
    .where('starts_at', '<=', sql<Date>`now()`)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', sql<Date>`now()`)]));
}

export async function findActiveSuspension(db: Db, userId: string) {
  return activeSuspensions(db, userId).select(SUSPENSION_COLUMNS).executeTakeFirst();
}

/** The account's suspension not yet lifted (active or run out), locked for a change. */
export async function lockUnliftedSuspension(db: Db, userId: string) {
  return db
    .selectFrom('suspensions')
    .select([
      ...SUSPENSION_COLUMNS,
      sql<boolean>`ends_at is not null and ends_at <= now()`.as('ended'),
    ])
    .where('user_id', '=', userId)
    .where('lifted_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

function accountQuery(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'users.id')
    .select([
      'users.id',
      'users.email',
      'users.created_at',
      'respondent_profiles.display_name',
      'respondent_profiles.organisation',
      'respondent_profiles.segment',
      'respondent_profiles.verified',
      'respondent_profiles.verified_role',
    ])
    .where('users.id', '=', userId);
}

/** Locks the account row, so two organisers acting on one account take turns. */
export async function lockAccount(db: Db, userId: string) {
  return accountQuery(db, userId).forUpdate(['users']).executeTakeFirst();
}

export async function findAccount(db: Db, userId: string) {
  return accountQuery(db, userId).executeTakeFirst();
}

export async function findAccountIdByEmail(db: Db, email: string) {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function hasStaffRole(db: Db, userId: string) {
  const row = await db
    .selectFrom('role_grants')
    .select('id')
    .where('user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

export async function insertSuspension(
  db: Db,
  values: { userId: string; reason: string; endsAt: Date | null; createdBy: string },
) {
  return db
    .insertInto('suspensions')
    .values({
      user_id: values.userId,
      reason: values.reason,
      ends_at: values.endsAt,
      created_by: values.createdBy,
    })
    .returning(['id', 'starts_at', 'ends_at'])
    .executeTakeFirstOrThrow();
}

/** Closes a suspension; `by` null means it ran out on its own. */
export async function closeSuspension(
  db: Db,
  suspensionId: string,
  values: { by: string | null; reason: string; at?: Date },
) {
  await db
    .updateTable('suspensions')
    .set({
      lifted_at: values.at ?? sql<Date>`now()`,
      lifted_by: values.by,
      lift_reason: values.reason,
    })
    .where('id', '=', suspensionId)
    .execute();
}

export async function deleteSessions(db: Db, userId: string) {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Hides every published or held comment of the author under this suspension, remembering each
 * one's status. Returns the hidden comments with their consultations.
 */
export async function hideCommentsOf(db: Db, suspensionId: string, userId: string) {
  const comments = await db
    .selectFrom('comments')
    .select(['id', 'status', 'consultation_id'])
    .where('author_id', '=', userId)
    .where('status', 'in', ['visible', 'held'])
    .orderBy('id')
    .forUpdate()
    .execute();
  if (comments.length === 0) return [];
  await db
    .insertInto('suspension_hidden_comments')
    .values(
      comments.map((c) => ({
        suspension_id: suspensionId,
        comment_id: c.id,
        previous_status: c.status as 'visible' | 'held',
      })),
    )
    .onConflict((oc) => oc.columns(['suspension_id', 'comment_id']).doNothing())
    .execute();
  await db
    .updateTable('comments')
    .set({ status: 'hidden' })
    .where(
      'id',
      'in',
      comments.map((c) => c.id),
    )
    .execute();
  return comments;
}

/**
 * Puts back the comments this suspension hid, unless someone has changed them since (a
 * moderator's decision or the author's deletion wins over the undo).
 */
export async function restoreCommentsOf(db: Db, suspensionId: string) {
  const rows = await db
    .selectFrom('suspension_hidden_comments as h')
    .innerJoin('comments', 'comments.id', 'h.comment_id')
    .select(['h.comment_id', 'h.previous_status', 'comments.status', 'comments.consultation_id'])
    .where('h.suspension_id', '=', suspensionId)
    .where('h.restored_at', 'is', null)
    .orderBy('h.comment_id')
    .forUpdate()
    .execute();
  const restored = rows.filter((r) => r.status === 'hidden');
  for (const status of ['visible', 'held'] as const) {
    const ids = restored.filter((r) => r.previous_status === status).map((r) => r.comment_id);
    if (ids.length) {
      await db.updateTable('comments').set({ status }).where('id', 'in', ids).execute();
    }
  }
  if (rows.length) {
    await db
      .updateTable('suspension_hidden_comments')
      .set({ restored_at: sql<Date>`now()` })
      .where('suspension_id', '=', suspensionId)
      .where('restored_at', 'is', null)
      .execute();
  }
  return restored;
}

/** Suspensions whose hidden comments have not been put back yet. */
export async function countHiddenBySuspension(db: Db, suspensionIds: string[]) {
  if (suspensionIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('suspension_hidden_comments')
    .select(['suspension_id', sql<number>`count(*)::int`.as('n')])
    .where('suspension_id', 'in', suspensionIds)
    .where('restored_at', 'is', null)
    .groupBy('suspension_id')
    .execute();
  return new Map(rows.map((r) => [r.suspension_id, r.n]));
}

export async function listSuspensionsOf(db: Db, userId: string) {
  return db
    .selectFrom('suspensions')
    .leftJoin('respondent_profiles as by', 'by.user_id', 'suspensions.created_by')
    .leftJoin('respondent_profiles as lifter', 'lifter.user_id', 'suspensions.lifted_by')
    .select([
      ...SUSPENSION_COLUMNS,
      'by.display_name as created_by_name',
      'lifter.display_name as lifted_by_name',
    ])
    .where('suspensions.user_id', '=', userId)
    .orderBy('suspensions.created_at', 'desc')
    .execute();
}

export async function countPublicComments(db: Db, userId: string) {
  const row = await db
    .selectFrom('comments')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('author_id', '=', userId)
    .where('status', 'in', ['visible', 'held'])
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Accounts suspended now, soonest-ending last (permanent ones first). */
export async function listActiveSuspensions(db: Db) {
  return db
    .selectFrom('suspensions')
    .innerJoin('users', 'users.id', 'suspensions.user_id')
    .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'suspensions.user_id')
    .select([...SUSPENSION_COLUMNS, 'users.email', 'respondent_profiles.display_name'])
    .where('suspensions.lifted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('suspensions.ends_at', 'is', null),
        eb('suspensions.ends_at', '>', sql<Date>`now()`),
      ]),
    )
    .orderBy(sql`suspensions.ends_at desc nulls first`)
    .orderBy('suspensions.id')
    .limit(200)
    .execute();
}

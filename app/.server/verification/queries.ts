import type { Kysely, Transaction } from 'kysely';
import type { DB, VerificationStatus } from '#db/schema';
import { keysetTime, pastKeyset } from '../keyset';

type Db = Kysely<DB> | Transaction<DB>;

const REQUEST_COLUMNS = [
  'verification_requests.id',
  'verification_requests.user_id',
  'verification_requests.organisation',
  'verification_requests.role',
  'verification_requests.evidence',
  'verification_requests.evidence_url',
  'verification_requests.status',
  'verification_requests.decided_at',
  'verification_requests.decision_note',
  'verification_requests.created_at',
] as const;

export async function insertRequest(
  db: Db,
  values: {
    userId: string;
    organisation: string;
    role: string;
    evidence: string;
    evidenceUrl: string | null;
  },
) {
  return db
    .insertInto('verification_requests')
    .values({
      user_id: values.userId,
      organisation: values.organisation,
      role: values.role,
      evidence: values.evidence,
      evidence_url: values.evidenceUrl,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** A person's requests, newest first. */
export async function listRequestsOf(db: Db, userId: string) {
  return db
    .selectFrom('verification_requests')
    .select(REQUEST_COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
}

export async function findRequest(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('verification_requests')
    .innerJoin('users', 'users.id', 'verification_requests.user_id')
    .innerJoin(
      'respondent_profiles',
      'respondent_profiles.user_id',
      'verification_requests.user_id',
    )
    .leftJoin(
      'respondent_profiles as decider',
      'decider.user_id',
      'verification_requests.decided_by',
    )
    .select([
      ...REQUEST_COLUMNS,
      'users.email',
      'respondent_profiles.display_name',
      'respondent_profiles.segment',
      'respondent_profiles.organisation as profile_organisation',
      'respondent_profiles.verified as profile_verified',
      'decider.display_name as decided_by_name',
    ])
    .where('verification_requests.id', '=', id);
  if (options.forUpdate) query = query.forUpdate(['verification_requests']);
  return query.executeTakeFirst();
}

/** Requests in one state, oldest first, after a keyset (created_at, id). */
export async function listRequests(
  db: Db,
  status: VerificationStatus,
  after: { at: string; id: string } | undefined,
  limit: number,
) {
  let query = db
    .selectFrom('verification_requests')
    .innerJoin('users', 'users.id', 'verification_requests.user_id')
    .innerJoin(
      'respondent_profiles',
      'respondent_profiles.user_id',
      'verification_requests.user_id',
    )
    .select([
      ...REQUEST_COLUMNS,
      'users.email',
      'respondent_profiles.display_name',
      'respondent_profiles.segment',
      keysetTime('verification_requests.created_at').as('cursor_at'),
    ])
    .where('verification_requests.status', '=', status)
    .orderBy('verification_requests.created_at')
    .orderBy('verification_requests.id')
    .limit(limit);
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, 'asc', after, [
        ['at', 'verification_requests.created_at'],
        ['id', 'verification_requests.id'],
      ]),
    );
  }
  return query.execute();
}

export async function setStatus(
  db: Db,
  id: string,
  values: { status: VerificationStatus; by: string | null; note: string | null },
) {
  await db
    .updateTable('verification_requests')
    .set({
      status: values.status,
      decided_by: values.by,
      decided_at: new Date(),
      decision_note: values.note,
    })
    .where('id', '=', id)
    .execute();
}

/** The approved request behind a profile's badge (at most one is approved at a time). */
export async function findApproved(db: Db, userId: string) {
  return db
    .selectFrom('verification_requests')
    .select(['id', 'organisation', 'role'])
    .where('user_id', '=', userId)
    .where('status', '=', 'approved')
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Sets the profile's badge and carries it to everything shown under the person's name: their
 * comments keep a copy of the author's badge, and their endorsements a copy of the organisation
 * (which must be the verified one when "on behalf of" is shown).
 */
export async function setProfileVerification(
  db: Db,
  userId: string,
  values: { verified: true; organisation: string; role: string } | { verified: false },
) {
  await db
    .updateTable('respondent_profiles')
    .set(
      values.verified
        ? { verified: true, organisation: values.organisation, verified_role: values.role }
        : { verified: false, verified_role: null },
    )
    .where('user_id', '=', userId)
    .execute();
  await db
    .updateTable('comments')
    .set({ author_verified: values.verified })
    .where('author_id', '=', userId)
    .where('author_verified', '!=', values.verified)
    .execute();
  if (values.verified) {
    await db
      .updateTable('endorsements')
      .set({ organisation: values.organisation })
      .where('user_id', '=', userId)
      .execute();
  }
}

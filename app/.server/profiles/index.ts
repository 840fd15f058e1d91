import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '#db/schema';
import type { ProfileInput } from '~/lib/schemas/responses';
import { recordAudit } from '../audit';
import type { Viewer } from '../auth';
import { requireNotSuspended, requireSignedIn } from '../auth/permissions';

type Db = Kysely<DB> | Transaction<DB>;

/** The viewer's respondent profile (every account has one from sign-up). */
export async function getProfile(db: Db, viewer: Viewer | null) {
  const me = requireSignedIn(viewer);
  return db
    .selectFrom('respondent_profiles')
    .select([
      'display_name',
      'organisation',
      'segment',
      'segment_other',
      'organisation_stage',
      'region',
      'verified',
    ])
    .where('user_id', '=', me.id)
    .executeTakeFirstOrThrow();
}

/**
 * The signed-in person updates their own profile. Past submissions keep the old details. A
 * verified badge vouches for one organisation: naming another takes the badge away (the person
 * can ask for verification again).
 */
export async function updateProfile(db: Db, viewer: Viewer | null, input: ProfileInput) {
  const me = requireSignedIn(viewer);
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => updateProfile(trx, me, input));
    return;
  }
  // A suspended account may read but not change what others see of it.
  await requireNotSuspended(db, me.id);
  const current = await db
    .selectFrom('respondent_profiles')
    .select(['organisation', 'verified'])
    .where('user_id', '=', me.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (current.verified && current.organisation !== input.organisation) {
    await lapseVerification(db, me.id, current.organisation, input.organisation);
  }
  await db
    .updateTable('respondent_profiles')
    .set({
      segment: input.segment,
      segment_other: input.segmentOther,
      organisation: input.organisation,
      organisation_stage: input.organisationStage,
      region: input.region,
      updated_at: sql`now()`,
    })
    .where('user_id', '=', me.id)
    .execute();
}

async function lapseVerification(db: Db, userId: string, from: string | null, to: string | null) {
  await db
    .updateTable('verification_requests')
    .set({
      status: 'revoked',
      decided_at: new Date(),
      decided_by: null,
      decision_note: 'The person changed their organisation',
    })
    .where('user_id', '=', userId)
    .where('status', '=', 'approved')
    .execute();
  await db
    .updateTable('respondent_profiles')
    .set({ verified: false, verified_role: null })
    .where('user_id', '=', userId)
    .execute();
  await db
    .updateTable('comments')
    .set({ author_verified: false })
    .where('author_id', '=', userId)
    .where('author_verified', '=', true)
    .execute();
  await recordAudit(db, {
    actorId: userId,
    action: 'verification.lapsed',
    targetType: 'user',
    targetId: userId,
    reason: 'The person changed the organisation on their profile',
    before: { verified: true, organisation: from },
    after: { verified: false, organisation: to },
  });
}

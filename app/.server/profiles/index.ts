import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '#db/schema';
import type { ProfileInput } from '~/lib/schemas/responses';
import { DomainError } from '../errors';
import type { Viewer } from '../auth';

type Db = Kysely<DB> | Transaction<DB>;

/** The viewer's respondent profile (every account has one from sign-up). */
export async function getProfile(db: Db, viewer: Viewer | null) {
  if (!viewer) throw new DomainError('unauthenticated', 'Sign in to continue.');
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
    .where('user_id', '=', viewer.id)
    .executeTakeFirstOrThrow();
}

/** The signed-in person updates their own profile. Past submissions keep the old details. */
export async function updateProfile(db: Db, viewer: Viewer | null, input: ProfileInput) {
  if (!viewer) throw new DomainError('unauthenticated', 'Sign in to continue.');
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
    .where('user_id', '=', viewer.id)
    .execute();
}

import { sql, type InsertObject, type Kysely, type Transaction } from 'kysely';
import type { Consent, DB, OrganisationStage, Segment, Stance } from '#db/schema';
import { keysetTime, pastKeyset, type Keyset } from '../../keyset';

type Db = Kysely<DB> | Transaction<DB>;

const responseColumns = [
  'responses.id',
  'responses.consultation_id',
  'responses.user_id',
  'responses.status',
  'responses.overall_comments',
  'responses.submitted_overall_comments',
  'responses.consent',
  'responses.reference',
  'responses.current_version',
  'responses.has_unsubmitted_changes',
  'responses.segment',
  'responses.segment_other',
  'responses.display_name',
  'responses.organisation',
  'responses.organisation_stage',
  'responses.region',
  'responses.verified',
  'responses.first_submitted_at',
  'responses.last_submitted_at',
  'responses.updated_at',
] as const;

export function findResponse(
  db: Db,
  consultationId: string,
  userId: string,
  options: { forUpdate?: boolean } = {},
) {
  let query = db
    .selectFrom('responses')
    .select(responseColumns)
    .where('consultation_id', '=', consultationId)
    .where('user_id', '=', userId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The person's response row, created as a draft if missing; safe when two requests race. */
export async function ensureResponse(db: Db, consultationId: string, userId: string) {
  await db
    .insertInto('responses')
    .values({ consultation_id: consultationId, user_id: userId })
    .onConflict((oc) => oc.columns(['consultation_id', 'user_id']).doNothing())
    .execute();
  return (await findResponse(db, consultationId, userId, { forUpdate: true }))!;
}

/**
 * Records a change to the working copy. A submitted response then has changes that do not count
 * until resubmitted.
 */
export function touchResponse(db: Db, responseId: string) {
  return db
    .updateTable('responses')
    .set({
      updated_at: sql`now()`,
      has_unsubmitted_changes: sql`status = 'submitted'`,
    })
    .where('id', '=', responseId)
    .execute();
}

export function setFinalStep(
  db: Db,
  responseId: string,
  values: { overallComments: string; consent: Consent },
) {
  return db
    .updateTable('responses')
    .set({ overall_comments: values.overallComments, consent: values.consent })
    .where('id', '=', responseId)
    .execute();
}

export function setConsent(db: Db, responseId: string, consent: Consent) {
  return db.updateTable('responses').set({ consent }).where('id', '=', responseId).execute();
}

/** The working copy is again what was last submitted (edited, then put back). */
export function markSubmittedCopyCurrent(db: Db, responseId: string) {
  return db
    .updateTable('responses')
    .set({ has_unsubmitted_changes: false })
    .where('id', '=', responseId)
    .execute();
}

/** Who the respondent was at this submission: the columns the results count and group by. */
export type SubmittedProfile = {
  segment: Segment | null;
  segment_other: string | null;
  display_name: string | null;
  organisation: string | null;
  organisation_stage: OrganisationStage | null;
  region: string | null;
  verified: boolean | null;
};

/**
 * The response becomes the submitted `version`, with the profile and comments it was sent with,
 * at `submittedAt` (the database's clock when omitted).
 */
export function markSubmitted(
  db: Db,
  responseId: string,
  submission: {
    reference: string;
    version: number;
    overallComments: string | null;
    profile: SubmittedProfile;
    submittedAt?: Date;
  },
) {
  const at = submission.submittedAt ?? sql<Date>`now()`;
  return db
    .updateTable('responses')
    .set({
      status: 'submitted',
      reference: submission.reference,
      current_version: submission.version,
      has_unsubmitted_changes: false,
      submitted_overall_comments: submission.overallComments,
      ...submission.profile,
      first_submitted_at: sql`coalesce(first_submitted_at, ${at})`,
      last_submitted_at: at,
      updated_at: at,
    })
    .where('id', '=', responseId)
    .execute();
}

/** Responses created already submitted: their ids by receipt reference. */
export async function insertResponses(db: Db, rows: InsertObject<DB, 'responses'>[]) {
  if (rows.length === 0) return new Map<string, string>();
  const inserted = await db
    .insertInto('responses')
    .values(rows)
    .returning(['id', 'reference'])
    .execute();
  return new Map(inserted.map((r) => [r.reference!, r.id]));
}

/** Which of these receipt references another response holds already. */
export async function findTakenReferences(db: Db, references: string[]) {
  if (references.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom('responses')
    .select('reference')
    .where('reference', 'in', references)
    .execute();
  return new Set(rows.map((r) => r.reference!));
}

export function listMyResponses(db: Db, userId: string) {
  return db
    .selectFrom('responses')
    .innerJoin('consultations', 'consultations.id', 'responses.consultation_id')
    .select([
      'responses.status',
      'responses.reference',
      'responses.current_version',
      'responses.has_unsubmitted_changes',
      'responses.consent',
      'responses.first_submitted_at',
      'responses.last_submitted_at',
      'responses.updated_at',
      'consultations.slug',
      'consultations.title',
      'consultations.status as consultation_status',
      'consultations.opens_at',
      'consultations.closes_at',
    ])
    .where('responses.user_id', '=', userId)
    .orderBy('responses.updated_at', 'desc')
    .execute();
}

export type ListFilters = {
  segment?: Segment;
  recommendationId?: string;
  stance?: Stance;
  after?: Keyset;
  limit: number;
};

/** Submitted responses, newest first, by keyset (the cost does not grow with the page number). */
export function listSubmittedResponses(db: Db, consultationId: string, filters: ListFilters) {
  let query = db
    .selectFrom('responses')
    .select([
      'responses.id',
      'responses.reference',
      'responses.display_name',
      'responses.organisation',
      'responses.segment',
      'responses.segment_other',
      'responses.consent',
      'responses.current_version',
      'responses.last_submitted_at',
      keysetTime('responses.last_submitted_at').as('keyset_at'),
    ])
    .where('responses.consultation_id', '=', consultationId)
    .where('responses.status', '=', 'submitted')
    .orderBy('responses.last_submitted_at', 'desc')
    .orderBy('responses.id', 'desc')
    .limit(filters.limit + 1);
  if (filters.segment) query = query.where('responses.segment', '=', filters.segment);
  if (filters.recommendationId) {
    const recommendationId = filters.recommendationId;
    const stance = filters.stance;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('submitted_answers')
          .select(sql.lit(1).as('one'))
          .whereRef('submitted_answers.response_id', '=', 'responses.id')
          .where('submitted_answers.recommendation_id', '=', recommendationId)
          .$if(!!stance, (q) => q.where('submitted_answers.stance', '=', stance!))
          .$if(!stance, (q) => q.where('submitted_answers.stance', 'is not', null)),
      ),
    );
  }
  const after = filters.after;
  if (after) {
    query = query.where((eb) =>
      pastKeyset(eb, 'desc', after, [
        ['at', 'responses.last_submitted_at'],
        ['id', 'responses.id'],
      ]),
    );
  }
  return query.execute();
}

export function findResponseByReference(db: Db, consultationId: string, reference: string) {
  return db
    .selectFrom('responses')
    .select(responseColumns)
    .where('consultation_id', '=', consultationId)
    .where('reference', '=', reference)
    .executeTakeFirst();
}

/** Where the person's emails about their response go. */
export async function findEmailOf(db: Db, userId: string) {
  const user = await db
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return user.email;
}

/** Whether the response's author is verified today (false once the account is gone). */
export async function isAuthorVerifiedNow(db: Db, responseId: string) {
  const row = await db
    .selectFrom('responses')
    .innerJoin('respondent_profiles', 'respondent_profiles.user_id', 'responses.user_id')
    .select('respondent_profiles.verified')
    .where('responses.id', '=', responseId)
    .executeTakeFirst();
  return row?.verified ?? false;
}

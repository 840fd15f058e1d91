import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';

// The reads behind a person's data export: everything stored about them, table by table. Kept
// apart from queries.ts (erasure and retention) so that neither passes the size of a module.

type Db = Kysely<DB> | Transaction<DB>;

/** Promise.all over an object: each read keeps its name instead of its place in a list. */
async function allOf<T extends Record<string, Promise<unknown>>>(
  reads: T,
): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const values = await Promise.all(Object.values(reads));
  return Object.fromEntries(Object.keys(reads).map((key, i) => [key, values[i]])) as {
    [K in keyof T]: Awaited<T[K]>;
  };
}

/** Every row that belongs to the person, in the order the export lists them. */
export function readPersonalData(db: Db, userId: string) {
  return allOf({
    account: db
      .selectFrom('users')
      .select(['id', 'email', 'email_verified_at', 'created_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow(),
    profile: db
      .selectFrom('respondent_profiles')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst(),
    responses: db
      .selectFrom('responses')
      .innerJoin('consultations', 'consultations.id', 'responses.consultation_id')
      .select([
        'responses.id',
        'consultations.slug as consultation_slug',
        'consultations.title as consultation_title',
        'responses.status',
        'responses.reference',
        'responses.consent',
        'responses.current_version',
        'responses.has_unsubmitted_changes',
        'responses.display_name',
        'responses.organisation',
        'responses.segment',
        'responses.segment_other',
        'responses.organisation_stage',
        'responses.region',
        'responses.verified',
        'responses.overall_comments',
        'responses.submitted_overall_comments',
        'responses.first_submitted_at',
        'responses.last_submitted_at',
        'responses.created_at',
        'responses.updated_at',
      ])
      .where('responses.user_id', '=', userId)
      .orderBy('responses.created_at')
      .execute(),
    comments: db
      .selectFrom('comments')
      .innerJoin('recommendations', 'recommendations.id', 'comments.recommendation_id')
      .innerJoin('consultations', 'consultations.id', 'comments.consultation_id')
      .select([
        'comments.id',
        'consultations.slug as consultation_slug',
        'recommendations.slug as recommendation_slug',
        'comments.parent_id',
        'comments.body',
        'comments.status',
        'comments.author_display_name',
        'comments.helpful_count',
        'comments.created_at',
        'comments.edited_at',
      ])
      .where('comments.author_id', '=', userId)
      .orderBy('comments.created_at')
      .execute(),
    endorsements: db
      .selectFrom('endorsements')
      .innerJoin('recommendations', 'recommendations.id', 'endorsements.recommendation_id')
      .innerJoin('consultations', 'consultations.id', 'endorsements.consultation_id')
      .select([
        'consultations.slug as consultation_slug',
        'recommendations.slug as recommendation_slug',
        'endorsements.on_behalf_of_organisation',
        'endorsements.show_name',
        'endorsements.display_name',
        'endorsements.organisation',
        'endorsements.segment',
        'endorsements.created_at',
      ])
      .where('endorsements.user_id', '=', userId)
      .orderBy('endorsements.created_at')
      .execute(),
    votes: db
      .selectFrom('comment_votes')
      .select(['comment_id', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    reports: db
      .selectFrom('comment_reports')
      .select(['comment_id', 'reason', 'note', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    verification: db
      .selectFrom('verification_requests')
      .select([
        'id',
        'organisation',
        'role',
        'evidence',
        'evidence_url',
        'status',
        'decided_at',
        'decision_note',
        'created_at',
      ])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    suspensions: db
      .selectFrom('suspensions')
      .select(['reason', 'starts_at', 'ends_at', 'lifted_at', 'lift_reason', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    notifications: db
      .selectFrom('notifications')
      .select(['kind', 'subject', 'body', 'link', 'created_at', 'read_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    sessions: db
      .selectFrom('sessions')
      .select(['expires_at'])
      .where('user_id', '=', userId)
      .orderBy('expires_at')
      .execute(),
    roles: db
      .selectFrom('role_grants')
      .leftJoin('consultations', 'consultations.id', 'role_grants.consultation_id')
      .select([
        'role_grants.role',
        'consultations.slug as consultation_slug',
        'role_grants.created_at',
      ])
      .where('role_grants.user_id', '=', userId)
      .execute(),
    // Bodies are left out: a recent one may hold a sign-in link that still works.
    emails: db
      .selectFrom('email_outbox')
      .select(['kind', 'to_address', 'subject', 'created_at', 'sent_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
    emailPreferences: db
      .selectFrom('email_preferences')
      .select(['topic', 'subscribed', 'updated_at'])
      .where('user_id', '=', userId)
      .orderBy('topic')
      .execute(),
    // The forms sent in the last day, kept so that sending one again is not a second action.
    formKeys: db
      .selectFrom('idempotency_keys')
      .select(['action', 'target_id', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute(),
  });
}

/** The working and submitted answers and the receipts of some responses. */
export async function readResponseDetails(db: Db, responseIds: string[]) {
  if (responseIds.length === 0) return { answers: [], submitted: [], versions: [] };
  const [answers, submitted, versions] = await Promise.all([
    db
      .selectFrom('response_answers')
      .innerJoin('recommendations', 'recommendations.id', 'response_answers.recommendation_id')
      .select([
        'response_answers.response_id',
        'recommendations.number as recommendation_number',
        'recommendations.title as recommendation_title',
        'response_answers.stance',
        'response_answers.importance',
        'response_answers.reasons',
        'response_answers.change_mind',
      ])
      .where('response_answers.response_id', 'in', responseIds)
      .orderBy('recommendations.number')
      .execute(),
    db
      .selectFrom('submitted_answers')
      .innerJoin('recommendations', 'recommendations.id', 'submitted_answers.recommendation_id')
      .select([
        'submitted_answers.response_id',
        'recommendations.number as recommendation_number',
        'recommendations.title as recommendation_title',
        'submitted_answers.stance',
        'submitted_answers.importance',
        'submitted_answers.reasons',
        'submitted_answers.change_mind',
        'submitted_answers.quote_status',
      ])
      .where('submitted_answers.response_id', 'in', responseIds)
      .orderBy('recommendations.number')
      .execute(),
    db
      .selectFrom('response_versions')
      .select(['response_id', 'number', 'submitted_at', 'snapshot'])
      .where('response_id', 'in', responseIds)
      .orderBy('number')
      .execute(),
  ]);
  return { answers, submitted, versions };
}

import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { allAuditEvents, consultationScope } from '../audit-log';
import type { Viewer } from '../auth';

/**
 * Organisers of the consultation: everything about it as one JSON document: its text, its
 * recommendations, the submitted responses their authors agreed to publish (names only where
 * they chose "named"; quotes only where moderation allows) and its audit log. Private
 * responses are left out entirely.
 */
export async function exportConsultation(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const scope = await consultationScope(db, viewer, slug);
  const consultation = await db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title', 'summary', 'body', 'run_by', 'status', 'opens_at', 'closes_at'])
    .where('id', '=', scope.id)
    .executeTakeFirstOrThrow();
  const recommendations = await db
    .selectFrom('recommendations')
    .select(['id', 'number', 'slug', 'title', 'summary', 'rationale'])
    .where('consultation_id', '=', scope.id)
    .orderBy('number')
    .execute();
  const responses = await db
    .selectFrom('responses')
    // A left join: a response kept anonymised after its author deleted their account has none.
    .leftJoin('respondent_profiles', 'respondent_profiles.user_id', 'responses.user_id')
    .select([
      'responses.id',
      'responses.reference',
      'responses.consent',
      'responses.segment',
      'responses.display_name',
      'responses.organisation',
      'responses.verified',
      'respondent_profiles.verified as verified_now',
      'responses.submitted_overall_comments',
      'responses.first_submitted_at',
      'responses.last_submitted_at',
    ])
    .where('responses.consultation_id', '=', scope.id)
    .where('responses.status', '=', 'submitted')
    .where('responses.consent', 'in', ['named', 'anonymous'])
    .orderBy('responses.first_submitted_at')
    .orderBy('responses.id')
    .execute();
  const answers = responses.length
    ? await db
        .selectFrom('submitted_answers')
        .select([
          'response_id',
          'recommendation_id',
          'stance',
          'importance',
          'reasons',
          'quote_status',
        ])
        .where('consultation_id', '=', scope.id)
        .where(
          'response_id',
          'in',
          responses.map((r) => r.id),
        )
        .execute()
    : [];
  const numberOf = new Map(recommendations.map((r) => [r.id, r.number]));
  const events = await allAuditEvents(
    db,
    { consultationId: scope.id },
    {
      actor: null,
      action: null,
      targetType: null,
      from: null,
      to: null,
      before: null,
    },
  );
  return {
    exportedAt: new Date().toISOString(),
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      summary: consultation.summary,
      description: consultation.body,
      runBy: consultation.run_by,
      status: consultation.status,
      opensAt: consultation.opens_at,
      closesAt: consultation.closes_at,
    },
    recommendations: recommendations.map((r) => ({
      number: r.number,
      slug: r.slug,
      title: r.title,
      summary: r.summary,
      rationale: r.rationale,
    })),
    responses: responses.map((r) => {
      const named = r.consent === 'named';
      return {
        reference: r.reference,
        publishing: r.consent,
        segment: r.segment,
        name: named ? r.display_name : null,
        organisation: named ? r.organisation : null,
        verifiedOrganisation: named ? (r.verified_now ?? false) : null,
        verifiedWhenSubmitted: r.verified,
        submittedAt: r.first_submitted_at,
        lastChangedAt: r.last_submitted_at,
        overallComments: r.submitted_overall_comments,
        answers: answers
          .filter((a) => a.response_id === r.id)
          .sort(
            (a, b) =>
              (numberOf.get(a.recommendation_id) ?? 0) - (numberOf.get(b.recommendation_id) ?? 0),
          )
          .map((a) => ({
            recommendation: numberOf.get(a.recommendation_id) ?? null,
            stance: a.stance,
            importance: a.importance,
            reasons: a.quote_status === 'published' ? a.reasons : null,
          })),
      };
    }),
    auditLog: events.map((e) => ({
      id: e.id,
      occurredAt: e.occurred_at,
      // A respondent changing their own publishing choice is not named: their consent decides.
      actor: e.target_type === 'response' ? null : e.actor_name,
      action: e.action,
      targetType: e.target_type,
      targetId: e.target_id,
      reason: e.reason,
      before: e.before,
      after: e.after,
      requestId: e.request_id,
    })),
  };
}

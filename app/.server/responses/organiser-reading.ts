import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import type { ResponseFilters } from '~/lib/schemas/responses';
import { type Viewer } from '../auth';
import { requireOrganiser } from '../auth/permissions';
import { DomainError, notFound } from '../errors';
import { decodeKeyset, encodeKeyset } from '../keyset';
import * as q from './queries';
import { loadConsultation } from './questionnaire';

// What organisers read of submitted responses: every publishing choice, the full answers.

function requireOrganiserOf(viewer: Viewer | null, consultationId: string) {
  requireOrganiser(
    viewer,
    consultationId,
    'Only organisers of this consultation can read individual responses.',
  );
}

const PAGE_SIZE = 25;

/** Organisers of the consultation: submitted responses, every consent, filtered and paged. */
export async function listResponsesForOrganiser(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  filters: ResponseFilters,
) {
  const consultation = await loadConsultation(db, slug);
  requireOrganiserOf(viewer, consultation.id);
  const recommendations = await q.listRecommendations(db, consultation.id);
  const recommendation = filters.recommendation
    ? recommendations.find((r) => r.slug === filters.recommendation)
    : undefined;
  if (filters.recommendation && !recommendation) {
    throw new DomainError('invalid', 'Choose a recommendation from the list.');
  }
  if (filters.stance && !recommendation) {
    throw new DomainError('invalid', 'Choose a recommendation to filter by view.');
  }
  const rows = await q.listSubmittedResponses(db, consultation.id, {
    segment: filters.segment,
    recommendationId: recommendation?.id,
    stance: filters.stance,
    after: decodeKeyset(filters.after),
    limit: PAGE_SIZE,
  });
  const page = rows.slice(0, PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    consultation: { slug: consultation.slug, title: consultation.title },
    recommendations,
    responses: page.map((r) => ({
      reference: r.reference!,
      displayName: r.display_name,
      organisation: r.organisation,
      segment: r.segment!,
      segmentOther: r.segment_other,
      consent: r.consent!,
      version: r.current_version,
      lastSubmittedAt: r.last_submitted_at!,
    })),
    nextCursor:
      rows.length > PAGE_SIZE && last ? encodeKeyset({ at: last.keyset_at, id: last.id }) : null,
  };
}

/** Organisers of the consultation: one submitted response in full, with its version history. */
export async function getResponseForOrganiser(
  db: Kysely<DB>,
  viewer: Viewer | null,
  slug: string,
  reference: string,
) {
  const consultation = await loadConsultation(db, slug);
  requireOrganiserOf(viewer, consultation.id);
  const response = await q.findResponseByReference(db, consultation.id, reference);
  if (!response || response.status !== 'submitted') throw notFound('response');
  const recommendations = await q.listRecommendations(db, consultation.id);
  const answers = new Map(
    (await q.listSubmittedAnswers(db, response.id)).map((a) => [a.recommendation_id, a]),
  );
  const versions = await q.listVersions(db, response.id);
  // The badge follows the person's verification today; `verified` stays the snapshot taken at
  // submission, which the results by segment use.
  const verifiedNow = await q.isAuthorVerifiedNow(db, response.id);
  return {
    consultation: { slug: consultation.slug, title: consultation.title },
    response: {
      reference: response.reference!,
      displayName: response.display_name,
      organisation: response.organisation,
      segment: response.segment!,
      segmentOther: response.segment_other,
      organisationStage: response.organisation_stage,
      region: response.region,
      verified: response.verified,
      verifiedNow,
      consent: response.consent!,
      version: response.current_version,
      firstSubmittedAt: response.first_submitted_at!,
      lastSubmittedAt: response.last_submitted_at!,
      overallComments: response.submitted_overall_comments,
    },
    answers: recommendations.map((r) => {
      const a = answers.get(r.id);
      return {
        number: r.number,
        title: r.title,
        stance: a?.stance ?? null,
        importance: a?.importance ?? null,
        reasons: a?.reasons ?? null,
        changeMind: a?.change_mind ?? null,
      };
    }),
    versions: versions.map((v) => ({ number: v.number, submittedAt: v.submitted_at })),
  };
}

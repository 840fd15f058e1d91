import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { formatUkDateTime } from '~/lib/dates';
import { phaseOf } from '~/lib/phase';
import { type Viewer } from '../auth';
import { requireSignedIn } from '../auth/permissions';
import { DomainError, notFound } from '../errors';
import { getProfile } from '../profiles';
import * as q from './queries';

// The questionnaire as a respondent reads it, and the open-for-responses rule its writes share.

export type ConsultationRow = Awaited<ReturnType<typeof loadConsultation>>;

/** A consultation that takes responses, by slug: a draft does not exist for respondents. */
export async function loadConsultation(db: Kysely<DB> | Transaction<DB>, slug: string) {
  const row = await q.findConsultation(db, slug);
  if (!row || row.status === 'draft') throw notFound('consultation');
  return row;
}

/**
 * Responses are accepted only while the consultation is open, whatever the client sends: the
 * check runs inside the writing transaction, against the database's clock.
 */
export function requireOpen(consultation: ConsultationRow, now = new Date()) {
  const phase = phaseOf(consultation, now);
  if (phase === 'open') return;
  if (phase === 'upcoming') {
    throw new DomainError(
      'closed',
      `This consultation opens on ${formatUkDateTime(consultation.opens_at!)}. Your answers have not been saved yet.`,
    );
  }
  throw new DomainError(
    'closed',
    consultation.closes_at
      ? `This consultation closed on ${formatUkDateTime(consultation.closes_at)}, so responses can no longer be changed.`
      : 'This consultation has closed, so responses can no longer be changed.',
  );
}

function consultationView(consultation: ConsultationRow) {
  return {
    slug: consultation.slug,
    title: consultation.title,
    phase: phaseOf(consultation),
    opensAt: consultation.opens_at,
    closesAt: consultation.closes_at,
  };
}

/**
 * The signed-in respondent: the outline every page of responding shares, the consultation and
 * the recommendations asked about, in order. Two small reads, nothing of the response itself.
 */
export async function getRespondOutline(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  requireSignedIn(viewer);
  const consultation = await loadConsultation(db, slug);
  const recommendations = await q.listOpenRecommendations(db, consultation.id);
  return {
    consultation: consultationView(consultation),
    recommendations: recommendations.map((r) => ({ slug: r.slug, number: r.number })),
  };
}

/** The signed-in respondent: their questionnaire for a consultation, with what they have saved. */
export async function getQuestionnaire(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const me = requireSignedIn(viewer);
  const consultation = await loadConsultation(db, slug);
  // A placeholder is not asked about: it is neither a step nor "unanswered" on the check page.
  const recommendations = await q.listOpenRecommendations(db, consultation.id);
  const response = await q.findResponse(db, consultation.id, me.id);
  const answers = response ? await q.listAnswers(db, response.id) : [];
  const byRecommendation = new Map(answers.map((a) => [a.recommendation_id, a]));
  const profile = await getProfile(db, me);
  return {
    consultation: consultationView(consultation),
    profile,
    response: response
      ? {
          status: response.status,
          reference: response.reference,
          version: response.current_version,
          hasUnsubmittedChanges: response.has_unsubmitted_changes,
          overallComments: response.overall_comments,
          // Null until chosen: the form then shows no option selected.
          consent: response.consent,
          lastSubmittedAt: response.last_submitted_at,
          finalStepSaved: response.overall_comments !== null || response.status === 'submitted',
        }
      : null,
    recommendations: recommendations.map((r) => {
      const answer = byRecommendation.get(r.id);
      return {
        ...r,
        answer: answer
          ? {
              stance: answer.stance,
              importance: answer.importance,
              reasons: answer.reasons,
              changeMind: answer.change_mind,
            }
          : null,
      };
    }),
  };
}

import type { Kysely } from 'kysely';
import type { Consent, DB, QuoteStatus, Segment, Stance } from '#db/schema';
import { writeSubmittedResponse } from '~/.server/responses/submitted';
import { createUser, profileSnapshotOf, verifyProfile } from './factories';

export type AnswerSpec = {
  recommendationId: string;
  stance?: Stance | null;
  importance?: number | null;
  reasons?: string | null;
  quoteStatus?: QuoteStatus;
};

let sequence = 0;

/**
 * A submitted response written straight to the database by the submit's own writer: quicker
 * than the questionnaire when a test needs many respondents with chosen details.
 */
export async function insertAnsweredResponse(
  db: Kysely<DB>,
  consultationId: string,
  options: {
    segment?: Segment;
    verified?: boolean;
    consent?: Consent;
    submittedAt?: Date;
    displayName?: string;
    answers: AnswerSpec[];
  },
) {
  sequence += 1;
  const segment = options.segment ?? 'founder';
  const displayName = options.displayName ?? `Respondent ${sequence}`;
  const user = await createUser(db, { segment, displayName, organisation: 'Example Ltd' });
  if (options.verified) await verifyProfile(db, user.id);
  const written = await writeSubmittedResponse(db, {
    consultationId,
    userId: user.id,
    submittedAt: options.submittedAt ?? new Date(),
    snapshot: {
      profile: await profileSnapshotOf(db, user.id),
      consent: options.consent ?? 'anonymous',
      overallComments: null,
      answers: options.answers.map((a) => ({
        recommendationId: a.recommendationId,
        stance: a.stance ?? null,
        importance: a.importance ?? null,
        reasons: a.reasons ?? null,
        changeMind: null,
      })),
    },
    quoteStatuses: Object.fromEntries(
      options.answers.map((a) => [a.recommendationId, a.quoteStatus ?? 'published']),
    ),
  });
  return { responseId: written.responseId, userId: user.id };
}

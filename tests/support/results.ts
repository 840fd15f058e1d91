import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Consent, DB, QuoteStatus, Segment, Stance } from '#db/schema';
import { analyseAnswer } from '~/.server/results';
import { createUser, verifyProfile } from './factories';

export type AnswerSpec = {
  recommendationId: string;
  stance?: Stance | null;
  importance?: number | null;
  reasons?: string | null;
  quoteStatus?: QuoteStatus;
};

let sequence = 0;

/**
 * A submitted response written straight to the database, its answers analysed as the submit
 * does: quicker than the questionnaire when a test needs many respondents with chosen details.
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
  const submittedAt = options.submittedAt ?? new Date();
  const response = await db
    .insertInto('responses')
    .values({
      consultation_id: consultationId,
      user_id: user.id,
      status: 'submitted',
      consent: options.consent ?? 'anonymous',
      reference: `${randomBytes(2).toString('hex').toUpperCase()}-${String(sequence).padStart(4, '0')}`,
      current_version: 1,
      segment,
      verified: options.verified ?? false,
      display_name: displayName,
      organisation: 'Example Ltd',
      first_submitted_at: submittedAt,
      last_submitted_at: submittedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('submitted_answers')
    .values(
      options.answers.map((a) => {
        const analysis = analyseAnswer(a.stance ?? null, a.reasons ?? null);
        return {
          response_id: response.id,
          recommendation_id: a.recommendationId,
          consultation_id: consultationId,
          stance: a.stance ?? null,
          importance: a.importance ?? null,
          reasons: a.reasons ?? null,
          quote_status: a.quoteStatus ?? 'published',
          tone: analysis.tone,
          disagreement: analysis.disagreement,
          phrases: analysis.phrases,
        };
      }),
    )
    .execute();
  return { responseId: response.id, userId: user.id };
}

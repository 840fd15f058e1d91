import type { Transaction } from 'kysely';
import type { DB, Stance } from '#db/schema';
import { type Consent } from '~/lib/enums';
import { CONSENT_SHORT, IMPORTANCE_LABELS, STANCE_LABELS } from '~/lib/schemas/responses';
import { absoluteUrl, queueEmail } from '../mail';
import * as q from './queries';
import type { ConsultationRow } from './questionnaire';

/**
 * The respondent's copy of what was saved, with the receipt reference, queued in the submit
 * transaction: the email exists exactly when the submitted version does.
 */
export async function queueResponseCopy(
  trx: Transaction<DB>,
  userId: string,
  consultation: ConsultationRow,
  submitted: {
    reference: string;
    version: number;
    consent: Consent;
    overallComments: string | null;
    answers: {
      recommendation_id: string;
      stance: Stance | null;
      importance: number | null;
      reasons: string | null;
      change_mind: string | null;
    }[];
  },
) {
  const recommendations = await q.listRecommendations(trx, consultation.id);
  const byId = new Map(submitted.answers.map((a) => [a.recommendation_id, a]));
  const lines = [
    `Thank you for responding to "${consultation.title}". This is a copy of what we saved.`,
    '',
    `Receipt reference: ${submitted.reference} (version ${submitted.version})`,
    `Publishing: ${CONSENT_SHORT[submitted.consent]}`,
    '',
  ];
  for (const r of recommendations) {
    const a = byId.get(r.id);
    if (!a) continue;
    lines.push(`${r.number}. ${r.title}`);
    if (a.stance) lines.push(`   Your view: ${STANCE_LABELS[a.stance]}`);
    if (a.importance !== null) {
      lines.push(`   Importance: ${IMPORTANCE_LABELS[a.importance] ?? a.importance}`);
    }
    if (a.reasons) lines.push(`   Your reasons: ${a.reasons}`);
    if (a.change_mind) lines.push(`   What would change your mind: ${a.change_mind}`);
    lines.push('');
  }
  if (submitted.overallComments) lines.push('Overall comments:', submitted.overallComments, '');
  lines.push(
    `You can change your response until the consultation closes: ${absoluteUrl(`/consultations/${consultation.slug}/respond/receipt`)}`,
  );
  await queueEmail(trx, {
    userId,
    to: await q.findEmailOf(trx, userId),
    kind: 'response.copy',
    subject: `Your response to ${consultation.title} (${submitted.reference})`,
    text: lines.join('\n'),
  });
}

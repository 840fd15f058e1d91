import { createHash } from 'node:crypto';
import type { Row } from '../exports';
import type { publishedAnswers } from './queries';

// One row per response × recommendation answered, for the responses whose authors chose to
// publish them, each exactly as chosen: named with name and organisation, anonymous with the
// group only. "Not published" responses never reach this file. Reasons a moderator has held or
// taken down are left out and said to be withheld.

type AnswerRow = Awaited<ReturnType<typeof publishedAnswers>>[number];

/**
 * A stable label for a response that is not its id or receipt reference: rows of one response
 * can be grouped without the file handing out anything that reaches the response itself.
 */
export function responseLabel(responseId: string) {
  return createHash('sha256').update(`open-data:${responseId}`).digest('hex').slice(0, 16);
}

export function responseRows(
  answers: AnswerRow[],
  recommendations: { id: string; number: number; slug: string }[],
): Row[] {
  const byId = new Map(recommendations.map((r) => [r.id, r]));
  const rows: Row[] = [];
  for (const a of answers) {
    const recommendation = byId.get(a.recommendation_id);
    // Answers to a recommendation without public results (a placeholder) stay out.
    if (!recommendation) continue;
    const named = a.consent === 'named';
    const published = a.quote_status === 'published';
    rows.push({
      response: responseLabel(a.response_id),
      publishing_choice: named ? 'named' : 'anonymous',
      name: named ? a.display_name : null,
      organisation: named ? a.organisation : null,
      group: a.segment,
      verified: a.verified,
      recommendation_number: recommendation.number,
      recommendation_slug: recommendation.slug,
      stance: a.stance,
      importance: a.importance,
      reasons: a.reasons && published ? a.reasons : null,
      reasons_status: a.reasons ? (published ? 'published' : 'withheld') : null,
    });
  }
  // Grouped by recommendation, then in the order responses arrived.
  return rows.sort((x, y) => Number(x.recommendation_number) - Number(y.recommendation_number));
}

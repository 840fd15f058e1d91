import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { QUOTE_STATUSES, expectOneOf, type QuoteStatus } from '~/lib/enums';
import { readSnapshot } from '../responses/snapshot';
import { isPreModerated } from './policy';
import * as q from './queries';

type Db = Kysely<DB> | Transaction<DB>;

// Holding quotes (the reasons in responses, quotable in the results) for a moderator, as the
// response service writes them: they are not comments, so they wait here rather than in the
// comment flow.

/**
 * For the response service, right after a submission replaced the counted answers (which
 * resets their quote status). Reasons unchanged since the previous submission keep the last
 * moderation decision on them, so resubmitting cannot bring back hidden text; new or changed
 * reasons wait for a moderator under pre-moderation, or when their earlier text was hidden.
 */
export async function holdQuotesForReview(db: Db, consultationId: string, responseId: string) {
  const response = await q.findResponse(db, responseId);
  const answers = await q.listReasonedAnswers(db, responseId);
  if (answers.length === 0) return;
  const previous = await q.findVersionSnapshot(db, responseId, response.current_version - 1);
  const previousReasons = new Map<string, string | null>();
  // The snapshot the response service wrote for that version (none before the first).
  for (const a of previous === undefined ? [] : readSnapshot(previous).answers) {
    previousReasons.set(a.recommendationId, a.reasons);
  }
  const decisions = await q.latestQuoteDecisions(db, responseId);
  const latest = new Map(decisions.map((d) => [d.recommendation_id!, d]));
  const preModerated = await isPreModerated(db, consultationId);
  for (const answer of answers) {
    const decision = latest.get(answer.recommendation_id);
    const unchanged = previousReasons.get(answer.recommendation_id) === answer.reasons;
    let change: {
      quote_status: QuoteStatus;
      reviewed_at?: Date;
      escalated_at?: Date | null;
    } | null = null;
    if (decision && unchanged) {
      change = {
        quote_status: expectOneOf(QUOTE_STATUSES, decision.status_after),
        reviewed_at: decision.created_at,
        escalated_at: decision.escalated_after ? decision.created_at : null,
      };
    } else if (
      (preModerated && response.consent !== 'private') ||
      decision?.status_after === 'hidden'
    ) {
      change = { quote_status: 'pending' };
    }
    if (!change) continue;
    await q.updateQuote(db, responseId, answer.recommendation_id, change);
  }
}

/**
 * For the response service, when a respondent makes private reasons public: under
 * pre-moderation, reasons no moderator has looked at wait for one before they can be quoted.
 */
export async function holdUnreviewedQuotes(db: Db, consultationId: string, responseId: string) {
  if (!(await isPreModerated(db, consultationId))) return;
  await q.holdUnreviewed(db, responseId);
}

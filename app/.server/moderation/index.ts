// Moderation: the queue, one item, decisions on items (single and bulk), appeals, the policy,
// and quote holds. Routes, tests and other services import from here only.
//
// What else a moderation write changes, through triggers in db/migrations (plpgsql):
// - A comment's status (decide, redact: comments update) →
//   results_count_comments_{insert,update,delete} (2026_12_01_1300_create_results.ts) move the
//   comment between the visible/held/hidden counts and tone totals of result_comment_counts.
// - A quote's status (decide, quote holds: submitted_answers update) →
//   results_count_answers_{insert,update,delete} (2026_12_01_1300_create_results.ts) update the
//   reasons_hidden/pending counts, the toned and disagreement counts (a hidden quote leaves them)
//   in result_answer_counts, and the quotable phrases in result_phrase_counts.
// - A decision (moderation_decisions insert) → moderation_decisions_no_update
//   (2026_12_01_1200_create_moderation.ts; relaxed for erasure in 2026_12_02_1100_add_privacy.ts)
//   refuses any later update, so a decision is undone by a new one, never rewritten.
// - Every audit event (recordAudit) → audit_events_append_only and audit_events_no_truncate
//   (2026_11_25_0900_create_foundation.ts; relaxed for erasure in 2026_12_02_1100_add_privacy.ts).
// - A policy change (consultations update) fires no trigger.
export { requireModerationAccess } from './access';
export { ALREADY_APPEALED, getAppeal, requestAppeal } from './appeals';
export { SOMEONE_ELSE_FIRST, decide, decideBulk } from './decisions';
export { getItem, itemRefOf, parseItemRef, type ModerationItemView } from './items';
export {
  getHouseRules,
  getPolicy,
  isPreModerated,
  requirePolicyAccess,
  updatePolicy,
} from './policy';
export {
  QUEUE_PAGE_SIZE,
  getOverview,
  getQueue,
  listModeratedConsultations,
  type QueueItem,
} from './queue';
export { holdQuotesForReview, holdUnreviewedQuotes } from './quote-holds';

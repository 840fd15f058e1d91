import { type ReportReason } from '../enums';

// What the discussion forms and pages show and limit: labels, options and lengths, without zod,
// so that pages can import them without the schemas (app/lib/schemas/discussion.ts) in the browser's bundle.

export const COMMENT_MAX = 5000;

export const REPORT_NOTE_MAX = 1000;

/** How long after posting its author may still change a comment. */
export const COMMENT_EDIT_MINUTES = 15;

/** More links than this hold a comment for review: the commonest shape of spam. */
export const MAX_LINKS = 2;

export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  spam: 'Spam or advertising',
  abuse: 'Abusive, hateful or threatening',
  off_topic: 'Not about this recommendation',
  misinformation: 'False or misleading',
  other: 'Something else',
};

export const COMMENT_SORTS = ['newest', 'oldest', 'helpful'] as const;

export type CommentSort = (typeof COMMENT_SORTS)[number];

export const COMMENT_SORT_LABELS: Record<CommentSort, string> = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  helpful: 'Most helpful first',
};

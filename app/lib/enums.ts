// Every fixed set of values the database stores, once. The schema types (db/schema.ts), the
// form schemas and the pages take their values from here, and tests/integration/enums.int.test.ts
// checks each list against the CHECK constraint that guards its column, so the three cannot
// drift apart. Labels live beside the forms that show them.

/** Who a respondent says they are: the stakeholder groups results are shown for. */
export const SEGMENTS = ['founder', 'investor', 'other'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** The five-point scale, strongest support first as the questionnaire offers it, then "no view". */
export const STANCES = [
  'strongly_support',
  'support',
  'neutral',
  'oppose',
  'strongly_oppose',
  'no_view',
] as const;
export type Stance = (typeof STANCES)[number];

/** What a respondent allows to be published of their response. */
export const CONSENTS = ['anonymous', 'named', 'private'] as const;
export type Consent = (typeof CONSENTS)[number];

export const FOUNDER_STAGES = ['pre_seed', 'seed', 'series_a', 'series_b_plus', 'growth'] as const;
export const INVESTOR_TYPES = ['angel', 'vc', 'cvc', 'other_investor'] as const;
/** A founder's company stage or an investor's kind, in one column. */
export type OrganisationStage = (typeof FOUNDER_STAGES)[number] | (typeof INVESTOR_TYPES)[number];

/**
 * The life of a consultation: drafted, open for responses, closed, its responses being analysed,
 * then its summary published ('published' is "Summary published" on the pages).
 */
export const CONSULTATION_STATUSES = ['draft', 'open', 'closed', 'analysing', 'published'] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];

/** Rights on one consultation (or every one, granted site-wide). */
export const STAFF_ROLES = ['moderator', 'organiser'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const RESPONSE_STATUSES = ['draft', 'submitted'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** 'visible' is published; 'held' waits for a moderator; 'hidden' was taken down by one. */
export const COMMENT_STATUSES = ['visible', 'held', 'hidden', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];
/** The comments a suspension hides, and so the statuses it gives back when lifted. */
export const SUSPENDABLE_COMMENT_STATUSES = ['visible', 'held'] as const satisfies CommentStatus[];
export type SuspendableCommentStatus = (typeof SUSPENDABLE_COMMENT_STATUSES)[number];

/** Why a comment was held before anyone saw it. */
export const HELD_REASONS = ['links', 'duplicate', 'pre_moderation'] as const;
export type HeldReason = (typeof HELD_REASONS)[number];

/** A published quote from a response's reasons, one waiting for review, or one taken down. */
export const QUOTE_STATUSES = ['published', 'pending', 'hidden'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

/**
 * What moderation sees and records (moderation_decisions.status_before/status_after) as an
 * item's status: a comment's or a quote's, by the item's type.
 */
export type ModerationItemStatus = CommentStatus | QuoteStatus;

/** Why someone reported a comment. */
export const REPORT_REASONS = ['spam', 'abuse', 'off_topic', 'misinformation', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** When the public may read a consultation's results; organisers always can. */
export const RESULTS_VISIBILITIES = ['during', 'after_close'] as const;
export type ResultsVisibility = (typeof RESULTS_VISIBILITIES)[number];

/** 'erase': a deleted account's responses are removed; 'anonymise': kept without the person. */
export const DELETION_POLICIES = ['erase', 'anonymise'] as const;
export type DeletionPolicy = (typeof DELETION_POLICIES)[number];

/** 'placeholder': listed but not open for answers until an organiser names it. */
export const RECOMMENDATION_STATES = ['open', 'placeholder'] as const;
export type RecommendationState = (typeof RECOMMENDATION_STATES)[number];

export const RECOMMENDATION_CHANGE_KINDS = ['retitled', 'moved', 'named'] as const;
export type RecommendationChangeKind = (typeof RECOMMENDATION_CHANGE_KINDS)[number];

/** 'post': comments are published at once and reviewed after; 'pre': reviewed first. */
export const MODERATION_MODES = ['post', 'pre'] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];

export const MODERATION_ITEM_TYPES = ['comment', 'quote'] as const;
export type ModerationItemType = (typeof MODERATION_ITEM_TYPES)[number];

export const MODERATION_ACTIONS = [
  'approve',
  'hide',
  'restore',
  'redact',
  'escalate',
  'undo',
] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** Why a moderator hid or edited something: shown to its author. */
export const HIDE_REASONS = [
  'personal_data',
  'abuse',
  'spam',
  'off_topic',
  'misinformation',
  'unlawful',
  'other',
] as const;
export type HideReason = (typeof HIDE_REASONS)[number];

export const VERIFICATION_STATUSES = ['pending', 'approved', 'rejected', 'revoked'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export const EMAIL_TOKEN_PURPOSES = ['confirm_email', 'reset_password', 'change_email'] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/** Kinds of email a person can turn off (account emails they need are always sent). */
export const EMAIL_TOPICS = ['moderation', 'account', 'consultation_news'] as const;
export type EmailTopic = (typeof EMAIL_TOPICS)[number];

/** What became of a recommendation, as a published summary says and outcome updates move on. */
export const OUTCOME_STATUSES = [
  'adopted',
  'adopted_with_changes',
  'under_consideration',
  'not_adopted',
  'no_longer_applicable',
] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** Whether a value read as text (a form field, a stored decision) is one of a list's values. */
export function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return list.some((item) => item === value);
}

/** A stored value as one of the list's; anything else is a bug in whatever wrote it. */
export function expectOneOf<T extends string>(list: readonly T[], value: string): T {
  if (!isOneOf(list, value)) throw new Error(`“${value}” is not one of: ${list.join(', ')}.`);
  return value;
}

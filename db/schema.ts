import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  Segment,
  ConsultationStatus,
  StaffRole,
  SuspendableCommentStatus,
  Stance,
  OrganisationStage,
  Consent,
  ResponseStatus,
  CommentStatus,
  HeldReason,
  QuoteStatus,
  ReportReason,
  ResultsVisibility,
  DeletionPolicy,
  RecommendationState,
  RecommendationChangeKind,
  ModerationMode,
  ModerationItemType,
  ModerationItemStatus,
  ModerationAction,
  HideReason,
  VerificationStatus,
  EmailTokenPurpose,
  EmailTopic,
  OutcomeStatus,
} from '~/lib/enums';

// The fixed value sets are defined once, in app/lib/enums.ts; this module re-exports their types.
export type * from '~/lib/enums';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** Has a database default, and may be set on update. */
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  created_at: CreatedAt;
  /** Null until the person follows the link sent to the address. */
  email_verified_at: ColumnType<
    Date | null,
    Date | string | null | undefined,
    Date | string | null
  >;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  expires_at: Timestamp;
}

export interface RespondentProfilesTable {
  user_id: string;
  display_name: string;
  organisation: string | null;
  segment: Segment;
  segment_other: string | null;
  verified: Generated<boolean>;
  /** The role the organisers confirmed with the verification, e.g. "Founder". */
  verified_role: string | null;
  organisation_stage: OrganisationStage | null;
  region: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ConsultationsTable {
  id: Generated<string>;
  slug: string;
  title: string;
  summary: string;
  body: Generated<string>;
  /** Sanitised HTML of `body`, made when it was written; null until first rendered. */
  body_html: string | null;
  /** The markdown renderer version that made `body_html` (0: not rendered yet). */
  body_html_version: Generated<number>;
  run_by: string;
  status: Generated<ConsultationStatus>;
  opens_at: Date | null;
  closes_at: Date | null;
  version: Generated<number>;
  created_by: string | null;
  /** Distinct reports that hide a comment until a moderator reviews it. */
  report_threshold: Generated<number>;
  /** 'pre': every new comment and quotable reason waits for a moderator. */
  moderation_mode: Generated<ModerationMode>;
  /** Markdown shown beside the comment forms. */
  house_rules: Generated<string>;
  /** Sanitised HTML of `house_rules`, made when it was written; null until first rendered. */
  house_rules_html: string | null;
  /** The markdown renderer version that made `house_rules_html` (0: not rendered yet). */
  house_rules_html_version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  results_visibility: Generated<ResultsVisibility>;
  /** Privacy notice parts; null means the site-wide default (app/lib/privacy.ts) applies. */
  privacy_controller: string | null;
  privacy_lawful_basis: string | null;
  privacy_published: string | null;
  privacy_retention_months: number | null;
  privacy_contact_email: string | null;
  /** What deleting an account does to that person's responses here. */
  deletion_policy: Generated<DeletionPolicy>;
  /** When the retention command removed this consultation's personal data. */
  personal_data_purged_at: Date | null;
}

export interface RecommendationsTable {
  id: Generated<string>;
  consultation_id: string;
  number: number;
  slug: string;
  title: string;
  summary: string;
  rationale: Generated<string>;
  /** Sanitised HTML of `rationale`, made when it was written; null until first rendered. */
  rationale_html: string | null;
  /** The markdown renderer version that made `rationale_html` (0: not rendered yet). */
  rationale_html_version: Generated<number>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** 'placeholder': listed but not open for answers until an organiser names it. */
  state: Generated<RecommendationState>;
}

/** Append-only: a retitle, reorder or naming made after responses arrived, shown publicly. */
export interface RecommendationChangesTable {
  id: Generated<string>;
  recommendation_id: string;
  consultation_id: string;
  kind: RecommendationChangeKind;
  old_title: string | null;
  new_title: string | null;
  old_number: number | null;
  new_number: number | null;
  responses_before: Generated<number>;
  changed_by: string | null;
  created_at: CreatedAt;
}

export interface RoleGrantsTable {
  id: Generated<string>;
  user_id: string;
  role: StaffRole;
  consultation_id: string | null;
  granted_by: string | null;
  created_at: CreatedAt;
}

export interface AuditEventsTable {
  id: ColumnType<number, never, never>;
  occurred_at: CreatedAt;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  consultation_id: string | null;
  reason: string | null;
  before: ColumnType<unknown, string | null, never> | null;
  after: ColumnType<unknown, string | null, never> | null;
  request_id: string | null;
}

export interface RateLimitsTable {
  key: string;
  window_started_at: Timestamp;
  hits: number;
}

/** A token bucket: `tokens` left at `updated_at` (migration 2026_12_02_1200). */
export interface RateLimitBucketsTable {
  key: string;
  tokens: number;
  updated_at: Timestamp;
}

export interface ResponsesTable {
  id: Generated<string>;
  consultation_id: string;
  /** Null once the author deleted their account and the response was kept anonymised. */
  user_id: string | null;
  status: Generated<ResponseStatus>;
  overall_comments: string | null;
  submitted_overall_comments: string | null;
  /** Null on a draft until the respondent chooses; a submitted response always has one. */
  consent: Consent | null;
  reference: string | null;
  current_version: Generated<number>;
  has_unsubmitted_changes: Generated<boolean>;
  segment: Segment | null;
  segment_other: string | null;
  display_name: string | null;
  organisation: string | null;
  organisation_stage: OrganisationStage | null;
  region: string | null;
  verified: boolean | null;
  first_submitted_at: Date | null;
  last_submitted_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ResponseAnswersTable {
  response_id: string;
  recommendation_id: string;
  stance: Stance | null;
  importance: number | null;
  reasons: string | null;
  change_mind: string | null;
  updated_at: UpdatedAt;
}

export interface SubmittedAnswersTable {
  response_id: string;
  recommendation_id: string;
  consultation_id: string;
  stance: Stance | null;
  importance: number | null;
  reasons: string | null;
  change_mind: string | null;
  /** Whether the reasons may be quoted publicly (consent permitting); see the 1150 migration. */
  quote_status: Generated<QuoteStatus>;
  reviewed_at: Date | null;
  escalated_at: Date | null;
  /** Copied from the response by a trigger at insert and kept in step with it (1300 migration). */
  segment: Generated<Segment | null>;
  verified: Generated<boolean>;
  consent: Generated<Consent | null>;
  submitted_on: Generated<Date | null>;
  /** Tone of the reasons, −1 to 1, scored when submitted; null without reasons. */
  tone: ColumnType<string | null, number | null | undefined, number | null>;
  /** The tone of the reasons clearly contradicts the stance. */
  disagreement: Generated<boolean>;
  /** Distinct key phrases of the reasons. */
  phrases: Generated<string[]>;
}

export interface ResponseVersionsTable {
  id: Generated<string>;
  response_id: string;
  number: number;
  idempotency_key: string;
  snapshot: ColumnType<unknown, string, never>;
  submitted_at: CreatedAt;
}

export interface ParkedFormsTable {
  token: string;
  path: string;
  form_values: ColumnType<Record<string, string>, string, never>;
  expires_at: Timestamp;
}

/** A form sent with a key, and what its first request answered (see app/.server/idempotency). */
export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  action: string;
  target_id: string;
  consultation_id: string;
  /** Null only inside the transaction that claimed the key, before it answers. */
  result: ColumnType<unknown, string | null | undefined, string>;
  created_at: CreatedAt;
}

export interface EndorsementsTable {
  id: Generated<string>;
  recommendation_id: string;
  consultation_id: string;
  user_id: string;
  on_behalf_of_organisation: Generated<boolean>;
  show_name: Generated<boolean>;
  segment: Segment;
  display_name: string;
  organisation: string | null;
  created_at: CreatedAt;
}

export interface EndorsementCountsTable {
  recommendation_id: string;
  segment: Segment;
  count: number;
}

export interface CommentsTable {
  id: Generated<string>;
  recommendation_id: string;
  consultation_id: string;
  /** Null once the author deleted their account (the comment is then a tombstone). */
  author_id: string | null;
  parent_id: string | null;
  /** The top-level comment of the thread; null for a top-level comment. */
  thread_id: string | null;
  depth: number;
  body: string;
  /** Sanitised HTML of `body`, made when it was written; null until first rendered. */
  body_html: string | null;
  /** The markdown renderer version that made `body_html` (0: not rendered yet). */
  body_html_version: Generated<number>;
  status: Generated<CommentStatus>;
  held_reason: HeldReason | null;
  author_segment: Segment;
  author_display_name: string;
  author_verified: boolean;
  helpful_count: Generated<number>;
  report_count: Generated<number>;
  reply_count: Generated<number>;
  created_at: CreatedAt;
  edited_at: Date | null;
  /** When a moderator last decided on it; reports after this need a new look. */
  reviewed_at: Date | null;
  /** Set while a moderator has passed it to an organiser. */
  escalated_at: Date | null;
  /** Tone of the body, −1 to 1, scored when posted or edited. */
  tone: ColumnType<string | null, number | null | undefined, number | null>;
}

export interface CommentVotesTable {
  comment_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface CommentReportsTable {
  id: Generated<string>;
  comment_id: string;
  user_id: string;
  reason: ReportReason;
  note: string | null;
  created_at: CreatedAt;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  subject: string;
  body: string;
  link: string | null;
  created_at: CreatedAt;
  sent_at: Date | null;
  read_at: Date | null;
  /** A moderation decision the author may ask to have reviewed. */
  appeal_decision_id: Generated<string | null>;
}

export interface ModerationDecisionsTable {
  id: Generated<string>;
  consultation_id: string;
  item_type: ModerationItemType;
  comment_id: string | null;
  response_id: string | null;
  recommendation_id: string | null;
  item_key: string;
  seq: number;
  action: ModerationAction;
  reason: HideReason | null;
  note: string | null;
  /** Unchecked by the database: only moderation writes it, from the item's own status. */
  status_before: ModerationItemStatus;
  status_after: ModerationItemStatus;
  escalated_before: boolean;
  escalated_after: boolean;
  body_before: string | null;
  body_after: string | null;
  undoes_id: string | null;
  decided_by: string | null;
  bulk: Generated<boolean>;
  created_at: CreatedAt;
}

/** An author's request to review a decision; once per decision. */
export interface ModerationAppealsTable {
  id: Generated<string>;
  consultation_id: string;
  decision_id: string;
  item_type: ModerationItemType;
  item_key: string;
  comment_id: string | null;
  response_id: string | null;
  recommendation_id: string | null;
  author_id: string;
  reason: string;
  created_at: CreatedAt;
  resolved_at: Date | null;
  resolved_by_decision_id: string | null;
}

export interface SuspensionsTable {
  id: Generated<string>;
  user_id: string;
  reason: string;
  starts_at: Generated<Date>;
  /** Null: until lifted. */
  ends_at: Date | null;
  created_by: string | null;
  lifted_at: Date | null;
  lifted_by: string | null;
  lift_reason: string | null;
  created_at: CreatedAt;
}

export interface SuspensionHiddenCommentsTable {
  suspension_id: string;
  comment_id: string;
  previous_status: SuspendableCommentStatus;
  restored_at: Date | null;
}

export interface VerificationRequestsTable {
  id: Generated<string>;
  user_id: string;
  organisation: string;
  role: string;
  evidence: string;
  evidence_url: string | null;
  status: Generated<VerificationStatus>;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: CreatedAt;
}

/** Sharded counters, summed on read; see the 1300 migration. */
export interface ResultAnswerCountsTable {
  recommendation_id: string;
  segment: Segment;
  verified: boolean;
  shard: number;
  consultation_id: string;
  answers: number;
  no_stance: number;
  strongly_oppose: number;
  oppose: number;
  neutral: number;
  support: number;
  strongly_support: number;
  no_view: number;
  importance_n: number;
  importance_sum: number;
  importance_sumsq: number;
  tone_n: number;
  tone_sum: string;
  tone_negative: number;
  tone_neutral: number;
  tone_positive: number;
  disagreements: number;
  reasons_hidden: number;
  reasons_private: number;
  reasons_pending: number;
}

export interface ResultDailyCountsTable {
  recommendation_id: string;
  day: Date;
  segment: Segment;
  verified: boolean;
  shard: number;
  consultation_id: string;
  answers: number;
  strongly_oppose: number;
  oppose: number;
  neutral: number;
  support: number;
  strongly_support: number;
  no_view: number;
}

export interface ResultPhraseCountsTable {
  recommendation_id: string;
  segment: Segment;
  verified: boolean;
  phrase: string;
  shard: number;
  consultation_id: string;
  count: number;
}

export interface ResultCommentCountsTable {
  recommendation_id: string;
  segment: Segment;
  verified: boolean;
  shard: number;
  consultation_id: string;
  visible: number;
  held: number;
  hidden: number;
  tone_n: number;
  tone_sum: string;
  tone_negative: number;
  tone_neutral: number;
  tone_positive: number;
}

export interface ResultResponseCountsTable {
  consultation_id: string;
  day: Date;
  segment: Segment;
  verified: boolean;
  shard: number;
  responses: number;
}

export interface EmailOutboxTable {
  id: Generated<string>;
  user_id: string | null;
  to_address: string;
  kind: string;
  subject: string;
  text_body: string;
  headers: ColumnType<Record<string, string>, string | undefined, string>;
  created_at: CreatedAt;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  sent_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

export interface EmailTokensTable {
  id: Generated<string>;
  user_id: string;
  purpose: EmailTokenPurpose;
  token_hash: string;
  /** The address the link was sent to (for change_email, the new address). */
  email: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Date | null;
}

export interface EmailPreferencesTable {
  user_id: string;
  topic: EmailTopic;
  subscribed: boolean;
  updated_at: UpdatedAt;
}

export interface SigningKeysTable {
  name: string;
  secret: string;
  created_at: CreatedAt;
}

// Role invitations (2026_12_03_0300).
export interface RoleInvitationsTable {
  id: Generated<string>;
  email: string;
  role: StaffRole;
  /** Null: a site-wide role. */
  consultation_id: string | null;
  invited_by: string | null;
  token_hash: string;
  created_at: CreatedAt;
  sent_at: UpdatedAt;
  expires_at: Timestamp;
  accepted_at: Date | null;
  accepted_by: string | null;
  revoked_at: Date | null;
}

// Published summaries (2026_12_04_0900).
export interface SummariesTable {
  id: Generated<string>;
  consultation_id: string;
  /** "We asked": markdown, with its stored HTML (see app/.server/markdown). */
  intro: Generated<string>;
  intro_html: string | null;
  intro_html_version: Generated<number>;
  /** Raised by every save: a save naming an older version is refused, not applied. */
  version: Generated<number>;
  updated_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SummaryRecommendationsTable {
  id: Generated<string>;
  summary_id: string;
  recommendation_id: string;
  you_said: Generated<string>;
  you_said_html: string | null;
  you_said_html_version: Generated<number>;
  we_did: Generated<string>;
  we_did_html: string | null;
  we_did_html_version: Generated<number>;
  outcome_status: OutcomeStatus | null;
  outcome_reasons: Generated<string>;
  outcome_reasons_html: string | null;
  outcome_reasons_html_version: Generated<number>;
  /** Quote references chosen for the page (app/lib/schemas/summaries.ts). */
  quotes: ColumnType<string[], string | undefined, string>;
  /** Figure keys and quote references cited by "you said". */
  citations: ColumnType<string[], string | undefined, string>;
  updated_at: UpdatedAt;
}

/** Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE). */
export interface SummaryVersionsTable {
  id: Generated<string>;
  consultation_id: string;
  number: number;
  published_at: CreatedAt;
  published_by: string | null;
  /** The summaries.version it was made from. */
  draft_version: number;
  /** Required from version 2. */
  change_note: string | null;
  snapshot: ColumnType<unknown, string, never>;
  /** SHA-256, hex, of the canonical serialisation of `snapshot`. */
  content_hash: string;
  licence: string | null;
}

export interface OutcomeUpdatesTable {
  id: Generated<string>;
  consultation_id: string;
  recommendation_id: string;
  /** A calendar day; read it as text (`to_char`), as pg would otherwise shift it by time zone. */
  happened_on: ColumnType<Date, string, string>;
  status: OutcomeStatus;
  note: string;
  note_html: string | null;
  note_html_version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  respondent_profiles: RespondentProfilesTable;
  consultations: ConsultationsTable;
  recommendations: RecommendationsTable;
  recommendation_changes: RecommendationChangesTable;
  role_grants: RoleGrantsTable;
  audit_events: AuditEventsTable;
  rate_limits: RateLimitsTable;
  rate_limit_buckets: RateLimitBucketsTable;
  responses: ResponsesTable;
  response_answers: ResponseAnswersTable;
  submitted_answers: SubmittedAnswersTable;
  response_versions: ResponseVersionsTable;
  parked_forms: ParkedFormsTable;
  idempotency_keys: IdempotencyKeysTable;
  endorsements: EndorsementsTable;
  endorsement_counts: EndorsementCountsTable;
  comments: CommentsTable;
  comment_votes: CommentVotesTable;
  comment_reports: CommentReportsTable;
  notifications: NotificationsTable;
  moderation_decisions: ModerationDecisionsTable;
  moderation_appeals: ModerationAppealsTable;
  suspensions: SuspensionsTable;
  suspension_hidden_comments: SuspensionHiddenCommentsTable;
  verification_requests: VerificationRequestsTable;
  result_answer_counts: ResultAnswerCountsTable;
  result_daily_counts: ResultDailyCountsTable;
  result_phrase_counts: ResultPhraseCountsTable;
  result_comment_counts: ResultCommentCountsTable;
  result_response_counts: ResultResponseCountsTable;
  email_outbox: EmailOutboxTable;
  email_tokens: EmailTokensTable;
  email_preferences: EmailPreferencesTable;
  signing_keys: SigningKeysTable;

  role_invitations: RoleInvitationsTable;

  summaries: SummariesTable;
  summary_recommendations: SummaryRecommendationsTable;
  summary_versions: SummaryVersionsTable;
  outcome_updates: OutcomeUpdatesTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type RespondentProfile = Selectable<RespondentProfilesTable>;
export type Consultation = Selectable<ConsultationsTable>;
export type NewConsultation = Insertable<ConsultationsTable>;
export type ConsultationUpdate = Updateable<ConsultationsTable>;
export type Recommendation = Selectable<RecommendationsTable>;
export type NewRecommendationChange = Insertable<RecommendationChangesTable>;
export type NewRecommendation = Insertable<RecommendationsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;
export type NewComment = Insertable<CommentsTable>;

import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type Segment = 'founder' | 'investor' | 'other';
export type ConsultationStatus = 'draft' | 'open' | 'closed' | 'published';
export type StaffRole = 'moderator' | 'organiser';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  created_at: CreatedAt;
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
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
}

export interface ConsultationsTable {
  id: Generated<string>;
  slug: string;
  title: string;
  summary: string;
  body: Generated<string>;
  run_by: string;
  status: Generated<ConsultationStatus>;
  opens_at: Date | null;
  closes_at: Date | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
}

export interface RecommendationsTable {
  id: Generated<string>;
  consultation_id: string;
  number: number;
  slug: string;
  title: string;
  summary: string;
  rationale: Generated<string>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Generated<Timestamp>;
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

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  respondent_profiles: RespondentProfilesTable;
  consultations: ConsultationsTable;
  recommendations: RecommendationsTable;
  role_grants: RoleGrantsTable;
  audit_events: AuditEventsTable;
  rate_limits: RateLimitsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type RespondentProfile = Selectable<RespondentProfilesTable>;
export type Consultation = Selectable<ConsultationsTable>;
export type NewConsultation = Insertable<ConsultationsTable>;
export type ConsultationUpdate = Updateable<ConsultationsTable>;
export type Recommendation = Selectable<RecommendationsTable>;
export type NewRecommendation = Insertable<RecommendationsTable>;
export type AuditEvent = Selectable<AuditEventsTable>;

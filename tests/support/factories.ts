import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type {
  CommentStatus,
  Consent,
  Consultation,
  DB,
  HeldReason,
  NewConsultation,
  NewRecommendation,
  Recommendation,
  ReportReason,
  Segment,
  Stance,
  StaffRole,
} from '#db/schema';
import { expect } from 'vitest';
import { followConfirmationLink, hashPassword, signUp, type Viewer } from '~/.server/auth';
import type { RequestContext } from '~/.server/context';
import { renderForStorage } from '~/.server/markdown';
import { submitResponse } from '~/.server/responses';
import { profileSnapshot } from '~/.server/responses/snapshot';
import { writeSubmittedResponse } from '~/.server/responses/submitted';
import type { SignUpInput } from '~/lib/schemas/accounts';

/** The password of every factory-made account (unless one is given). */
export const TEST_PASSWORD = 'correct horse battery staple';

// Argon2 is deliberately slow; one hash serves every account that uses the default password.
let defaultHash: Promise<string> | undefined;
function passwordHash(password: string) {
  if (password !== TEST_PASSWORD) return hashPassword(password);
  defaultHash ??= hashPassword(TEST_PASSWORD);
  return defaultHash;
}

let sequence = 0;
function unique(prefix: string) {
  sequence += 1;
  return `${prefix}-${sequence}-${randomBytes(3).toString('hex')}`;
}

export type TestUser = {
  id: string;
  email: string;
  password: string;
  displayName: string;
  segment: Segment;
};

export type UserOverrides = Partial<{
  email: string;
  password: string;
  displayName: string;
  organisation: string | null;
  segment: Segment;
  segmentOther: string | null;
  /** Accounts are confirmed unless a test needs one that is not. */
  emailConfirmed: boolean;
}>;

/** An account with its respondent profile, written straight to the database. */
export async function createUser(db: Kysely<DB>, overrides: UserOverrides = {}): Promise<TestUser> {
  const email = overrides.email ?? `${unique('user')}@example.test`;
  const password = overrides.password ?? TEST_PASSWORD;
  const displayName = overrides.displayName ?? `Test person ${sequence}`;
  const segment = overrides.segment ?? 'founder';
  const segmentOther = overrides.segmentOther ?? (segment === 'other' ? 'Researcher' : null);
  const user = await db
    .insertInto('users')
    .values({
      email,
      password_hash: await passwordHash(password),
      email_verified_at: overrides.emailConfirmed === false ? null : new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('respondent_profiles')
    .values({
      user_id: user.id,
      display_name: displayName,
      organisation: overrides.organisation ?? null,
      segment,
      segment_other: segmentOther,
    })
    .execute();
  return { id: user.id, email, password, displayName, segment };
}

export async function grantRole(
  db: Kysely<DB>,
  userId: string,
  role: StaffRole,
  consultationId: string | null = null,
) {
  await db
    .insertInto('role_grants')
    .values({ user_id: userId, role, consultation_id: consultationId })
    .execute();
}

/** The Viewer a signed-in request of this user would carry, roles read from role_grants. */
export async function makeViewer(db: Kysely<DB>, userId: string): Promise<Viewer> {
  const user = await db
    .selectFrom('users')
    .leftJoin('respondent_profiles', 'respondent_profiles.user_id', 'users.id')
    .select([
      'users.id',
      'users.email',
      'respondent_profiles.display_name',
      'respondent_profiles.segment',
      'users.email_verified_at',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow();
  const roles = await db
    .selectFrom('role_grants')
    .select(['role', 'consultation_id'])
    .where('user_id', '=', userId)
    .execute();
  return {
    id: user.id,
    email: user.email,
    displayName: user.display_name ?? user.email,
    segment: user.segment ?? null,
    emailConfirmed: user.email_verified_at !== null,
    roles: roles.map((r) => ({ role: r.role, consultationId: r.consultation_id })),
    sessionId: `test-session-${userId}`,
  };
}

/** A signed-in respondent with no staff role. */
export async function createRespondent(db: Kysely<DB>, overrides: UserOverrides = {}) {
  const user = await createUser(db, overrides);
  return makeViewer(db, user.id);
}

/** A signed-in organiser of every consultation (a site-wide grant). */
export async function createOrganiser(db: Kysely<DB>, overrides: UserOverrides = {}) {
  const user = await createUser(db, { segment: 'other', segmentOther: 'Organiser', ...overrides });
  await grantRole(db, user.id, 'organiser');
  return makeViewer(db, user.id);
}

const DAY = 24 * 60 * 60 * 1000;

/** A consultation row, a draft unless told otherwise; an open one closes in 30 days. */
export async function createConsultation(
  db: Kysely<DB>,
  overrides: Partial<NewConsultation> = {},
): Promise<Consultation> {
  const status = overrides.status ?? 'draft';
  // Stored with its HTML, as the organiser's forms store it.
  const body = renderForStorage('description', overrides.body ?? 'Some **background**.');
  const houseRules = renderForStorage('house-rules', overrides.house_rules ?? '');
  return db
    .insertInto('consultations')
    .values({
      slug: unique('consultation'),
      title: 'A test consultation',
      summary: 'What this consultation is about.',
      body: 'Some **background**.',
      body_html: body.html,
      body_html_version: body.version,
      house_rules_html: houseRules.html,
      house_rules_html_version: houseRules.version,
      run_by: 'The test team',
      status,
      opens_at: status === 'draft' ? null : new Date(Date.now() - DAY),
      closes_at: status === 'draft' ? null : new Date(Date.now() + 30 * DAY),
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A recommendation row appended after the consultation's last one. */
export async function createRecommendation(
  db: Kysely<DB>,
  consultationId: string,
  overrides: Partial<NewRecommendation> = {},
): Promise<Recommendation> {
  const last = await db
    .selectFrom('recommendations')
    .select((eb) => eb.fn.max('number').as('max'))
    .where('consultation_id', '=', consultationId)
    .executeTakeFirst();
  const number = Number(last?.max ?? 0) + 1;
  const rationale = renderForStorage('rationale', overrides.rationale ?? 'Why it matters.');
  return db
    .insertInto('recommendations')
    .values({
      consultation_id: consultationId,
      number,
      slug: unique('recommendation'),
      title: `Recommendation ${number}`,
      summary: `What recommendation ${number} proposes.`,
      rationale: 'Why it matters.',
      rationale_html: rationale.html,
      rationale_html_version: rationale.version,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

let ipSequence = 0;

/** A request context; every call comes from an address of its own unless one is given. */
export function ctx(overrides: Partial<RequestContext> = {}): RequestContext {
  ipSequence += 1;
  const clientIp = `10.${(ipSequence >> 16) & 255}.${(ipSequence >> 8) & 255}.${ipSequence & 255}`;
  return { requestId: randomUUID(), clientIp, ...overrides };
}

/** A GET request to the site carrying the given Cookie header. */
export function requestWithCookie(cookie: string | null) {
  const headers = new Headers();
  if (cookie !== null) headers.set('Cookie', cookie);
  return new Request('http://localhost/', { headers });
}

/** The `name=value` part of a Set-Cookie string, as a browser would send it back. */
export function cookiePair(setCookie: string) {
  return setCookie.split(';')[0]!;
}

/** Who the respondent is now, as a submission records them. */
export async function profileSnapshotOf(db: Kysely<DB>, userId: string) {
  const profile = await db
    .selectFrom('respondent_profiles')
    .select([
      'display_name',
      'organisation',
      'segment',
      'segment_other',
      'organisation_stage',
      'region',
      'verified',
    ])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return profileSnapshot(profile);
}

/**
 * A submitted response (version 1) written straight to the database, by a new respondent unless
 * one is given: quicker than answering and submitting when a test needs many of them.
 */
export async function insertSubmittedResponse(
  db: Kysely<DB>,
  consultationId: string,
  options: {
    userId?: string;
    segment?: Segment;
    submittedAt?: Date;
    answers?: {
      recommendationId: string;
      stance: Stance;
      importance?: number;
      reasons?: string;
      changeMind?: string;
    }[];
    /** A submitted response always has a publishing choice; tests pick one, not the schema. */
    consent?: Consent;
    overallComments?: string;
  } = {},
) {
  const userId = options.userId ?? (await createUser(db, { segment: options.segment })).id;
  const submittedAt = options.submittedAt ?? new Date();
  const profile = await profileSnapshotOf(db, userId);
  const written = await writeSubmittedResponse(db, {
    consultationId,
    userId,
    submittedAt,
    snapshot: {
      profile: { ...profile, segment: options.segment ?? profile.segment },
      consent: options.consent ?? 'anonymous',
      overallComments: options.overallComments ?? null,
      answers: (options.answers ?? []).map((a) => ({
        recommendationId: a.recommendationId,
        stance: a.stance,
        importance: a.importance ?? null,
        reasons: a.reasons ?? null,
        changeMind: a.changeMind ?? null,
      })),
    },
  });
  return { id: written.responseId, reference: written.reference, userId, submittedAt };
}

/** Marks a respondent's profile as verified by the organisers. */
export async function verifyProfile(db: Kysely<DB>, userId: string, verified = true) {
  await db
    .updateTable('respondent_profiles')
    .set({ verified })
    .where('user_id', '=', userId)
    .execute();
}

/**
 * An endorsement row written straight to the database (the rollup is left alone): for tests of
 * the named list that need many endorsers or chosen times.
 */
export async function insertEndorsement(
  db: Kysely<DB>,
  recommendationId: string,
  options: {
    userId?: string;
    showName?: boolean;
    onBehalfOfOrganisation?: boolean;
    createdAt?: Date;
  } = {},
) {
  const userId =
    options.userId ?? (await createUser(db, { organisation: 'Example Ventures Ltd' })).id;
  const recommendation = await db
    .selectFrom('recommendations')
    .select('consultation_id')
    .where('id', '=', recommendationId)
    .executeTakeFirstOrThrow();
  const profile = await db
    .selectFrom('respondent_profiles')
    .select(['display_name', 'organisation', 'segment'])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return db
    .insertInto('endorsements')
    .values({
      recommendation_id: recommendationId,
      consultation_id: recommendation.consultation_id,
      user_id: userId,
      show_name: options.showName ?? true,
      on_behalf_of_organisation: options.onBehalfOfOrganisation ?? false,
      segment: profile.segment,
      display_name: profile.display_name,
      organisation: profile.organisation,
      ...(options.createdAt ? { created_at: options.createdAt } : {}),
    })
    .returning(['id', 'user_id', 'display_name', 'created_at'])
    .executeTakeFirstOrThrow();
}

/**
 * A comment row written straight to the database, by a new respondent unless an author is
 * given: for tests that need many comments, chosen times or helpful counts, past rate limits.
 */
export async function insertComment(
  db: Kysely<DB>,
  recommendationId: string,
  options: {
    authorId?: string;
    body?: string;
    parentId?: string;
    createdAt?: Date;
    helpfulCount?: number;
    status?: CommentStatus;
    /** Why a held comment is held ('links' unless told). */
    heldReason?: HeldReason;
  } = {},
) {
  const authorId = options.authorId ?? (await createUser(db)).id;
  const recommendation = await db
    .selectFrom('recommendations')
    .select('consultation_id')
    .where('id', '=', recommendationId)
    .executeTakeFirstOrThrow();
  const author = await db
    .selectFrom('respondent_profiles')
    .select(['display_name', 'segment', 'verified'])
    .where('user_id', '=', authorId)
    .executeTakeFirstOrThrow();
  const parent = options.parentId
    ? await db
        .selectFrom('comments')
        .select(['id', 'thread_id', 'depth'])
        .where('id', '=', options.parentId)
        .executeTakeFirstOrThrow()
    : undefined;
  if (parent) {
    await db
      .updateTable('comments')
      .set((eb) => ({ reply_count: eb('reply_count', '+', 1) }))
      .where('id', '=', parent.id)
      .execute();
  }
  const body = options.body ?? `A comment written at ${new Date().toISOString()}`;
  const html = renderForStorage('comment', body);
  return db
    .insertInto('comments')
    .values({
      recommendation_id: recommendationId,
      consultation_id: recommendation.consultation_id,
      author_id: authorId,
      parent_id: parent?.id ?? null,
      thread_id: parent ? (parent.thread_id ?? parent.id) : null,
      depth: parent ? parent.depth + 1 : 0,
      body,
      body_html: html.html,
      body_html_version: html.version,
      status: options.status ?? 'visible',
      held_reason: options.status === 'held' ? (options.heldReason ?? 'links') : null,
      author_segment: author.segment,
      author_display_name: author.display_name,
      author_verified: author.verified,
      helpful_count: options.helpfulCount ?? 0,
      ...(options.createdAt ? { created_at: options.createdAt } : {}),
    })
    .returning(['id', 'created_at', 'helpful_count'])
    .executeTakeFirstOrThrow();
}

/**
 * A reader's report of a comment, written straight to the database with the comment's count of
 * reports, by a new respondent unless one is given. Hiding at the threshold is left to the test.
 */
export async function insertReport(
  db: Kysely<DB>,
  commentId: string,
  options: { userId?: string; reason?: ReportReason; note?: string; createdAt?: Date } = {},
) {
  const userId = options.userId ?? (await createUser(db)).id;
  await db
    .updateTable('comments')
    .set((eb) => ({ report_count: eb('report_count', '+', 1) }))
    .where('id', '=', commentId)
    .execute();
  return db
    .insertInto('comment_reports')
    .values({
      comment_id: commentId,
      user_id: userId,
      reason: options.reason ?? 'spam',
      note: options.note ?? null,
      ...(options.createdAt ? { created_at: options.createdAt } : {}),
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow();
}

/**
 * The respondent's choice on the last page, made if not made yet (nothing is pre-selected), then
 * the submission: for tests about something other than that choice. Leaves the overall comments
 * alone, as choosing on the last page without typing a comment would.
 */
export async function submitChoosingPublishing(
  db: Kysely<DB>,
  viewer: Viewer,
  slug: string,
  submissionKey: string,
  consent: Consent = 'anonymous',
) {
  await db
    .updateTable('responses')
    .set({ consent })
    .where('user_id', '=', viewer.id)
    .where('consent', 'is', null)
    .where(
      'consultation_id',
      '=',
      db.selectFrom('consultations').select('id').where('slug', '=', slug),
    )
    .execute();
  return submitResponse(db, viewer, slug, submissionKey);
}

/** The token of the newest email to `address` linking to `path`, read from the outbox table. */
export async function tokenInOutbox(db: Kysely<DB>, address: string, path: string) {
  const latest = await db
    .selectFrom('email_outbox')
    .select(['subject', 'text_body'])
    .where('to_address', '=', address)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  expect(latest, `an email to ${address}`).toBeDefined();
  const match = new RegExp(`${path}\\?token=([^\\s&]+)`).exec(latest!.text_body);
  expect(match, `a ${path} link in "${latest!.subject}"`).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

/**
 * Signs up through the service, then follows the confirmation link as the new person: returns
 * the account and the session cookie the link gave.
 */
export async function signUpAndConfirm(
  db: Kysely<DB>,
  input: SignUpInput,
  context: RequestContext = ctx(),
) {
  await signUp(db, input, context);
  const token = await tokenInOutbox(db, input.email, '/account/confirm-email');
  const confirmed = await followConfirmationLink(db, token, null, context);
  expect(confirmed.cookie, `a session for ${input.email}`).not.toBeNull();
  return { userId: confirmed.userId, cookie: confirmed.cookie! };
}

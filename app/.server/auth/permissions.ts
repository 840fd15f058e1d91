import type { Kysely, Transaction } from 'kysely';
import type { DB } from '#db/schema';
import { DomainError, forbidden, notFound } from '../errors';
import { suspendedMessage } from '../suspensions/messages';
import { findActiveSuspension } from '../suspensions/queries';
import { hasRole, type Viewer } from './session';

// Who may do what: the checks every service calls before it reads or writes on someone's
// behalf. Services never compare roles themselves; a new rule belongs here, beside the others.

type Db = Kysely<DB> | Transaction<DB>;

export const SIGN_IN_TO_CONTINUE = 'Sign in to continue.';

export function requireSignedIn(viewer: Viewer | null): Viewer {
  if (!viewer) throw new DomainError('unauthenticated', SIGN_IN_TO_CONTINUE);
  return viewer;
}

/** Organisers of the consultation (or of every one). */
export function isOrganiser(viewer: Viewer | null, consultationId: string | null) {
  return hasRole(viewer, 'organiser', consultationId);
}

/** Moderators and organisers of the consultation (or of every one) may moderate it. */
export function canModerate(viewer: Viewer | null, consultationId: string) {
  return hasRole(viewer, 'moderator', consultationId) || isOrganiser(viewer, consultationId);
}

/** Holds a staff role (moderator or organiser) on some consultation or on every one. */
export function isStaff(viewer: Viewer | null) {
  return !!viewer && viewer.roles.length > 0;
}

/** Signed in (401) and an organiser of the consultation (403 with `refusal`). */
export function requireOrganiser(
  viewer: Viewer | null,
  consultationId: string | null,
  refusal = 'Only organisers of this consultation can do that.',
): Viewer {
  const me = requireSignedIn(viewer);
  if (!isOrganiser(me, consultationId)) throw forbidden(refusal);
  return me;
}

export function isSiteOrganiser(viewer: Viewer | null) {
  return !!viewer?.roles.some((r) => r.role === 'organiser' && r.consultationId === null);
}

/**
 * Signed in and holding the organiser role site-wide, not only for one consultation: what is
 * site-wide (suspensions, verification, the whole audit log) is not for an organiser of one.
 */
export function requireSiteOrganiser(
  viewer: Viewer | null,
  refusal = 'Only site-wide organisers can do that.',
): Viewer {
  const me = requireSignedIn(viewer);
  if (!isSiteOrganiser(me)) throw forbidden(refusal);
  return me;
}

/**
 * Resolves a slug for an organiser's page or action: 404 when no consultation has it (even for
 * someone signed out, so the slug space reads the same to everyone), then 401/403.
 */
export async function requireOrganisedConsultation(
  db: Db,
  viewer: Viewer | null,
  slug: string,
  refusal?: string,
) {
  const consultation = await db
    .selectFrom('consultations')
    .select(['id', 'slug', 'title'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!consultation) throw notFound('consultation');
  requireOrganiser(viewer, consultation.id, refusal);
  return consultation;
}

export const CONFIRM_EMAIL_FIRST =
  'Confirm your email address first: open the link we sent you. Until then you cannot submit a response, comment, endorse or be given a role.';

/** Refuses an account whose address has not been confirmed by the link sent to it. */
export async function requireConfirmedEmail(db: Db, userId: string) {
  const user = await db
    .selectFrom('users')
    .select('email_verified_at')
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user?.email_verified_at) {
    throw new DomainError('unconfirmed', CONFIRM_EMAIL_FIRST, {
      link: { href: '/account/confirm-email', text: 'Send the link again' },
    });
  }
}

/** A suspended account may read but not write; every write on someone's behalf checks this. */
export async function requireNotSuspended(db: Db, userId: string) {
  const suspension = await findActiveSuspension(db, userId);
  if (suspension) throw new DomainError('suspended', suspendedMessage(suspension));
}

/**
 * Every way of taking part (responding, commenting, replying, voting, endorsing, reporting)
 * calls this inside its writing transaction: a suspended account may read but not write, and
 * nothing is public until the person has confirmed their email address.
 */
export async function requireMayTakePart(db: Db, viewer: Viewer) {
  await requireNotSuspended(db, viewer.id);
  await requireConfirmedEmail(db, viewer.id);
}

/**
 * Saving a draft of a response is private, so an unconfirmed address may do it (and confirm
 * before submitting); a suspended account may not.
 */
export async function requireMayDraft(db: Db, viewer: Viewer) {
  await requireNotSuspended(db, viewer.id);
}

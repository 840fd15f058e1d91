import type { Kysely } from 'kysely';
import type { DB, Segment, StaffRole } from '#db/schema';
import { getEnv } from '../env';
import { createLucia } from './lucia';
import { activeSuspensions } from '../suspensions/queries';

export type RoleGrant = { role: StaffRole; consultationId: string | null };

/** The signed-in person, as every domain function sees them. */
export type Viewer = {
  id: string;
  email: string;
  displayName: string;
  segment: Segment | null;
  /** Whether the person has followed the link sent to their address. */
  emailConfirmed: boolean;
  roles: RoleGrant[];
  sessionId: string;
};

const instances = new WeakMap<Kysely<DB>, ReturnType<typeof createLucia>>();

export function lucia(db: Kysely<DB>) {
  let instance = instances.get(db);
  if (!instance) {
    instance = createLucia(db, getEnv().isProduction);
    instances.set(db, instance);
  }
  return instance;
}

/**
 * The session id in the request's Cookie header, or null. Lucia's parser throws on a malformed
 * %-escape in any cookie, and a stray cookie on our domain must not break every page.
 */
export function readSessionId(db: Kysely<DB>, request: Request): string | null {
  try {
    return lucia(db).readSessionCookie(request.headers.get('Cookie') ?? '');
  } catch {
    return null;
  }
}

export type SessionState = {
  viewer: Viewer | null;
  /** A Set-Cookie value to send back: the session's new expiry, or a cleared stale cookie. */
  setCookie: string | null;
};

// The root and route loaders of one request each get a Request object of their own, but share
// the load context (server.js makes one per HTTP request): the session is validated once per
// context, not once per loader (it was looked up twice on every signed-in page).
const perRequest = new WeakMap<object, Promise<SessionState>>();

/**
 * The request's session: who is signed in, and any cookie to send back. Never throws for a bad
 * cookie. `scope` is what the answer is kept for: the request's load context where there is one.
 */
export function resolveSession(
  db: Kysely<DB>,
  request: Request,
  scope: object = request,
): Promise<SessionState> {
  let state = perRequest.get(scope);
  if (!state) {
    state = validate(db, request);
    perRequest.set(scope, state);
  }
  return state;
}

/**
 * Forgets the session read for `scope`: after an action, which may have changed who is signed
 * in or their name and roles, the loaders that render the page in the same request read it again.
 */
export function forgetSession(scope: object) {
  perRequest.delete(scope);
}

async function validate(db: Kysely<DB>, request: Request): Promise<SessionState> {
  const auth = lucia(db);
  const sessionId = readSessionId(db, request);
  if (!sessionId) return { viewer: null, setCookie: null };
  const { session, user } = await auth.validateSession(sessionId);
  if (!session || !user) {
    return { viewer: null, setCookie: auth.createBlankSessionCookie().serialize() };
  }
  const roles = await db
    .selectFrom('role_grants')
    .select(['role', 'consultation_id'])
    .where('user_id', '=', user.id)
    // A suspension is site-wide: while it is in force, no staff right the account holds works,
    // however it was granted. The grants stay on record for when it ends.
    .where(({ not, exists }) => not(exists(activeSuspensions(db, user.id).select('id'))))
    .execute();
  return {
    viewer: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      segment: user.segment,
      emailConfirmed: user.emailConfirmed,
      roles: roles.map((r) => ({ role: r.role, consultationId: r.consultation_id })),
      sessionId,
    },
    // Lucia extends a session past its half-life; the cookie must carry the new expiry too.
    setCookie: session.fresh ? auth.createSessionCookie(session.id).serialize() : null,
  };
}

/** The viewer behind the request's session cookie, or null. */
export async function getViewer(db: Kysely<DB>, request: Request): Promise<Viewer | null> {
  return (await resolveSession(db, request)).viewer;
}

/** True when the viewer holds `role` site-wide or for the given consultation. */
export function hasRole(viewer: Viewer | null, role: StaffRole, consultationId?: string | null) {
  if (!viewer) return false;
  return viewer.roles.some(
    (grant) =>
      grant.role === role &&
      (grant.consultationId === null || grant.consultationId === (consultationId ?? null)),
  );
}

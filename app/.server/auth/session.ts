import type { Kysely } from 'kysely';
import type { Cookie } from 'lucia';
import type { DB, Segment, StaffRole } from '#db/schema';
import { getEnv } from '../env';
import { createLucia } from './lucia';

export type RoleGrant = { role: StaffRole; consultationId: string | null };

/** The signed-in person, as every domain function sees them. */
export type Viewer = {
  id: string;
  email: string;
  displayName: string;
  segment: Segment | null;
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

export function serializeCookie(cookie: Cookie) {
  return cookie.serialize();
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

/** The viewer behind the request's session cookie, or null. Never throws for a bad cookie. */
export async function getViewer(db: Kysely<DB>, request: Request): Promise<Viewer | null> {
  const auth = lucia(db);
  const sessionId = readSessionId(db, request);
  if (!sessionId) return null;
  const { session, user } = await auth.validateSession(sessionId);
  if (!session || !user) return null;
  const roles = await db
    .selectFrom('role_grants')
    .select(['role', 'consultation_id'])
    .where('user_id', '=', user.id)
    .execute();
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    segment: user.segment,
    roles: roles.map((r) => ({ role: r.role, consultationId: r.consultation_id })),
    sessionId,
  };
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

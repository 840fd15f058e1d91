import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Kysely } from 'kysely';
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { DB } from '#db/schema';

/** Sessions are stored under the SHA-256 of their secret, so a leaked table cannot be replayed. */
export function hashSessionId(sessionId: string) {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(sessionId)));
}

/** Lucia's storage over Kysely, identical on PGlite and pg. */
export function createKyselyAdapter(db: Kysely<DB>): Adapter {
  return {
    async getSessionAndUser(sessionId) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .leftJoin('respondent_profiles', 'respondent_profiles.user_id', 'users.id')
        .select([
          'sessions.user_id',
          'sessions.expires_at',
          'users.email',
          'users.email_verified_at',
          'respondent_profiles.display_name',
          'respondent_profiles.segment',
        ])
        .where('sessions.id', '=', hashSessionId(sessionId))
        .executeTakeFirst();
      if (!row) return [null, null];
      const session: DatabaseSession = {
        id: sessionId,
        userId: row.user_id,
        expiresAt: row.expires_at,
        attributes: {},
      };
      const user: DatabaseUser = {
        id: row.user_id,
        attributes: {
          email: row.email,
          display_name: row.display_name ?? row.email,
          segment: row.segment ?? null,
          email_verified_at: row.email_verified_at,
        },
      };
      return [session, user];
    },
    async getUserSessions(userId) {
      const rows = await db
        .selectFrom('sessions')
        .select(['id', 'expires_at'])
        .where('user_id', '=', userId)
        .execute();
      return rows.map((r) => ({ id: r.id, userId, expiresAt: r.expires_at, attributes: {} }));
    },
    async setSession(session) {
      await db
        .insertInto('sessions')
        .values({
          id: hashSessionId(session.id),
          user_id: session.userId,
          expires_at: session.expiresAt,
        })
        .execute();
    },
    async updateSessionExpiration(sessionId, expiresAt) {
      await db
        .updateTable('sessions')
        .set({ expires_at: expiresAt })
        .where('id', '=', hashSessionId(sessionId))
        .execute();
    },
    async deleteSession(sessionId) {
      await db.deleteFrom('sessions').where('id', '=', hashSessionId(sessionId)).execute();
    },
    async deleteUserSessions(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },
    async deleteExpiredSessions() {
      await db.deleteFrom('sessions').where('expires_at', '<=', new Date()).execute();
    },
  };
}

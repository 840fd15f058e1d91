import type { Kysely } from 'kysely';
import { Lucia, TimeSpan } from 'lucia';
import type { DB, Segment } from '#db/schema';
import { createKyselyAdapter } from './adapter';

// Lucia 3 is deprecated upstream; nothing outside `auth/` touches it, so it can be swapped.
export function createLucia(db: Kysely<DB>, secureCookies: boolean) {
  return new Lucia(createKyselyAdapter(db), {
    sessionExpiresIn: new TimeSpan(30, 'd'),
    sessionCookie: {
      name: 'oc_session',
      attributes: { secure: secureCookies, sameSite: 'lax' },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      displayName: attributes.display_name,
      segment: attributes.segment,
      emailConfirmed: attributes.email_verified_at !== null,
    }),
  });
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    UserId: string;
    DatabaseUserAttributes: {
      email: string;
      display_name: string;
      segment: Segment | null;
      email_verified_at: Date | null;
    };
  }
}

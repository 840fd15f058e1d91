import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema';

const COOKIE = 'oc_parked';
const LIFETIME_SECONDS = 60 * 60;

function cookie(value: string, maxAge: number, secure: boolean) {
  return `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

function readToken(request: Request) {
  const header = request.headers.get('Cookie') ?? '';
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([A-Za-z0-9_-]{20,100})`).exec(header);
  return match?.[1] ?? null;
}

/**
 * Keeps what someone typed into a form whose post arrived after their session ended, for an
 * hour, against a token in a cookie of their browser. Returns the Set-Cookie value.
 */
export async function parkForm(
  db: Kysely<DB>,
  path: string,
  values: Record<string, string>,
  secure: boolean,
) {
  const token = randomBytes(24).toString('base64url');
  await db
    .deleteFrom('parked_forms')
    .where('expires_at', '<', sql<Date>`now()`)
    .execute();
  await db
    .insertInto('parked_forms')
    .values({
      token,
      path,
      form_values: JSON.stringify(values),
      expires_at: sql`now() + make_interval(secs => ${LIFETIME_SECONDS})`,
    })
    .execute();
  return cookie(token, LIFETIME_SECONDS, secure);
}

/**
 * The values parked for this page by this browser, removed as they are read (so they appear
 * once), with the Set-Cookie value that clears the token; null when there are none.
 */
export async function takeParkedForm(db: Kysely<DB>, request: Request, secure: boolean) {
  const token = readToken(request);
  if (!token) return null;
  const row = await db
    .deleteFrom('parked_forms')
    .where('token', '=', token)
    .where('path', '=', new URL(request.url).pathname)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('form_values')
    .executeTakeFirst();
  if (!row) return null;
  return { values: row.form_values, setCookie: cookie('', 0, secure) };
}

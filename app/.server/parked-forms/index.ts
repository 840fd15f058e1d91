import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { hitRateLimit, type RateLimit } from '../rate-limits';

const COOKIE = 'oc_parked';
const LIFETIME_SECONDS = 60 * 60;

// Parking is a courtesy to someone whose session ended mid-form, not storage anyone can fill:
// only forms whose page shows parked values again are parked (see `handler`'s option), each at
// most this large, this many per address an hour, and this much in all.
export const PARKED_FORMS_PER_ADDRESS: RateLimit = {
  name: 'parked-forms-ip',
  limit: 30,
  windowSeconds: LIFETIME_SECONDS,
};
export const PARKING_LIMITS = {
  perAddress: PARKED_FORMS_PER_ADDRESS,
  formBytes: 64 * 1024,
  totalBytes: 16 * 1024 * 1024,
};

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
 * hour, against a token in a cookie of their browser. Returns the Set-Cookie value, or null when
 * the form is not kept (too large, too many from this address, or the store is full): the person
 * is still sent to sign in, only without their values.
 */
export async function parkForm(
  db: Kysely<DB>,
  form: { path: string; values: Record<string, string>; clientIp: string; secure: boolean },
  limits = PARKING_LIMITS,
): Promise<string | null> {
  const json = JSON.stringify(form.values);
  const bytes = Buffer.byteLength(json);
  if (bytes > limits.formBytes) return null;
  const byAddress = await hitRateLimit(db, limits.perAddress, form.clientIp);
  if (byAddress.hits > limits.perAddress.limit) return null;
  const { rows } = await sql<{ bytes: string | number }>`
    select coalesce(sum(octet_length(form_values::text)), 0) as bytes
    from parked_forms where expires_at > now()`.execute(db);
  if (Number(rows[0]?.bytes ?? 0) + bytes > limits.totalBytes) return null;
  const token = randomBytes(24).toString('base64url');
  await db
    .insertInto('parked_forms')
    .values({
      token,
      path: form.path,
      form_values: json,
      expires_at: sql`now() + make_interval(secs => ${LIFETIME_SECONDS})`,
    })
    .execute();
  return cookie(token, LIFETIME_SECONDS, form.secure);
}

/** Run by the hourly sweep: parked forms nobody came back for. */
export async function sweepParkedForms(db: Kysely<DB>) {
  const result = await db
    .deleteFrom('parked_forms')
    .where('expires_at', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
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

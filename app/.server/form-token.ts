import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { FORM_TOKEN_FIELD } from '~/lib/form-token';
import { readSessionId } from './auth/session';

/**
 * The second line against cross-site form posts. server.js refuses a POST whose Origin (or, when
 * there is none, Referer) is another site; a browser that sends neither leaves nothing to check,
 * so then a signed-in post must carry this token, which every post form on our pages has
 * (app/ui/form.tsx) and another site cannot read. It is derived from the session id, itself a
 * secret only the browser and the database know, so there is nothing to store or to configure.
 */
export function formTokenFor(sessionId: string) {
  return createHash('sha256').update(`form-token:${sessionId}`).digest('base64url');
}

/** The request's session's token, or null when signed out. */
export function formToken(db: Kysely<DB>, request: Request) {
  const sessionId = readSessionId(db, request);
  return sessionId ? formTokenFor(sessionId) : null;
}

/** Whether a signed-in post needs its token: only when the browser said nowhere where it came from. */
export function needsFormToken(request: Request) {
  return (
    request.method !== 'GET' &&
    request.method !== 'HEAD' &&
    !request.headers.has('Origin') &&
    !request.headers.has('Referer')
  );
}

/** Whether the form carries the token of the request's own session. */
export function carriesFormToken(db: Kysely<DB>, request: Request, form: FormData) {
  const expected = formToken(db, request);
  const sent = form.get(FORM_TOKEN_FIELD);
  if (!expected || typeof sent !== 'string') return false;
  const [a, b] = [Buffer.from(sent), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

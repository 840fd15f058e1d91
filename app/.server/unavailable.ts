import { data } from '@remix-run/node';
import type { RequestContext } from './context';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './db-errors';
import { logger } from './logger';

/**
 * What a page gets when the database is unavailable or too slow: a 503 with Retry-After, and for
 * a form, everything that was typed so the "Try again" page can send it again unchanged (forms
 * carry their idempotency keys, so sending twice is safe). Passwords are not sent back: the page
 * asks for them again.
 */
export type UnavailableData = {
  message: string;
  retry: { action: string; values: Record<string, string>; secretFields: string[] } | null;
};

export const UNAVAILABLE_MESSAGE =
  'The service is busy or briefly unavailable, so this could not be done just now.';

/** Form fields never sent back to the browser. */
export const SECRET_FIELDS = ['password', 'currentPassword'] as const;

/**
 * The 503 for a request whose database work failed. `typed` is what the form carried (read by
 * http.ts, which owns reading bodies), or null for a page that was only being read.
 */
export function unavailableResponse(
  request: Request,
  ctx: RequestContext,
  error: unknown,
  typed: Record<string, string> | null,
) {
  const url = new URL(request.url);
  logger.warn('database unavailable', {
    requestId: ctx.requestId,
    method: request.method,
    path: url.pathname,
    error: error instanceof Error ? error.message : String(error),
  });
  let retry: UnavailableData['retry'] = null;
  if (typed) {
    const values = { ...typed };
    const secretFields = SECRET_FIELDS.filter((name) => name in values);
    for (const name of secretFields) delete values[name];
    // Remix's own parameters are not part of the form; `index` picks an index route's action.
    for (const name of ['_data', '_routes']) url.searchParams.delete(name);
    retry = { action: url.pathname + url.search, values, secretFields };
  }
  return data<UnavailableData>(
    { message: UNAVAILABLE_MESSAGE, retry },
    {
      status: 503,
      headers: {
        'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
        'Cache-Control': 'no-store',
      },
    },
  );
}

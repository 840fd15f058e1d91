import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { safeRedirect } from '~/lib/schemas/accounts';
import { recordAudit } from './audit';
import { forgetSession, resolveSession, type Viewer } from './auth';
import type { RequestContext } from './context';
import type { Database } from './db';
import { getEnv } from './env';
import { isDatabaseUnavailable } from './db-errors';
import { DomainError } from './errors';
import { carriesFormToken, needsFormToken } from './form-token';
import { logger } from './logger';
import { FORM_TOKEN_FIELD } from '~/lib/form-token';
import { rememberOrigin } from './mail';
import { parkForm, takeParkedForm as takeParkedForm_ } from './parked-forms';
import { SECRET_FIELDS, unavailableResponse } from './unavailable';

/** The largest form body we read: far above any real form, far below a memory problem. */
export const MAX_FORM_BYTES = 256 * 1024;

export type FieldErrors = Record<string, string[] | undefined>;
/** What a form gets back after a refused POST: messages and everything the person typed. */
export type FormFailure = {
  ok: false;
  formError: string | null;
  /** A page that helps with formError, linked after it. */
  formErrorLink?: { href: string; text: string } | null;
  fieldErrors: FieldErrors;
  values: Record<string, string>;
};

type Parsed<T> = { ok: true; data: T; values: Record<string, string> } | FormFailure;

const INVALID_CHARACTERS = 'Remove the invisible control characters from this answer';
const UNREADABLE = 'This answer contains characters we could not read. Retype it and try again.';

/**
 * Reads a urlencoded form and checks it against `schema`. Unknown fields, repeated fields,
 * files, NUL bytes and undecodable text are refused with messages, and the typed values are
 * returned so the form can be shown again as it was.
 */
export async function parseForm<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<Parsed<z.output<S>>> {
  const form = await readFormData(request);
  const values: Record<string, string> = {};
  const fieldErrors: FieldErrors = {};
  let formError: string | null = null;
  for (const [key, value] of form.entries()) {
    // Checked by handler() before the action runs; not part of any form's own fields.
    if (key === FORM_TOKEN_FIELD) continue;
    if (typeof value !== 'string') {
      formError = 'This form does not accept files.';
      continue;
    }
    if (key in values) {
      formError = 'The form was sent with a repeated field. Reload the page and try again.';
      continue;
    }
    values[key] = value;
    if (value.includes('\u0000')) fieldErrors[key] = [INVALID_CHARACTERS];
    else if (value.includes('\uFFFD')) fieldErrors[key] = [UNREADABLE];
  }
  typedValues.set(request, { ...values });
  if (formError || Object.keys(fieldErrors).length > 0) {
    return { ok: false, formError, fieldErrors, values: withoutSecrets(values) };
  }
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  const flat = z.flattenError(result.error);
  const unknown = result.error.issues.find((i) => i.code === 'unrecognized_keys');
  return {
    ok: false,
    formError: unknown
      ? 'The form contained fields we did not expect. Reload the page and try again.'
      : null,
    fieldErrors: flat.fieldErrors as FieldErrors,
    values: withoutSecrets(values),
  };
}

/** What each form request carried, kept by parseForm for the 503 page if the write then fails. */
const typedValues = new WeakMap<Request, Record<string, string>>();

/**
 * What a failed request's form carried: as parseForm read it, or, when the failure came before
 * the action read its form (checking the session), read now within the same size limit.
 */
async function typedValuesOf(request: Request): Promise<Record<string, string> | null> {
  if (request.method === 'GET' || request.method === 'HEAD') return null;
  const known = typedValues.get(request);
  if (known || request.bodyUsed) return known ?? {};
  try {
    const values: Record<string, string> = {};
    for (const [key, value] of (await readFormData(request)).entries()) {
      if (typeof value === 'string' && !(key in values) && key !== FORM_TOKEN_FIELD) {
        values[key] = value;
      }
    }
    return values;
  } catch {
    return {};
  }
}

const TOO_LARGE = `That form was too large to accept (at most ${MAX_FORM_BYTES / 1024} kB). Shorten your answers and try again.`;

/**
 * Reads the body, refusing more than MAX_FORM_BYTES whether or not a Content-Length was sent
 * (a chunked upload declares none), so an oversized post never sits whole in memory.
 */
async function readFormData(request: Request): Promise<FormData> {
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_FORM_BYTES) {
    throw data({ message: TOO_LARGE }, { status: 413 });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_FORM_BYTES) {
      await reader.cancel();
      throw data({ message: TOO_LARGE }, { status: 413 });
    }
    chunks.push(value);
  }
  const contentType = request.headers.get('Content-Type') ?? 'application/x-www-form-urlencoded';
  try {
    return await new Response(Buffer.concat(chunks), {
      headers: { 'Content-Type': contentType },
    }).formData();
  } catch {
    throw data({ message: 'We could not read that form. Go back and try again.' }, { status: 400 });
  }
}

/** Passwords are never sent back to the browser. */
function withoutSecrets(values: Record<string, string>) {
  const rest = { ...values };
  for (const name of SECRET_FIELDS) delete rest[name];
  return rest;
}

/** A refused form as a 400 (or other) response, keeping what was typed. */
export function formFailure(failure: FormFailure, status = 400) {
  return data(failure, { status });
}

/** Turns a DomainError raised for a form into a response that keeps the form's values. */
export function domainFailure(error: DomainError, values: Record<string, string>) {
  const status = STATUS[error.code];
  const headers: HeadersInit = error.retryAfterSeconds
    ? { 'Retry-After': String(error.retryAfterSeconds) }
    : {};
  return data(
    {
      ok: false as const,
      formError: error.message,
      formErrorLink: error.link,
      fieldErrors: error.fieldErrors,
      values: withoutSecrets(values),
    } satisfies FormFailure,
    { status, headers },
  );
}

const STATUS: Record<DomainError['code'], number> = {
  invalid: 422,
  conflict: 409,
  closed: 409,
  not_found: 404,
  forbidden: 403,
  unauthenticated: 401,
  rate_limited: 429,
  suspended: 403,
  unconfirmed: 403,
};

/**
 * For resource routes (files, not pages): a refusal as JSON with its code and message, which a
 * page's error boundary would otherwise show; a thrown `data()` reaches no boundary there.
 */
export function domainErrorJson(error: DomainError) {
  return Response.json(
    { code: error.code, message: error.message },
    { status: STATUS[error.code], headers: { 'Cache-Control': 'no-store' } },
  );
}

// Rules a person can fix on the same form; the others (not found, forbidden…) get their own page.
const FORM_ERRORS: ReadonlySet<DomainError['code']> = new Set([
  'invalid',
  'conflict',
  'closed',
  'rate_limited',
  // A suspended person is told why on the form itself, with what they typed kept.
  'suspended',
  // So is an unconfirmed address: the message links to where the confirmation is sent again.
  'unconfirmed',
]);

/**
 * The whole of a form action: parse against `schema`, run the domain call, and turn a rule the
 * person can fix into the same form again with their values and the message.
 */
export async function submitForm<S extends z.ZodType, R>(
  request: Request,
  schema: S,
  run: (input: z.output<S>) => Promise<R>,
) {
  const form = await parseForm(request, schema);
  if (!form.ok) return formFailure(form);
  try {
    return await run(form.data);
  } catch (error) {
    if (error instanceof DomainError && FORM_ERRORS.has(error.code)) {
      return domainFailure(error, form.values);
    }
    if (error instanceof DomainError) error.formValues = withoutSecrets(form.values);
    throw error;
  }
}

/** Pages for signed-out people (sign in, sign up) send a signed-in one on to where they were going. */
export function redirectIfSignedIn(request: Request, viewer: Viewer | null) {
  const redirectTo = safeRedirect.parse(
    new URL(request.url).searchParams.get('redirectTo') ?? undefined,
  );
  if (viewer) throw redirect(redirectTo);
  return { redirectTo };
}

type Args = LoaderFunctionArgs | ActionFunctionArgs;
type Handler<A extends Args, R> = (
  args: A & {
    db: Database;
    viewer: Viewer | null;
    ctx: RequestContext;
    /** Values typed into this page's form before a sign-in interrupted it, once. */
    takeParkedForm: () => Promise<Record<string, string> | null>;
  },
) => Promise<R>;

/**
 * Wraps a loader or action: gives it the db (the load context's), the viewer and the request
 * context, and turns a DomainError that escaped into the right error page (404, 403, 409…). A
 * missing sign-in redirects to the sign-in page and back.
 */
export function handler<A extends Args, R>(
  fn: Handler<A, R>,
  options: {
    /**
     * For the actions of pages whose loader shows parked values again (takeParkedForm): a form
     * sent after the session ended is kept for after signing in. Elsewhere it is not kept, so
     * signed-out posts cannot fill the database.
     */
    keepsSignedOutForm?: boolean;
  } = {},
) {
  return async (args: A): Promise<R> => {
    const db = args.context.db;
    rememberOrigin(new URL(args.request.url).origin);
    const ctx: RequestContext = {
      requestId: args.context.requestId ?? crypto.randomUUID(),
      clientIp: args.context.clientIp ?? 'unknown',
    };
    const secure = getEnv().isProduction;
    const takeParkedForm = async () => {
      const parked = await takeParkedForm_(db, args.request, secure);
      if (!parked) return null;
      args.context.responseCookies?.push(parked.setCookie);
      return parked.values;
    };
    let viewer: Viewer | null = null;
    try {
      const session = await resolveSession(db, args.request, args.context);
      viewer = session.viewer;
      if (viewer) args.context.personal = true;
      if (viewer && needsFormToken(args.request)) await requireFormToken(db, args.request);
      if (session.setCookie && !args.context.responseCookies?.includes(session.setCookie)) {
        args.context.responseCookies?.push(session.setCookie);
      }
      return await fn({ ...args, db, viewer, ctx, takeParkedForm });
    } catch (error) {
      // Not a bug and not the person's fault: a 503 that keeps what they typed.
      if (isDatabaseUnavailable(error)) {
        throw unavailableResponse(args.request, ctx, error, await typedValuesOf(args.request));
      }
      if (
        error instanceof DomainError &&
        error.code === 'forbidden' &&
        args.request.method !== 'GET'
      ) {
        await recordRefusal(db, args.request, viewer, ctx);
      }
      if (error instanceof DomainError) {
        if (error.code === 'unauthenticated') {
          const url = new URL(args.request.url);
          const headers = new Headers();
          let kept = '';
          // A form sent after the session ended: keep its values for this page, sign in, return.
          if (
            options.keepsSignedOutForm &&
            error.formValues &&
            Object.keys(error.formValues).length > 0
          ) {
            const parked = await parkForm(db, {
              path: url.pathname,
              values: error.formValues,
              clientIp: ctx.clientIp,
              secure,
            });
            if (parked) {
              headers.append('Set-Cookie', parked);
              kept = '&kept=1';
            }
          }
          throw redirect(
            `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}${kept}`,
            { headers },
          );
        }
        throw data({ message: error.message }, { status: STATUS[error.code] });
      }
      throw error;
    } finally {
      if (args.request.method !== 'GET' && args.request.method !== 'HEAD') {
        forgetSession(args.context);
      }
    }
  };
}

const UNCHECKED_FORM =
  'We could not check that this form came from this site. Reload the page and send it again.';

/** See form-token.ts. The body is read from a copy, so the action can still read it. */
async function requireFormToken(db: Database, request: Request) {
  const form = await readFormData(request.clone());
  if (!carriesFormToken(db, request, form)) {
    throw new DomainError('forbidden', UNCHECKED_FORM);
  }
}

/**
 * A refused write is worth knowing about: every one gets a log line, and a signed-in person's
 * also goes into the audit log (anonymous ones are only logged, so nobody can fill the audit
 * log without an account).
 */
async function recordRefusal(
  db: Database,
  request: Request,
  viewer: Viewer | null,
  ctx: RequestContext,
) {
  const path = new URL(request.url).pathname;
  logger.warn('forbidden request', {
    requestId: ctx.requestId,
    method: request.method,
    path,
    userId: viewer?.id ?? null,
  });
  if (!viewer) return;
  try {
    await recordAudit(db, {
      actorId: viewer.id,
      action: 'access.denied',
      targetType: 'path',
      targetId: path.slice(0, 500),
      after: { method: request.method },
      requestId: ctx.requestId,
    });
  } catch (error) {
    // The refusal stands whatever happens here; the log line above already recorded it.
    logger.error('could not audit a refused request', {
      requestId: ctx.requestId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

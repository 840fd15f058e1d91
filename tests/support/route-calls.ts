import { randomUUID } from 'node:crypto';
import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { expect } from 'vitest';

// Calls a route module's loader or action as Remix would, without a server: a Request, the
// route's params and a load context carrying the test's own database (server.js passes the
// server build's). Whatever the route returns or throws is read back as one Outcome.

/** The site's origin in these requests; a form post sends it as its Origin, as browsers do. */
export const ORIGIN = 'http://localhost';

type RouteFunction<A> = (args: A) => Promise<unknown>;
export type RouteModule = {
  loader?: RouteFunction<LoaderFunctionArgs>;
  action?: RouteFunction<ActionFunctionArgs>;
};

let ipSequence = 0;

/** A load context as server.js builds one; every call comes from an address of its own. */
export function loadContext(
  db: Kysely<DB>,
  overrides: Partial<AppLoadContext> = {},
): AppLoadContext {
  ipSequence += 1;
  return {
    db,
    requestId: randomUUID(),
    clientIp: `192.0.2.${ipSequence % 250}-${ipSequence}`,
    responseCookies: [],
    ...overrides,
  };
}

export type RequestOptions = {
  /** The cookies sent: each a `name=value` pair or a whole Set-Cookie string (its pair is sent). */
  cookie?: string | string[] | null;
  /** Sent as the Origin header unless null (a browser that sends neither Origin nor Referer). */
  origin?: string | null;
};

function headersFor({ cookie, origin }: RequestOptions) {
  const headers = new Headers();
  const cookies = [cookie ?? []].flat().map((c) => c.split(';')[0]!);
  if (cookies.length > 0) headers.set('Cookie', cookies.join('; '));
  if (origin !== undefined && origin !== null) headers.set('Origin', origin);
  return headers;
}

/** A GET of `path` on the site. */
export function pageRequest(path: string, options: Omit<RequestOptions, 'origin'> = {}) {
  return new Request(`${ORIGIN}${path}`, { headers: headersFor(options) });
}

/** A urlencoded form POST to `path`, as a browser sends one (with Origin unless told not to). */
export function formRequest(
  path: string,
  form: Record<string, string>,
  options: RequestOptions = {},
) {
  const headers = headersFor({ origin: ORIGIN, ...options });
  headers.set('Content-Type', 'application/x-www-form-urlencoded');
  return new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers,
    body: new URLSearchParams(form).toString(),
  });
}

/** What a loader or action answered, whether it returned it or threw it. */
export type Outcome = {
  thrown: boolean;
  status: number;
  headers: Headers;
  /** A redirect's target. */
  location: string | null;
  /** The data of a `data()` answer or of a plain returned object; null for a Response. */
  data: unknown;
  /** The load context after the call: the cookies and flags the route left on it. */
  context: AppLoadContext;
};

type DataWithInit = {
  type: 'DataWithResponseInit';
  data: unknown;
  init: ResponseInit | null;
};

function isDataWithInit(value: unknown): value is DataWithInit {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'DataWithResponseInit'
  );
}

function settle(value: unknown, thrown: boolean, context: AppLoadContext): Outcome {
  if (value instanceof Response) {
    return {
      thrown,
      status: value.status,
      headers: value.headers,
      location: value.headers.get('Location'),
      data: null,
      context,
    };
  }
  if (isDataWithInit(value)) {
    const headers = new Headers(value.init?.headers);
    return {
      thrown,
      status: value.init?.status ?? 200,
      headers,
      location: headers.get('Location'),
      data: value.data,
      context,
    };
  }
  // An error that is not an answer (a bug, or one the route should have mapped) fails the test.
  if (thrown) throw value;
  return { thrown, status: 200, headers: new Headers(), location: null, data: value, context };
}

async function call<A extends LoaderFunctionArgs | ActionFunctionArgs>(
  fn: RouteFunction<A> | undefined,
  kind: string,
  args: A,
): Promise<Outcome> {
  expect(fn, `the route has ${kind}`).toBeTypeOf('function');
  try {
    return settle(await fn!(args), false, args.context);
  } catch (error) {
    return settle(error, true, args.context);
  }
}

type CallOptions = { params?: LoaderFunctionArgs['params']; context?: AppLoadContext };

/** Runs the module's loader for `request` with the test database. */
export function callLoader(
  module: RouteModule,
  db: Kysely<DB>,
  request: Request,
  options: CallOptions = {},
) {
  const context = options.context ?? loadContext(db);
  return call(module.loader, 'a loader', { request, params: options.params ?? {}, context });
}

/** Runs the module's action for `request` with the test database. */
export function callAction(
  module: RouteModule,
  db: Kysely<DB>,
  request: Request,
  options: CallOptions = {},
) {
  const context = options.context ?? loadContext(db);
  return call(module.action, 'an action', { request, params: options.params ?? {}, context });
}

/** The `name=value` pair of the cookie called `name` among an answer's Set-Cookie headers. */
export function setCookie(outcome: Outcome, name: string) {
  const cookie = outcome.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  return cookie ? cookie.split(';')[0]! : null;
}

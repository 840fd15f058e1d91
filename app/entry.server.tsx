import { PassThrough } from 'node:stream';
import {
  createReadableStreamFromReadable,
  type ActionFunctionArgs,
  type AppLoadContext,
  type EntryContext,
  type LoaderFunctionArgs,
} from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { renderToPipeableStream } from 'react-dom/server';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './.server/db-errors';
import { logger } from './.server/logger';
import { NonceContext } from './ui/nonce';

// The custom server (server.js) calls these before listening and on SIGTERM.
export { startup, shutdown, beginDrain } from './.server/startup';
// server.js asks these whether an error that escaped a request may be survived.
export { isDatabaseUnavailable } from './.server/db-errors';
export { MAX_FORM_BYTES } from './.server/http';
// server.js puts this into every request's load context: the instance startup() migrated.
export { getDb } from './.server/db';

const ABORT_DELAY = 5_000;

/**
 * Session cookies refreshed while loading (see `http.ts`) ride on whatever response goes out,
 * unless the response already sets that cookie itself (signing in or out decides).
 */
function appendResponseCookies(headers: Headers, context: AppLoadContext) {
  const cookieName = (cookie: string) => cookie.slice(0, cookie.indexOf('='));
  const alreadySet = new Set(headers.getSetCookie().map(cookieName));
  for (const cookie of context.responseCookies ?? []) {
    if (!alreadySet.has(cookieName(cookie))) headers.append('Set-Cookie', cookie);
  }
}

/**
 * A signed-in page shows the person's name and often their answers or staff tools: no shared
 * cache may keep it, nor the browser once the person has moved on (a shared computer).
 */
function keepPersonalPagesUncached(headers: Headers, context: AppLoadContext) {
  if (context.personal && !headers.get('Cache-Control')?.includes('no-store')) {
    headers.set('Cache-Control', 'private, no-store');
  }
}

/**
 * Only Set-Cookie travels from an action or loader to the page on its own: a refusal's
 * Retry-After (rate limits, see `domainFailure`) is copied here so that a post without
 * JavaScript gets it too, as a fetcher's data request does.
 */
function keepRetryAfter(headers: Headers, { staticHandlerContext: context }: EntryContext) {
  if (headers.has('Retry-After')) return;
  for (const set of [context.actionHeaders, context.loaderHeaders]) {
    for (const routeHeaders of Object.values(set ?? {})) {
      const wait = routeHeaders.get('Retry-After');
      if (wait) return void headers.set('Retry-After', wait);
    }
  }
}

export function handleDataRequest(
  response: Response,
  { context }: LoaderFunctionArgs | ActionFunctionArgs,
) {
  appendResponseCookies(response.headers, context);
  keepPersonalPagesUncached(response.headers, context);
  return response;
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  appendResponseCookies(responseHeaders, loadContext);
  keepPersonalPagesUncached(responseHeaders, loadContext);
  keepRetryAfter(responseHeaders, remixContext);
  // A page that could not be made because the database was unavailable (see unavailable.ts):
  // thrown responses' headers do not reach the document, so the hint to retry is set here.
  if (responseStatusCode === 503 && !responseHeaders.has('Retry-After')) {
    responseHeaders.set('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    responseHeaders.set('Cache-Control', 'no-store');
  }
  const nonce = loadContext.cspNonce ?? '';
  const waitForAll = isbot(request.headers.get('user-agent') ?? '');
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer
          context={remixContext}
          url={request.url}
          abortDelay={ABORT_DELAY}
          nonce={nonce}
        />
      </NonceContext.Provider>,
      {
        // React's own inline scripts (streamed Suspense boundaries) need it as well.
        nonce,
        [waitForAll ? 'onAllReady' : 'onShellReady']() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error('render failed', { error: String(error) });
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}

/** Unexpected errors are logged with the request id; the person sees only a generic page. */
export function handleError(
  error: unknown,
  { request, context }: LoaderFunctionArgs | ActionFunctionArgs,
) {
  if (request.signal.aborted) return;
  logger.error('unexpected error', {
    requestId: context.requestId,
    method: request.method,
    url: new URL(request.url).pathname,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}

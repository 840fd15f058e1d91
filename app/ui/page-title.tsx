import { UNSAFE_RemixContext, useLocation, type MetaDescriptor } from '@remix-run/react';
import { useContext } from 'react';
import { UNSAFE_DataRouterStateContext } from 'react-router-dom';

/** A refused form (see `FormFailure` in `.server/http.ts`) is action data with `ok: false`. */
export function useFormRefused() {
  const state = useContext(UNSAFE_DataRouterStateContext);
  return Object.values(state?.actionData ?? {}).some(
    (data) => typeof data === 'object' && data !== null && 'ok' in data && data.ok === false,
  );
}

/**
 * The document title from the deepest route's `meta`, prefixed "Error: " while the page shows a
 * refused form, so a screen reader hears that the submission failed before anything else.
 * Remix's own <Meta/> cannot see action data, and our routes' meta only ever sets a title, so
 * this takes its place; it renders the same on the server and on the client (no JavaScript
 * needed, no hydration mismatch).
 */
export function PageTitle({ fallback }: { fallback: string }) {
  const routeModules = useContext(UNSAFE_RemixContext)?.routeModules ?? {};
  const state = useContext(UNSAFE_DataRouterStateContext);
  const location = useLocation();
  const refused = useFormRefused();
  let title = fallback;
  const matches = state?.matches ?? [];
  // Like <Meta/>: an error stops at the route that threw, whose meta then sees the error.
  const errorIndex = matches.findIndex((m) => state?.errors?.[m.route.id] !== undefined);
  const active = errorIndex >= 0 ? matches.slice(0, errorIndex + 1) : matches;
  const error = errorIndex >= 0 ? state?.errors?.[matches[errorIndex]!.route.id] : undefined;
  for (const match of active) {
    const meta = routeModules[match.route.id]?.meta;
    if (typeof meta !== 'function') continue;
    const descriptors = meta({
      data: state?.loaderData[match.route.id],
      params: match.params,
      location,
      matches: [],
      error,
    }) as MetaDescriptor[] | undefined;
    const found = descriptors?.find((d): d is { title: string } => 'title' in d);
    if (found) title = found.title;
  }
  return <title>{refused ? `Error: ${title}` : title}</title>;
}
